"""xl-rollover driver: load, point array formulas at the add-in, recalculate, store, quit.

A LibreOffice Python macro: copied as ``Scripts/python/xl_rollover_driver.py`` into the throw-away profile and
run by LibreOffice on start (``vnd.sun.star.script:xl_rollover_driver.py$run``); it reads its job (the
workbook, the array formulas to point at the add-in) from the JSON file named by ``XLR_JOB`` and writes a
status file. It imports only the standard library and, inside functions, LibreOffice's ``com.sun.star``.
"""

import json
import os
import re
import traceback


def _prop(name, value):
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _to_addin(formula, call, prefix):
    parts = formula.split(chr(34))  # rewrite names outside string literals only
    parts[::2] = [call.sub(lambda m: prefix + m.group(1).upper() + "(", part) for part in parts[::2]]
    return chr(34).join(parts)


def _column(n):
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def _in_error(doc, code, most):
    """Formula cells in error ``code``, as SHEET!A1: 522 is a circular reference, 523 "does not converge".

    IRR and RATE give 523 when their iteration fails (Excel's #NUM!), which the .xlsx export writes as #N/A.
    """
    found = []
    for sheet in doc.Sheets:
        ranges = sheet.queryFormulaCells(4)  # com.sun.star.sheet.FormulaResult.ERROR
        cells = ranges.getCells().createEnumeration()
        while cells.hasMoreElements() and len(found) < most:
            cell = cells.nextElement()
            if cell.getError() == code:
                at = cell.getCellAddress()
                found.append(sheet.getName() + "!" + _column(at.Column) + str(at.Row + 1))
    return found


def run(*_args):
    with open(os.environ["XLR_JOB"], encoding="utf-8") as handle:
        job = json.load(handle)
    status = {"ok": False}
    # XSCRIPTCONTEXT: put into every macro module's globals by LibreOffice's script provider (pythonscript.py)
    desktop = globals()["XSCRIPTCONTEXT"].getDesktop()
    try:
        call = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(job["functions"]) + r")\s*\(", re.IGNORECASE)
        prefix = job["service"].upper() + "."
        doc = desktop.loadComponentFromURL(job["input"], "_blank", 0, (_prop("Hidden", True),))
        if doc is None:
            raise RuntimeError("LibreOffice could not open the workbook")
        doc.enableAutomaticCalculation(False)
        for sheet_name, ref in job["arrays"]:
            if not doc.Sheets.hasByName(sheet_name):
                continue  # left to the Basic functions: slower, same figures
            cells = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
            formula = cells.getCellByPosition(0, 0).getFormula()  # API grammar, as setArrayFormula reads it
            if formula.startswith("{") and formula.endswith("}"):
                formula = formula[1:-1]
            if formula:
                cells.setArrayFormula(_to_addin(formula, call, prefix))
        doc.calculateAll()
        status["circular"] = _in_error(doc, 522, 100)
        status["unconverged"] = _in_error(doc, 523, 10**7)
        doc.storeToURL(job["output"], (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        status["ok"] = True
    except BaseException as exc:  # report, never hang: the caller reads the status file
        status["error"] = type(exc).__name__ + ": " + str(exc)
        status["trace"] = traceback.format_exc()
    finally:
        with open(job["status"], "w", encoding="utf-8") as handle:
            json.dump(status, handle)
        desktop.terminate()


g_exportedScripts = (run,)
