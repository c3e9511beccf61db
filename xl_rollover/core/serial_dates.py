"""Spreadsheet date serial numbers: whole days counted from day 0, 1899-12-30.

The 1900 date system of Excel and LibreOffice Calc, one statement for every layer: serial 1 is
1900-01-01 in Excel's count, and from serial 61 (1900-03-01) on, the day counts of Excel and Calc agree
(Excel also counts a 1900-02-29 that never was), so ``EPOCH + serial days`` is the date.
"""

from __future__ import annotations

import datetime as dt

#: Day 0 of spreadsheet serial numbers (1900 date system).
EPOCH = dt.date(1899, 12, 30)

#: The serial numbers taken as dates, whole days from 1900-03-01 (61: before it Excel's and Calc's counts
#: differ) to 9999-12-31 (2958465, Excel's last date); ``FIRST_SERIAL <= n < END_SERIAL``.
FIRST_SERIAL = 61
END_SERIAL = 2958466


def serial(day: dt.date) -> int:
    """A date as its spreadsheet serial number (whole days since :data:`EPOCH`)."""
    return (day - EPOCH).days


def day_of(number: int) -> dt.date:
    """The date a spreadsheet serial number stands for (valid from :data:`FIRST_SERIAL`, 1900-03-01)."""
    return EPOCH + dt.timedelta(days=number)


#: A blank optional date as the column runner holds it: far below any date (serial -693594 is 0001-01-01).
NO_DATE = -(10**9)
