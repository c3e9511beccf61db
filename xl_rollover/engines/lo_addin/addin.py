"""xl-rollover Calc add-in: the worksheet functions for Calc, arrays in and out.

Runs only inside LibreOffice's own Python: ``unohelper``, ``com.sun.star`` and the add-in's interface
``org.xlrollover.XFunctions`` (read by LibreOffice from the .idl generated from the registry) exist only
there, so this module cannot be imported normally. The component LibreOffice loads is a generated file
(``libreoffice._addin``) that puts the profile's copy of the package on ``sys.path``, imports this module,
fills :data:`HELP` and adds one method per worksheet function, each calling :func:`_matrix`.
"""

import unohelper
from com.sun.star.lang import Locale, XServiceInfo, XServiceName
from com.sun.star.sheet import LocalizedName, XAddIn, XCompatibilityNames
from org.xlrollover import XFunctions

from xl_rollover.engines.lo_addin import SERVICE

#: The function wizard's help: name -> (description, ((argument, help), ...)); filled by the generated component.
HELP: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}


def _matrix(name, args):
    try:
        from xl_rollover.engines.office_bridge import call_addin

        return call_addin(name, args)
    except BaseException as exc:  # never let an exception reach LibreOffice (it can hang headless)
        # chr(0xE000) is office_bridge.ERROR_MARK, spelled out in case the bridge itself fails to import
        return ((chr(0xE000) + "#VALUE! bridge: " + type(exc).__name__ + ": " + str(exc),),)


class Functions(unohelper.Base, XFunctions, XAddIn, XCompatibilityNames, XServiceName, XServiceInfo):
    def __init__(self, ctx):
        self.locale = Locale("en", "US", "")

    def getProgrammaticFuntionName(self, name):
        return name

    def getDisplayFunctionName(self, name):
        return name

    def getFunctionDescription(self, name):
        return HELP.get(name, ("", ()))[0]

    def getDisplayArgumentName(self, name, i):
        args = HELP.get(name, ("", ()))[1]
        return args[i][0] if 0 <= i < len(args) else ""

    def getArgumentDescription(self, name, i):
        args = HELP.get(name, ("", ()))[1]
        return args[i][1] if 0 <= i < len(args) else ""

    def getProgrammaticCategoryName(self, name):
        return "Add-In"

    def getDisplayCategoryName(self, name):
        return "xl-rollover"

    def setLocale(self, locale):
        self.locale = locale

    def getLocale(self):
        return self.locale

    def getCompatibilityNames(self, name):
        return (LocalizedName(Locale("en", "US", ""), name),)

    def getServiceName(self):
        return SERVICE

    def getImplementationName(self):
        return SERVICE

    def supportsService(self, name):
        return name in ("com.sun.star.sheet.AddIn", SERVICE)

    def getSupportedServiceNames(self):
        return ("com.sun.star.sheet.AddIn", SERVICE)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(Functions, SERVICE, ("com.sun.star.sheet.AddIn", SERVICE))
