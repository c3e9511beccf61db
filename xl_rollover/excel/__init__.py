"""Excel worksheet functions for xl-rollover (xlwings classic add-in and xlwings Lite).

``xl_rollover.excel.functions`` holds the decorated functions; ``xl_rollover.excel.adapter`` converts Excel values;
``xl_rollover.excel.lite`` writes the self-contained ``main.py`` for xlwings Lite.
"""
