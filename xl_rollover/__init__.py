"""xl-rollover: exact, cited US tax rules for moving retirement money.

This module is the public API: the names below, re-exported from ``xl_rollover.core`` (standard library
only; importing it loads no numpy, pandas, xlwings or openpyxl). The layers above the core use exactly
these: ``excel`` (the worksheet functions, classic and Lite), ``engines`` (headless recalculation),
``batch``, ``templates`` (the workbooks) and ``cli``; README.md, Layout, draws the tree and the direction
of imports (checked by tests/test_layers.py).
"""

from .core.errors import InputError, UnknownYear, UnsupportedCase, XlRolloverError
from .core.explain import Result, Step
from .core.limits import IrsLimit, irs_limit
from .core.rules.contribution_limits import (
    IraLimitResult,
    RoomResult,
    mega_backdoor_room,
    roth_ira_contribution_limit,
    traditional_ira_deduction_limit,
)
from .core.rules.early_penalty import PenaltyResult, early_penalty
from .core.rules.form_8606 import Form8606Result, form_8606, prorata_taxable
from .core.rules.in_plan_roth import InPlanRothResult, drac_withdrawal_recapture, in_plan_roth_rollover
from .core.rules.rmd import RmdResult, applicable_age, first_rmd_year, required_minimum_distribution
from .core.rules.roth_ordering import (
    ConversionLayer,
    LayerOut,
    LayersLeft,
    PenaltyFreeResult,
    RothDistributionResult,
    roth_ira_distribution,
    roth_penalty_free,
    roth_penalty_free_amount,
)
from .core.rules.sepp import SeppResult, sepp_payment
from .core.rules.split import Form1099R, SplitResult, roth_rollover_split

__version__ = "0.1.0"

__all__ = [
    "ConversionLayer",
    "Form1099R",
    "Form8606Result",
    "InPlanRothResult",
    "InputError",
    "IraLimitResult",
    "IrsLimit",
    "LayerOut",
    "LayersLeft",
    "PenaltyFreeResult",
    "PenaltyResult",
    "Result",
    "RmdResult",
    "RoomResult",
    "RothDistributionResult",
    "SeppResult",
    "SplitResult",
    "Step",
    "UnknownYear",
    "UnsupportedCase",
    "XlRolloverError",
    "applicable_age",
    "drac_withdrawal_recapture",
    "early_penalty",
    "first_rmd_year",
    "form_8606",
    "in_plan_roth_rollover",
    "irs_limit",
    "mega_backdoor_room",
    "prorata_taxable",
    "required_minimum_distribution",
    "roth_ira_contribution_limit",
    "roth_ira_distribution",
    "roth_penalty_free",
    "roth_penalty_free_amount",
    "roth_rollover_split",
    "sepp_payment",
    "traditional_ira_deduction_limit",
]
