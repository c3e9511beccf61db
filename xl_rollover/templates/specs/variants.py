"""More clients per template (beyond each example), used by the tests to recalculate each template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xl_rollover.core.rules.penalty_exceptions import EXCEPTIONS
from xl_rollover.core.serial_dates import serial

from .backdoor import BACKDOOR
from .common import _PRETAX_DESTINATION, ACCOUNT_WORDS, NO_EXCEPTION, _exception_words
from .early_withdrawal import EARLY
from .in_service import IN_SERVICE
from .room import ROOM
from .roth_withdrawal import ROTH
from .separation import SEPARATION


def _serial(day: dt.date) -> float:
    return float(serial(day))


#: Three more clients per template (beyond the example), used by the tests to recalculate each template.
VARIANTS: dict[str, tuple[dict[str, Any], ...]] = {
    SEPARATION.file: (
        {
            "in_pretax": 180000,
            "in_basis": 25000,
            "in_earnings": 4100.55,
            "in_pretax_to": _PRETAX_DESTINATION[1][0],
            "in_other_ira": 15000,
        },
        {"in_pretax": 95000.10, "in_basis": 60000, "in_earnings": 0, "in_backdoor": 8600, "in_rate": 0.32},
        {"in_age": 61, "in_pretax_to": _PRETAX_DESTINATION[0][0], "in_earnings": 12345.67},
        {"in_age": 72, "in_rmd": 4000},
        {"in_age": 75, "in_rmd": 9500, "in_pretax": 100000, "in_pretax_to": _PRETAX_DESTINATION[0][0]},
        # option C sends pretax dollars to the Roth IRA too: taxable now
        {"in_pretax": 50000, "in_c_roth": 60000},
    ),
    IN_SERVICE.file: (
        {"in_sweeps": 4},
        {"in_sweeps": 26, "in_annual_after_tax": 41000},
        {"in_return": 0.035, "in_annual_after_tax": 12345.67},
    ),
    BACKDOOR.file: (
        {"in_roll_in": 0},
        {"in_yev": 120000, "in_roll_in": 60000, "in_prior_basis": 6500, "in_roll_in_part": 90000},
        {"in_distributions": 5000, "in_converted": 15000, "in_nondeductible": 7000, "in_yev": 8000},
    ),
    EARLY.file: (
        {"in_exception": NO_EXCEPTION},
        {"in_account": ACCOUNT_WORDS["SIMPLE_IRA"], "in_simple_2yr": "Yes", "in_exception": NO_EXCEPTION},
        {
            "in_exception": _exception_words(next(e for e in EXCEPTIONS if e.number == "05")),
            "in_exception_amount": 3000,
            "tbl_age": [[_serial(dt.date(1966, 8, 15)), _serial(dt.date(2026, 2, 14))]],
        },
    ),
    ROTH.file: (
        {"in_amount": 60000},
        {"in_year": 2031, "in_age": 50},
        {
            "in_regular": 0,
            "in_amount": 12000,
            "tbl_conversions": [[2020.0, 10000.0, 0.0], [2023.0, 5000.0, 5000.0]] + [[None, None, None]] * 4,
        },
    ),
    ROOM.file: (
        {"in_age": 45, "in_deferrals": 24500},
        {"in_comp": 50000},
        {"in_paychecks": 0, "in_after_tax": 20000},
    ),
}
