"""The Roth five-year periods are data rows with primary sources, and the rules read them."""

from __future__ import annotations

import datetime as dt
import re

from xl_rollover.core import limits
from xl_rollover.core.rules.five_year import QUALIFIED, RECAPTURE, last_year, period_end
from xl_rollover.templates.model import Input, output_cells
from xl_rollover.templates.specs import TEMPLATES


def test_periods_are_rows_with_their_sections():
    assert limits.value(QUALIFIED, None)[0] == 5 and "408A(d)(2)(B)" in limits.value(QUALIFIED, None)[1]
    assert limits.value(RECAPTURE, None)[0] == 5 and "408A(d)(3)(F)" in limits.value(RECAPTURE, None)[1]


def test_period_ends():
    # Treas. Reg. 1.408A-6 A-5(c): a 2025 conversion's 5-taxable-year period is 2025-2029.
    assert period_end(2025, RECAPTURE) == dt.date(2029, 12, 31)
    # IRC 408A(d)(2)(B): first Roth contribution for 2020 -> the period is 2020-2024; qualified from 2025.
    assert last_year(2020, QUALIFIED) == 2024


def test_roth_template_states_the_qualified_clock_as_the_core_counts_it():
    # IRC 408A(d)(2)(B): the period begins with the first taxable year FOR WHICH a contribution was made (a
    # contribution made by April 15 for the prior year counts for it; Treas. Reg. 1.408A-6 A-2), and a first
    # year 2019 means qualified from January 1, 2024. The sheet once said "Jan 1 of the 6th year after the
    # first funded year" (2025 for 2019) and asked for the first year an IRA "was funded".
    roth = next(t for t in TEMPLATES if t.file == "roth_ira_withdrawal.xlsx")
    why = next(o.why for o in output_cells(roth) if o.name == "out_qualified_from")
    first, qualified = (int(y) for y in re.search(r"(\d{4}) gives (\d{4})", why).groups())
    assert qualified == last_year(first, QUALIFIED) + 1 == 2024
    first_year = next(
        i for _, items in roth.inputs for i in items if isinstance(i, Input) and i.name == "in_first_year"
    )
    assert "funded" not in first_year.label and "for last year" in first_year.help
