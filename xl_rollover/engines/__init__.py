"""Headless engines: a safe .xlsx reader and patcher, the ``formulas`` engine and the LibreOffice engine.

They recalculate workbooks that call the worksheet functions (:mod:`udfs`) without Excel; they import the
core and the Excel layer, never the batch runner, the template builder or the command line.
"""
