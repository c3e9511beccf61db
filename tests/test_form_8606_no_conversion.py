"""Form 8606 when nothing is distributed or converted: line 3 goes to line 14, Part II amounts are 0.

Form 8606 instructions, line 3: with no distribution and no conversion in the year, enter line 3 on line 14
and stop; Part II (lines 16-18) is completed only for conversions, so its amounts are 0. A years-ahead table
that asks for line 18 of a year with no conversion must show 0, not an error (it showed #VALUE! before).
"""

from __future__ import annotations

from decimal import Decimal

import xl_rollover as xr
from xl_rollover.excel import functions as F
from xl_rollover.templates import evaluation, specs


def test_core_line_14_carries_line_3_and_part_ii_is_zero():
    # line 1 = 0, line 2 = 7,500 -> line 3 = 7,500 = line 14; nothing converted -> lines 16-18 = 0
    r = xr.form_8606(nondeductible_contributions=0, prior_basis=7500)
    assert r.lines["14"] == Decimal("7500.00")
    assert (r.lines["16"], r.lines["17"], r.lines["18"]) == (Decimal("0.00"),) * 3
    assert r.taxable_conversion == Decimal("0.00")


def test_worksheet_line_18_of_a_year_without_conversion_is_zero():
    assert F.FORM_8606(0.0, 7500.0, 20000.0, None, None, None, None, "lines_18") == 0.0
    assert F.FORM_8606(0.0, 7500.0, 20000.0, None, None, None, None, "lines_14") == 7500.0


def test_backdoor_years_ahead_with_no_new_contribution():
    # Example client with no nondeductible contribution: this year 7,500 converted with no basis is all
    # taxable (line 18 = 7,500); the later years convert the same 0 contribution: line 18 = 0, basis 0.
    values = evaluation.evaluate(specs.BACKDOOR, {"in_nondeductible": 0})
    assert [values[f"out_kept_taxable_{k}"] for k in range(5)] == [7500.0, 0.0, 0.0, 0.0, 0.0]
    assert [values[f"out_kept_basis_{k}"] for k in range(5)] == [0.0] * 5
