"""The LibreOffice engine's fixed code as real files, read by :mod:`xl_rollover.engines.libreoffice`.

Copied into each throw-away LibreOffice profile (``importlib.resources``; shipped in the wheel as package
data): ``addin.py`` (the Calc add-in's class), ``driver.py`` (the macro that loads, recalculates and stores
the workbook), ``forward.bas`` (Basic's call into the add-in), ``module.xba`` (the Basic library's module
wrapper), ``registrymodifications.xcu`` (the profile's settings), ``xl_rollover.components`` and ``unorc``
(the add-in's registration). What follows the registry stays generated in ``libreoffice.py``: the add-in's
interface (.idl), its one method per function, the wizard help and one Basic function per function.
"""

#: The add-in's service; Calc names its functions ``ORG.XLROLLOVER.FUNCTIONS.<NAME>``.
SERVICE = "org.xlrollover.Functions"
