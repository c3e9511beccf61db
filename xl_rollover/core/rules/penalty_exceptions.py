"""The §72(t)(2) exceptions, numbered as on Form 5329 line 2, with where each applies.

Numbers follow the Form 5329 line 2 list of the current (2024-2025) instructions; the scope columns
were checked (by maintainers, not cited to clients) against the IRS web table "Retirement topics -
Exceptions to tax on early distributions" (reviewed 11-Dec-2025). Citations name primary authority
only. Dollar caps are data (``data/penalty_exception_limits.csv``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InputError, UnsupportedCase
from ..money import shown

#: Account types, and whether §72(t) treats each as an IRA or an employer plan.
ACCOUNT_TYPES: dict[str, str] = {
    "IRA": "ira",
    "SEP_IRA": "ira",
    "SIMPLE_IRA": "ira",
    "ROTH_IRA": "ira",
    "401K": "plan",
    "403B": "plan",
    "PLAN": "plan",  # any qualified plan under §401(a) or §403(a)
    "GOV_457B": "457b",
}
_ACCOUNT_ALIASES = {
    "TRADITIONAL_IRA": "IRA",
    "TRADITIONAL": "IRA",
    "SEP": "SEP_IRA",
    "SARSEP": "SEP_IRA",
    "SIMPLE": "SIMPLE_IRA",
    "ROTH": "ROTH_IRA",
    "457B": "GOV_457B",
    "457": "GOV_457B",
    "QUALIFIED_PLAN": "PLAN",
    "401A": "PLAN",
}


def parse_account_type(value: object) -> str:
    """Normalise an account type (IRA, SEP_IRA, SIMPLE_IRA, ROTH_IRA, 401K, 403B, GOV_457B, PLAN)."""
    if value is None:
        return "IRA"
    if not isinstance(value, str):
        raise InputError(f"account_type {shown(value)} must be one of {', '.join(ACCOUNT_TYPES)}")
    key = value.strip().upper().replace("(", "").replace(")", "").replace("-", "_").replace(" ", "_")
    key = _ACCOUNT_ALIASES.get(key, key)
    if key not in ACCOUNT_TYPES:
        raise InputError(f"account_type {shown(value)} is not one of {', '.join(ACCOUNT_TYPES)}")
    return key


@dataclass(frozen=True)
class PenaltyException:
    """One §72(t) exception: its Form 5329 number, scope, cap and what ``exception_amount`` means."""

    key: str
    number: str | None  # Form 5329 line 2 number; None where it is not reported on line 2 (see ``reported``)
    title: str
    citation: str
    plan: bool
    ira: bool
    only_accounts: frozenset[str] = frozenset()  # when set, the exception applies to these types only
    amount_role: str = "part"  # part | expenses | capped | vested_balance
    amount_help: str = "the part of the distribution the exception covers (default: all of it)"
    cap_parameter: str | None = None
    distributions_after: dt.date | None = None  # applies to distributions after this date
    needs_age_59_5: bool = False
    # How the cap reads: ``per_count`` multiplies the limit by ``exception_count`` (per child);
    # ``lifetime`` takes off what earlier years used (``first_home_used``); a vested_balance cap is the
    # lesser of the limit and a share of the vested balance over a floor, both rows of the limits table
    # named here (``balance_share_parameter``, ``balance_floor_parameter``; early_penalty.balance_cap_kernel).
    per_count: bool = False
    lifetime: bool = False
    balance_share_parameter: str | None = None
    balance_floor_parameter: str | None = None
    # where an exception without a line 2 number is reported instead (and left off Form 5329 line 1)
    reported: str | None = None

    def applies_to(self, account_type: str) -> bool:
        if self.only_accounts:
            return account_type in self.only_accounts
        kind = ACCOUNT_TYPES[account_type]
        return self.plan if kind == "plan" else self.ira if kind == "ira" else False

    def where(self) -> str:
        if self.only_accounts:
            return "only " + ", ".join(sorted(self.only_accounts))
        return {(True, True): "plans and IRAs", (True, False): "employer plans only", (False, True): "IRAs only"}.get(
            (self.plan, self.ira), "no account type here"
        )


_LINE2 = "Instructions for Form 5329, line 2, exception"
EXCEPTIONS: tuple[PenaltyException, ...] = (
    PenaltyException(
        "separation_55",
        "01",
        "separation from service in or after the year of reaching age 55 (50 for public safety employees)",
        f"IRC §72(t)(2)(A)(v), §72(t)(10); {_LINE2} 01",
        plan=True,
        ira=False,
    ),
    PenaltyException(
        "sepp",
        "02",
        "series of substantially equal periodic payments",
        f"IRC §72(t)(2)(A)(iv), §72(t)(3)(B); {_LINE2} 02",
        plan=True,
        ira=True,
    ),
    PenaltyException(
        "disability",
        "03",
        "total and permanent disability",
        f"IRC §72(t)(2)(A)(iii), §72(m)(7); {_LINE2} 03",
        plan=True,
        ira=True,
    ),
    PenaltyException(
        "death",
        "04",
        "distribution to a beneficiary or estate after the owner's death",
        f"IRC §72(t)(2)(A)(ii); {_LINE2} 04",
        plan=True,
        ira=True,
    ),
    PenaltyException(
        "medical",
        "05",
        "unreimbursed medical expenses above 7.5% of AGI",
        f"IRC §72(t)(2)(B), §213; {_LINE2} 05",
        plan=True,
        ira=True,
        amount_role="expenses",
        amount_help="medical expenses deductible under §213 (the part above 7.5% of AGI); required",
    ),
    PenaltyException(
        "qdro",
        "06",
        "payment to an alternate payee under a QDRO",
        f"IRC §72(t)(2)(C), §72(t)(3)(A); {_LINE2} 06",
        plan=True,
        ira=False,
    ),
    PenaltyException(
        "health_insurance",
        "07",
        "health insurance premiums while unemployed",
        f"IRC §72(t)(2)(D); {_LINE2} 07",
        plan=False,
        ira=True,
        amount_role="expenses",
        amount_help="health insurance premiums paid; required",
    ),
    PenaltyException(
        "higher_education",
        "08",
        "qualified higher education expenses",
        f"IRC §72(t)(2)(E), §72(t)(7); {_LINE2} 08",
        plan=False,
        ira=True,
        amount_role="expenses",
        amount_help="qualified higher education expenses; required",
    ),
    PenaltyException(
        "first_home",
        "09",
        "qualified first-time homebuyer distribution ($10,000 lifetime)",
        f"IRC §72(t)(2)(F), §72(t)(8); {_LINE2} 09",
        plan=False,
        ira=True,
        amount_role="capped",
        amount_help="qualified acquisition costs, at most what is left of the lifetime limit (default: all that is left)",
        cap_parameter="first_home_lifetime_cap_72t8B",
        lifetime=True,
    ),
    PenaltyException(
        "irs_levy", "10", "IRS levy on the account", f"IRC §72(t)(2)(A)(vii); {_LINE2} 10", plan=True, ira=True
    ),
    PenaltyException(
        "reservist",
        "11",
        "qualified reservist called to active duty",
        f"IRC §72(t)(2)(G); {_LINE2} 11",
        plan=True,
        ira=True,
    ),
    PenaltyException(
        "age_59_5",
        "12",
        "distribution at age 59½ or older shown as early (code 1, J or S)",
        f"IRC §72(t)(2)(A)(i); {_LINE2} 12",
        plan=True,
        ira=True,
        needs_age_59_5=True,
    ),
    PenaltyException(
        "gov_457b",
        "13",
        "governmental §457(b) distribution not from a rollover",
        f"IRC §72(t)(1) (qualified retirement plan per §4974(c)), §72(t)(9); {_LINE2} 13",
        plan=False,
        ira=False,
        only_accounts=frozenset({"GOV_457B"}),
    ),
    PenaltyException(
        "pre_1986_election",
        "14",
        "distribution under a designation made before March 1, 1986",
        f"TEFRA §242(b)(2); {_LINE2} 14",
        plan=True,
        ira=False,
    ),
    PenaltyException(
        "esop_dividends",
        "15",
        "ESOP dividends paid under §404(k)",
        f"IRC §72(t)(2)(A)(vi); {_LINE2} 15",
        plan=True,
        ira=False,
    ),
    PenaltyException(
        "phased_retirement",
        "17",
        "federal phased-retirement annuity payments",
        f"IRC §72(t)(2)(A)(viii); {_LINE2} 17",
        plan=True,
        ira=False,
    ),
    PenaltyException(
        "eaca_withdrawal",
        "18",
        "permissible withdrawal from an automatic contribution arrangement",
        f"IRC §414(w)(1)(B); {_LINE2} 18",
        plan=True,
        ira=False,
        only_accounts=frozenset({"401K", "403B", "PLAN", "SIMPLE_IRA", "SEP_IRA"}),
    ),
    PenaltyException(
        "birth_adoption",
        "19",
        "qualified birth or adoption distribution ($5,000 per child)",
        f"IRC §72(t)(2)(H); {_LINE2} 19",
        plan=True,
        ira=True,
        amount_role="capped",
        amount_help="amount designated for the birth or adoption, at most $5,000 per child (default: $5,000 times "
        "exception_count)",
        cap_parameter="birth_adoption_cap_per_child_72t2H",
        distributions_after=dt.date(2019, 12, 31),
        per_count=True,
    ),
    PenaltyException(
        "terminal_illness",
        "20",
        "distribution to a terminally ill individual",
        f"IRC §72(t)(2)(L) (SECURE 2.0 §326); Notice 2024-2 (plans and IRAs, not §457(b)); {_LINE2} 20",
        plan=True,
        ira=True,
        distributions_after=dt.date(2022, 12, 29),
    ),
    PenaltyException(
        "excess_contribution_earnings",
        "21",
        "earnings on an excess IRA contribution returned by the extended due date",
        f"IRC §72(t)(2)(A)(ix), §408(d)(4) (SECURE 2.0 §333); {_LINE2} 21",
        plan=False,
        ira=True,
        distributions_after=dt.date(2022, 12, 29),
    ),
    PenaltyException(
        "domestic_abuse",
        "22",
        "domestic abuse victim distribution",
        f"IRC §72(t)(2)(K) (SECURE 2.0 §314); {_LINE2} 22",
        plan=True,
        ira=True,
        amount_role="vested_balance",
        amount_help="the vested account balance (the cap is the year's dollar limit or 50% of it); required",
        cap_parameter="domestic_abuse_cap_72t2K",
        distributions_after=dt.date(2023, 12, 31),
        balance_share_parameter="domestic_abuse_balance_share_72t2K",
        balance_floor_parameter="domestic_abuse_balance_floor_72t2K",
    ),
    PenaltyException(
        "emergency",
        "23",
        "emergency personal expense distribution (one a year)",
        f"IRC §72(t)(2)(I) (SECURE 2.0 §115); {_LINE2} 23",
        plan=True,
        ira=True,
        amount_role="vested_balance",
        amount_help="the vested account balance (the cap is $1,000 or the balance over $1,000); required",
        cap_parameter="emergency_expense_cap_72t2I",
        distributions_after=dt.date(2023, 12, 31),
        balance_share_parameter="emergency_expense_balance_share_72t2I",
        balance_floor_parameter="emergency_expense_balance_floor_72t2I",
    ),
    PenaltyException(
        "disaster",
        None,
        "qualified disaster recovery distribution ($22,000 per disaster)",
        "IRC §72(t)(2)(M), §72(t)(11); reported on Form 8915-F, not Form 5329",
        plan=True,
        ira=True,
        amount_role="capped",
        amount_help="amount treated as a qualified disaster recovery distribution (default: the $22,000 limit)",
        cap_parameter="qualified_disaster_cap_72t11",
        distributions_after=dt.date(2021, 1, 26),
        reported="Form 8915-F",
    ),
    PenaltyException(
        "corrective",
        None,
        "a plan's corrective distribution: excess deferrals returned under §402(g), excess contributions (ADP) or "
        "excess aggregate contributions (ACP) with their income",
        "IRC §402(g)(2)(C), §401(k)(8)(D), §401(m)(7)(A); Treas. Reg. §1.402(g)-1(e)(8)(i), §1.401(k)-2(b)(2)(vi), "
        "§1.401(m)-2(b)(2)(vi); Instructions for Form 5329 (not an early distribution subject to the tax); "
        "Instructions for Forms 1099-R and 5498, box 7 codes 8 and P",
        plan=True,
        ira=False,
        reported="Form 1099-R with box 7 code 8 (P when taxable for the prior year)",
    ),
)

_BY_KEY = {e.key: e for e in EXCEPTIONS}
_BY_NUMBER = {e.number: e for e in EXCEPTIONS if e.number}

_REFUSED = {
    "16": "exception 16 (annuity contract investment before August 14, 1982) applies to commercial annuity "
    "contracts under §72(q), not to the account types here",
    "99": "exception 99 (more than one exception): call once for each exception with the part it covers",
    "long_term_care": "the long-term care premium exception (§72(t)(2)(N), SECURE 2.0 §334, distributions after "
    "December 29, 2025) is not yet supported: its Form 5329 number and limits are unverified here",
}


def parse_exception(value: object) -> PenaltyException | None:
    """An exception by Form 5329 number (1-23, '01') or readable key; None or blank means none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError(f"exception {value} must be a Form 5329 number or a key such as 'first_home'")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, (str, int, float)):
        raise InputError(f"exception {shown(value)} must be a Form 5329 number or a key such as 'first_home'")
    text = value.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(value, str) else shown(value)
    if text.isascii() and text.isdigit() and len(text) <= 3:  # "²" is a digit to str.isdigit(), not to int()
        text = f"{int(text):02d}"
    if text in _REFUSED:
        raise UnsupportedCase(_REFUSED[text])
    found = _BY_NUMBER.get(text) or _BY_KEY.get(text)
    if found is None:
        known = ", ".join(f"{e.number or '-'} {e.key}" for e in EXCEPTIONS)
        raise InputError(f"exception {shown(value)} is not a known §72(t) exception; known: {known}")
    return found
