"""Templates keep their stored values when Excel opens them (ECMA-376 Part 1 §18.2.2 calcPr).

Excel recalculates every formula on load when ``fullCalcOnLoad`` is set, and when ``calcId`` is lower
than its own engine's ([MS-XLSB] §2.4.215); before the functions are loaded that would turn every
figure into ``#NAME?``. The XML of each shipped template is read as Excel reads it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from udfs.ooxml import CALC_FEATURES, CALC_FEATURES_URI, CALC_ID, keep_stored_values
from workbooks.specs import TEMPLATES

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
