"""Small facts of the Office Open XML format shared by every writer of workbooks here (calc, the templates).

- ``calcPr``: ECMA-376 Part 1 §18.2.2. ``fullCalcOnLoad="1"`` asks the application to recalculate every
  formula when the file opens, and ``calcId`` names the calculation engine that computed the stored
  values: "When you open a workbook that was created in an earlier version of the application, all the
  formulas in the workbook ... are recalculated" (§18.2.2, calcId). Excel 365 writes 191029. From
  calcId 179016 on, Excel also compares the ``calcFeatures`` extension ([MS-XLSX] §2.4.82: it
  "will recalculate if the calcId value is at least 179016 and any of the features present in the
  current version of the calculation engine are not represented in this element"), so a workbook
  whose stored values must survive opening carries both. Either recalculation would turn every call
  to a function Excel has not loaded (ours, without the add-in) into ``#NAME?``.
- ``ST_Xstring`` (ECMA-376 Part 1 §22.9.2.19): a character XML 1.0 cannot carry (control characters
  other than tab and line feed; U+FFFE, U+FFFF; a lone surrogate) is written as ``_xHHHH_``, and an
  underscore that would otherwise start such an escape as ``_x005F_``. Carriage return is escaped too
  (``_x000D_``, as Excel writes it): XML 1.0 §2.11 reads a raw CR in content back as a line feed.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

#: The calculation-engine id Excel 365 writes (``<calcPr calcId="191029"/>``); see the module docstring.
CALC_ID = 191029

#: The calculation features Excel 365 lists beside calcId 191029 ([MS-XLSX] §2.4.82, §2.6.199).
CALC_FEATURES = (
    "microsoft.com:RD",
    "microsoft.com:Single",
    "microsoft.com:FV",
    "microsoft.com:CNMTM",
    "microsoft.com:LET_WF",
    "microsoft.com:LAMBDA_WF",
    "microsoft.com:ARRAYTEXT_WF",
)
CALC_FEATURES_URI = "{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}"
CALC_FEATURES_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/calcfeatures"

#: The workbook's ``<ext>`` element listing :data:`CALC_FEATURES`.
CALC_FEATURES_EXT = (
    f'<ext uri="{CALC_FEATURES_URI}" xmlns:xcalcf="{CALC_FEATURES_NS}"><xcalcf:calcFeatures>'
    + "".join(f'<xcalcf:feature name="{name}"/>' for name in CALC_FEATURES)
    + "</xcalcf:calcFeatures></ext>"
)

# CT_Workbook's children after calcPr, in schema order (ECMA-376 Part 1 §18.2.28)
_AFTER_CALC_PR = (
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)
_PREFIX = r"(?:[A-Za-z_][\w.-]*:)?"
_CALC_PR = re.compile(rf"<({_PREFIX})calcPr\b([^>]*?)(/?)>")
_ATTR = re.compile(r'\s(fullCalcOnLoad|calcId|forceFullCalc)\s*=\s*("[^"]*"|\'[^\']*\')')
_ROOT_END = re.compile(rf"</({_PREFIX})workbook\s*>")
_EXT_FEATURES = re.compile(rf"<{_PREFIX}ext\b[^>]*{re.escape(CALC_FEATURES_URI)}.*?</{_PREFIX}ext\s*>", re.DOTALL)


def keep_stored_values(workbook_xml: str) -> str:
    """``xl/workbook.xml`` asking no recalculation on open: no fullCalcOnLoad, calcId and features of Excel 365.

    ECMA-376 Part 1 §18.2.2 (calcPr) and [MS-XLSX] §2.4.82 (calcFeatures); see the module docstring.
    """
    root_end = _ROOT_END.search(workbook_xml)
    if root_end is None:
        return workbook_xml
    prefix = root_end.group(1)
    match = _CALC_PR.search(workbook_xml)
    if match:
        attrs = _ATTR.sub("", match.group(2))
        calc_pr = f'<{match.group(1)}calcPr calcId="{CALC_ID}"{attrs}{match.group(3)}>'
        xml = workbook_xml[: match.start()] + calc_pr + workbook_xml[match.end() :]
    else:
        calc_pr = f'<{prefix}calcPr calcId="{CALC_ID}"/>'
        later = [m.start() for n in _AFTER_CALC_PR if (m := re.search(rf"<{re.escape(prefix)}{n}\b", workbook_xml))]
        at = min(later) if later else root_end.start()
        xml = workbook_xml[:at] + calc_pr + workbook_xml[at:]
    if _EXT_FEATURES.search(xml):
        return _EXT_FEATURES.sub(lambda _m: CALC_FEATURES_EXT, xml, count=1)
    ext_end = re.search(rf"</{re.escape(prefix)}extLst\s*>", xml)
    if ext_end:
        return xml[: ext_end.start()] + CALC_FEATURES_EXT + xml[ext_end.start() :]
    end = _ROOT_END.search(xml)
    assert end is not None
    return xml[: end.start()] + f"<{prefix}extLst>{CALC_FEATURES_EXT}</{prefix}extLst>" + xml[end.start() :]


def _needs_escape(ch: str) -> bool:
    # Carriage return too: XML 1.0 §2.11 turns a CR in content into a line feed when the part is read,
    # so "\r" written raw comes back as "\n"; Excel writes it as _x000D_.
    code = ord(ch)
    return (code < 0x20 and ch not in "\t\n") or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF


_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def escape_xstring(text: str) -> str:
    """``text`` as an ST_Xstring (ECMA-376 Part 1 §22.9.2.19): characters XML cannot carry as ``_xHHHH_``."""
    text = _LITERAL_ESCAPE.sub(r"_x005F_\1", text)
    if not any(_needs_escape(ch) for ch in text):
        return text
    return "".join(f"_x{ord(ch):04X}_" if _needs_escape(ch) else ch for ch in text)


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_xstring(text: str) -> str:
    """The text an ST_Xstring stands for (the inverse of :func:`escape_xstring`)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def xml_text(text: str) -> str:
    """``text`` ready for an element's content in a part: ST_Xstring escapes, then XML's ``& < >``."""
    return escape(escape_xstring(text))
