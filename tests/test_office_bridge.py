"""The conversions between LibreOffice Calc and the worksheet functions (run here in plain Python)."""

from __future__ import annotations

import datetime as dt

import xl_rollover as core
from xl_rollover.engines import libreoffice
from xl_rollover.engines.office_bridge import call, call_matrix
from xl_rollover.excel.functions import SPECS


def test_ranges_arrive_as_tuples_and_blanks_as_empty_text():
    # Calc passes a column range as a tuple of row tuples; "" and None are blank cells
    out = call("PRORATA_TAXABLE", (((7500.0,), (7600.0,)), 7500.0, 1850.0, "", None, "", ""))
    want = [float(core.prorata_taxable(c, 7500, 1850).taxable_conversion) for c in (7500, 7600)]
    assert out == ((want[0],), (want[1],)) == ((1485.0,), (1565.6,))


def test_errors_come_back_as_text_never_raised():
    assert call("EARLY_PENALTY", (1000.0, "abc", "", "", "", "", "", "")).startswith(
        "#VALUE! age must be a number, not the text 'abc'"
    )
    assert (
        call("NO_SUCH_FUNCTION", ())
        == "#VALUE! bridge: AttributeError: module 'xl_rollover.excel.functions' has no attribute 'NO_SUCH_FUNCTION'"
    )
    assert call_matrix("PRORATA_TAXABLE", ())[0][0].startswith("#VALUE! bridge: TypeError")


def test_add_in_results_are_always_rows_of_cells_with_booleans_as_numbers():
    # a 2026 single filer at MAGI 100,000 is below the Roth phase-out (IRC 408A(c)(3)): not reduced
    assert call("ROTH_IRA_LIMIT", (2026.0, 100000.0, "SINGLE", 45.0, "", "reduced")) is False
    assert call_matrix("ROTH_IRA_LIMIT", (2026.0, 100000.0, "SINGLE", 45.0, "", "reduced")) == ((0.0,),)
    assert call_matrix("ROTH_IRA_LIMIT", (2026.0, ((100000.0,), (200000.0,)), "SINGLE", 45.0, "", "reduced")) == (
        (0.0,),
        (1.0,),
    )


def test_dates_go_back_as_serial_numbers():
    from xl_rollover.engines.office_bridge import _cell_out

    assert _cell_out(dt.date(2026, 1, 1)) == 46023.0  # Excel/Calc serial of 2026-01-01
    assert _cell_out(None) == ""


def test_add_in_declares_every_function_with_its_arguments():
    idl = libreoffice._idl()
    source = libreoffice._addin(libreoffice.Path("/nowhere"))
    compile(source, "xl_rollover_addin.py", "exec")  # the generated component is valid Python
    for name, spec in SPECS.items():
        args = ", ".join(f"[in] any a{i}" for i in range(len(spec.params)))
        assert f"sequence< sequence< any > > {name}({args});" in idl
        assert f"Functions.{name} = _{name}" in source
