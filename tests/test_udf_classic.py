"""Classic xlwings (Windows): the metadata its decorators attach and the VBA module it generates.

xlwings' Windows UDF module (``xlwings.udfs``) imports three Windows-only modules at import time and
nothing else; with those stubbed, its real ``xlfunc``/``xlarg`` decorate a fresh copy of
``xl_rollover/excel/functions.py`` and ``generate_vba_wrapper`` writes the VBA that "Import Functions" would put
in the workbook. Both are compared with snapshots under ``tests/snapshots`` (regenerate with
``UPDATE_SNAPSHOTS=1``); what Excel itself does with them was not checked here (no Excel).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import os
import sys
import types
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def classic():
    """(xlwings.udfs, a copy of xl_rollover.excel.functions decorated by it) with the Windows imports stubbed."""
    saved = {
        name: sys.modules.get(name)
        for name in ("pythoncom", "pywintypes", "win32com", "win32com.client", "xlwings.udfs")
    }
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    sys.modules.update(
        {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}
    )
    sys.modules.pop("xlwings.udfs", None)
    try:
        xl_udfs = importlib.import_module("xlwings.udfs")
        import xlwings

        real = (xlwings.func, xlwings.arg)
        xlwings.func, xlwings.arg = xl_udfs.xlfunc, xl_udfs.xlarg
        try:
            spec = importlib.util.spec_from_file_location(
                "xl_rollover.excel.functions_classic", ROOT / "xl_rollover" / "excel" / "functions.py"
            )
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            module.__package__ = "xl_rollover.excel"
            spec.loader.exec_module(module)
        finally:
            xlwings.func, xlwings.arg = real
        yield xl_udfs, module
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod


def _metadata(module) -> dict:
    out = {}
    for name in sorted(module.SPECS):
        info = getattr(module, name).__xlfunc__
        out[name] = {
            "doc": info["ret"]["doc"],
            "category": info["category"],
            "volatile": info["volatile"],
            "args": [
                {"name": a["name"], "doc": a["doc"], "optional": "optional" in a, "options": a["options"]}
                for a in info["args"]
            ],
        }
    return out


def _check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"snapshot {path} missing; run with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and run with UPDATE_SNAPSHOTS=1"


def test_classic_metadata_has_help_category_and_2d_ranges(classic):
    _, module = classic
    meta = _metadata(module)
    assert set(meta) == {
        "ROTH_ROLLOVER_SPLIT",
        "PRORATA_TAXABLE",
        "FORM_8606",
        "EARLY_PENALTY",
        "ROTH_IRA_DISTRIBUTION",
        "MEGA_BACKDOOR_ROOM",
        "ROTH_IRA_LIMIT",
        "IRA_DEDUCTION_LIMIT",
        "IRS_LIMIT",
        "ROTH_PENALTY_FREE",
        "RMD",
        "SEPP_PAYMENT",
    }
    for name, info in meta.items():
        assert info["category"] == "xl-rollover", name
        assert not info["volatile"], name
        assert len(info["doc"]) <= 255, name
        for a in info["args"]:
            assert a["doc"] and not a["doc"].startswith("Positional argument"), (name, a["name"])
            assert a["options"] == {"ndim": 2, "err_to_str": True}, (name, a["name"])
    # required arguments first, optional ones after them
    penalty = meta["EARLY_PENALTY"]["args"]
    assert [a["name"] for a in penalty if not a["optional"]] == ["taxable_amount", "age"]
    _check_snapshot("classic_metadata.json", json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


# MS-VBAL 3.3.5.2 reserved identifiers, plus Name (a statement word): a VBA parameter cannot use them.
VBA_RESERVED = {
    w.lower()
    for w in [
        "Abs",
        "Any",
        "Array",
        "As",
        "ByRef",
        "ByVal",
        "Call",
        "Case",
        "CBool",
        "CByte",
        "CCur",
        "CDate",
        "CDbl",
        "CDec",
        "CInt",
        "CLng",
        "CLngLng",
        "CLngPtr",
        "Close",
        "Const",
        "CSng",
        "CStr",
        "CVar",
        "CVErr",
        "Date",
        "Debug",
        "Declare",
        "DefBool",
        "DefByte",
        "DefCur",
        "DefDate",
        "DefDbl",
        "DefDec",
        "DefInt",
        "DefLng",
        "DefLngLng",
        "DefLngPtr",
        "DefObj",
        "DefSng",
        "DefStr",
        "DefVar",
        "Dim",
        "Do",
        "DoEvents",
        "Each",
        "Else",
        "ElseIf",
        "Empty",
        "End",
        "EndIf",
        "Enum",
        "Eqv",
        "Erase",
        "Event",
        "Exit",
        "False",
        "Fix",
        "For",
        "Friend",
        "Function",
        "Get",
        "Global",
        "GoSub",
        "GoTo",
        "If",
        "Imp",
        "Implements",
        "In",
        "Input",
        "Int",
        "Is",
        "Len",
        "LenB",
        "Let",
        "Like",
        "Lock",
        "Loop",
        "LSet",
        "Me",
        "Mod",
        "Name",
        "New",
        "Next",
        "Not",
        "Nothing",
        "Null",
        "On",
        "Open",
        "Option",
        "Optional",
        "Or",
        "ParamArray",
        "Preserve",
        "Print",
        "Private",
        "PSet",
        "Public",
        "Put",
        "RaiseEvent",
        "ReDim",
        "Rem",
        "Resume",
        "Return",
        "RSet",
        "Scale",
        "Seek",
        "Select",
        "Set",
        "Sgn",
        "Shared",
        "Spc",
        "Static",
        "Stop",
        "String",
        "Sub",
        "Tab",
        "Then",
        "To",
        "True",
        "Type",
        "TypeOf",
        "Unlock",
        "Until",
        "Wend",
        "While",
        "With",
        "WithEvents",
        "Write",
        "Xor",
    ]
}


def test_argument_names_are_legal_vba_identifiers(classic):
    _, module = classic
    for name, spec in module.SPECS.items():
        for param in spec.params:
            assert param.name.lower() not in VBA_RESERVED, (name, param.name)
            assert param.name[0].isalpha() and len(param.name) <= 255


def test_classic_vba_wrapper_snapshot(classic):
    xl_udfs, module = classic
    buffer = io.StringIO()
    workbook = types.SimpleNamespace(Name="client.xlsx")
    xl_udfs.generate_vba_wrapper("xl_rollover.excel.functions", module, buffer, workbook)
    vba = buffer.getvalue()
    for name in module.SPECS:
        assert f"Function {name}(" in vba, name
    assert 'XLPy.CallUDF("xl_rollover.excel.functions", "EARLY_PENALTY"' in vba
    _check_snapshot("xlwings_udfs.bas", vba)


def test_classic_functions_still_answer_like_excel(classic):
    _, module = classic
    assert module.PRORATA_TAXABLE([[7500.0]], [[7500.0]], [[1850.0]]) == 1485.0
    assert module.EARLY_PENALTY([[100.0]], [[45.0]], None, [["99"]]).startswith("#N/A ")
