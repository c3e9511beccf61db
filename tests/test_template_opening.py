"""Opening a template: stored values survive (calcPr), and the Instructions speak to client then advisor.

Stored values: ECMA-376 Part 1 §18.2.2 calcPr.
Excel recalculates every formula on load when ``fullCalcOnLoad`` is set, and when ``calcId`` is lower
than its own engine's ([MS-XLSB] §2.4.215); before the functions are loaded that would turn every
figure into ``#NAME?``. The XML of each shipped template is read as Excel reads it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from xl_rollover.engines.ooxml import CALC_FEATURES, CALC_FEATURES_URI, CALC_ID, keep_stored_values
from xl_rollover.templates.specs import TEMPLATES

SHIPPED = Path(__file__).resolve().parents[1] / "workbooks"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _calc_pr(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as book:
        root = ElementTree.fromstring(book.read("xl/workbook.xml"))
    found = root.findall(f"{MAIN}calcPr")
    assert len(found) == 1, path.name
    return dict(found[0].attrib)


def test_calc_id_is_excel_2019_and_365s_engine():
    assert CALC_ID == 191029  # XlsxWriter's default 124519 (Excel 2010) would make Excel 365 recalculate


@pytest.mark.parametrize("name", [t.file for t in TEMPLATES])
def test_template_requests_no_recalculation_on_load(name):
    attrs = _calc_pr(SHIPPED / name)
    assert attrs == {"calcId": str(CALC_ID)}, attrs
    # the absent attributes take the schema defaults: calcMode auto, fullCalcOnLoad false, forceFullCalc
    # false (Excel's default per [MS-OI29500] §2.1.565)
    with zipfile.ZipFile(SHIPPED / name) as book:
        xml = book.read("xl/workbook.xml").decode("utf-8")
    # from calcId 179016 on Excel also compares the calcFeatures extension ([MS-XLSX] §2.4.82)
    assert CALC_FEATURES_URI in xml and all(f'name="{f}"' in xml for f in CALC_FEATURES)
    assert keep_stored_values(xml) == xml  # already in the form calc outputs get


# --- the Instructions sheet: the client first, then the advisor; the channels' steps as in the README ----

#: Menu words every Instructions sheet and the README share (xlwings docs udfs.md/addin.md, Lite changelog).
CHANNEL_WORDS = (
    "Home > Add-ins",
    "Write template formulas",
    "Review > Unprotect Sheet",
    "Review > Protect Sheet",
    "lite/main.py",
    "Startup Behavior",
    "Trust access to the VBA project object model",
    "Tools > References",
    "Import Functions",
    "Excel Macro-Enabled Workbook (*.xlsm)",
    "UDF Modules",
    "Conda Path",
    "Conda Env",
)


def _instructions(name: str) -> list[str]:
    import openpyxl

    sheet = openpyxl.load_workbook(SHIPPED / name)["Instructions"]
    return [c.value for c in sheet["A"] if isinstance(c.value, str)]


@pytest.mark.parametrize("name", [t.file for t in TEMPLATES])
def test_instructions_speak_to_the_client_then_the_advisor_without_command_lines(name):
    lines = _instructions(name)
    headings = [line for line in lines if line.startswith(("For the client", "For the advisor"))]
    assert headings[0].startswith("For the client") and headings[-1].startswith("For the advisor"), headings
    text = "\n".join(lines)
    for words in CHANNEL_WORDS:
        assert words in text, (name, words)
    for command in ("`", "pip install", "xl-rollover calc", "xl-rollover lite", "python -m", "addin install"):
        assert command not in text, (name, command)  # command lines live in the README


def test_readme_gives_the_same_channel_steps():
    readme = " ".join((SHIPPED.parent / "README.md").read_text(encoding="utf-8").replace("**", "").split())
    for words in CHANNEL_WORDS:
        assert words in readme, words
