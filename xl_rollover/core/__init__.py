"""The core: the tax rules, standard library only, typed, Decimal money; knows nothing of Excel.

``import xl_rollover`` gives the public API (re-exported from here by ``xl_rollover/__init__.py``).
"""
