"""xl-rollover: exact, cited tax rules for moving retirement money (the Python core, no Excel).

The public API is the set of names below; the Excel functions, the CLI and batch runs call
exactly these.
"""

from .errors import InputError, UnknownYear, UnsupportedCase, XlRolloverError
from .explain import Result, Step
from .limits import IrsLimit, irs_limit
from .rules.early_penalty import PenaltyResult, early_penalty
from .rules.form_8606 import Form8606Result, form_8606, prorata_taxable
from .rules.split import Form1099R, SplitResult, roth_rollover_split

__version__ = "0.1.0"

__all__ = [
    "Form1099R",
    "Form8606Result",
    "InputError",
    "IrsLimit",
    "PenaltyResult",
    "Result",
    "SplitResult",
    "Step",
    "UnknownYear",
    "UnsupportedCase",
    "XlRolloverError",
    "early_penalty",
    "form_8606",
    "irs_limit",
    "prorata_taxable",
    "roth_rollover_split",
]
