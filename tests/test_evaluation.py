"""The values stored in the templates: a plain formula's IF, CHOOSE and IFERROR read a cell only in the branch
taken, as Excel does (the figures are the ones LibreOffice gives: tests/test_portable_*.py)."""

from __future__ import annotations

from xl_rollover.templates.evaluation import always_read, evaluate
from xl_rollover.templates.specs import TEMPLATES

ROOM = next(t for t in TEMPLATES if t.file == "mega_backdoor_room.xlsx")


def test_a_branch_not_taken_passes_no_error_on():
    """No paychecks left: IF({in_paychecks}>0,ROUNDDOWN({out_room}/{in_paychecks},2),0) is 0 in Excel even when the
    room is refused (a year the limits table lacks), so the stored per-paycheck figure is 0.00, not #VALUE!."""
    v = evaluate(ROOM, {"in_year": 1990.0, "in_paychecks": 0.0})
    assert v["out_room"].startswith("#VALUE! year 1990 is not in the limits table")
    assert v["out_per_paycheck"] == 0.0
    assert v["out_sum_per_paycheck"] == 0.0
    assert v["out_sum_sentence"] == "#VALUE!"  # it shows the room itself: the room's error


def test_a_branch_taken_passes_its_error_on():
    v = evaluate(ROOM, {"in_year": 1990.0, "in_paychecks": 14.0})
    assert v["out_per_paycheck"] == "#VALUE!"
    v = evaluate(ROOM, {"in_deferrals": -1.0, "in_paychecks": 0.0})  # a refused input, no paychecks: still 0
    assert v["out_room"].startswith("#VALUE!") and v["out_per_paycheck"] == 0.0


def test_negative_paychecks_give_what_the_formula_gives():
    """The formula's IF tests >0: -1 paychecks is 0 a paycheck (the Python mirror once divided by it)."""
    assert evaluate(ROOM, {"in_paychecks": -1.0})["out_per_paycheck"] == 0.0


def test_always_read_leaves_out_branches_and_caught_errors():
    assert always_read("IF({a}>0,ROUNDDOWN({b}/{a},2),0)") == ["a"]
    assert always_read('{x}+IF({c},{d}-{e},0)*{f}&"IF({g})"') == ["x", "c", "f"]
    assert always_read("IFERROR({a},{b})+CHOOSE({k},{m},{n})+ISNUMBER({p})") == ["k"]
    assert always_read("IF(AND({a},OR({b},{c})),1,2)+MAX({d},({e}))") == ["a", "b", "c", "d", "e"]
