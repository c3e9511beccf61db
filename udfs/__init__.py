"""Excel worksheet functions for xl-rollover (xlwings classic add-in and xlwings Lite).

``udfs.functions`` holds the decorated functions; ``udfs.adapter`` converts Excel values;
``udfs.lite`` writes the self-contained ``main.py`` for xlwings Lite.
"""
