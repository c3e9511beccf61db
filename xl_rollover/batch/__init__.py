"""Batch runs: one public function over every row of a scenario file (runner, file I/O, Dask).

Imports the core and the registry of public functions; never the engines, the templates or the command line.
"""
