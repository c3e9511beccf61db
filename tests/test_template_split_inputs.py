"""The separation template carries the split's RMD input and its basis outputs (issue 11 in the templates)."""

from __future__ import annotations

from decimal import Decimal

from xl_rollover.core.rules.split import roth_rollover_split
from xl_rollover.templates.evaluation import evaluate
from xl_rollover.templates.specs import SEPARATION

D = Decimal


def test_client_aged_72_with_an_rmd_of_4000_gets_the_cores_figures():
    """Dana's balance (0 pretax, 40,000 basis, 1,850 earnings) at 72 with a 4,000 RMD still due.

    IRC §402(c)(4)(B), Reg. §1.402(c)-2 Q&A-7: the RMD is paid first and never rolled; §72(e)(8): it carries
    4,000 x 40,000 / 41,850 = 3,823.178... -> 3,823.18 of basis (half-up), so 176.82 of it is taxable. Eligible:
    41,850 - 4,000 = 37,850. Option A rolls the remaining basis 40,000 - 3,823.18 = 36,176.82 to the Roth IRA and
    1,673.18 of pretax to a traditional IRA: taxable now 176.82. Option B rolls all 37,850 to the Roth IRA:
    taxable 1,673.18 + 176.82 = 1,850.00. Next year (Form 8606): A's IRA holds 1,673.18, ratio 7,500 / 9,173.18 =
    0.8176 -> 0.818, nontaxable 6,135, taxable 1,365; cost A (176.82 + 1,365) x 24% = 370.04, B 1,850 x 24% = 444,
    B - A = 73.96.
    """
    v = evaluate(SEPARATION, {"in_age": 72, "in_rmd": 4000})
    assert (v["out_req_after_tax"], v["out_req_pretax"], v["out_eligible"]) == (3823.18, 176.82, 37850.0)
    assert (v["out_a_roth"], v["out_a_taxable"], v["out_a_yev"], v["out_a_backdoor_taxable"]) == (
        36176.82,
        176.82,
        1673.18,
        1365.0,
    )
    assert (v["out_b_roth"], v["out_b_trad"], v["out_b_taxable"]) == (37850.0, 0.0, 1850.0)
    assert (v["out_a_cost"], v["out_b_cost"], v["out_b_minus_a"]) == (370.04, 444.0, 73.96)
    assert (v["out_a_trad_basis"], v["out_b_trad_basis"], v["out_unrecovered"]) == (0.0, 0.0, 0.0)
    # the same figures straight from the core
    for option, roth in (("a", v["out_a_roth"]), ("b", v["out_b_roth"])):
        core = roth_rollover_split(41850, 40000, 41850, D(str(roth)), age=72, rmd_amount=4000)
        assert float(core.taxable) == v[f"out_{option}_taxable"]
        assert float(core.withholding) == v[f"out_{option}_withholding"] == 0.0  # the RMD is not under the 20%
        assert float(core.traditional_ira_basis) == v[f"out_{option}_trad_basis"]
        assert (float(core.rmd_after_tax), float(core.rmd_pretax)) == (v["out_req_after_tax"], v["out_req_pretax"])
        assert float(core.roth_pretax + core.roth_after_tax) == roth


def test_a_pretax_balance_goes_to_traditional_after_the_rmd_takes_its_share():
    """75, 100,000 pretax + 40,000 basis + 1,850 earnings = 141,850, RMD 9,500 (IRC §402(c)(4)(B); §72(e)(8)).

    RMD basis 9,500 x 40,000 / 141,850 = 2,678.885... -> 2,678.89; RMD pretax 6,821.11. Eligible 132,350.
    A: Roth 40,000 - 2,678.89 = 37,321.11 (basis only), traditional the rest, 95,028.89; taxable 6,821.11 (the
    RMD's). B: the pretax left, 101,850 - 6,821.11 = 95,028.89, is under the 100,000 pretax balance, so the
    traditional IRA gets all of it and the Roth IRA 37,321.11, basis only; B's taxable is the RMD's 6,821.11 too.
    """
    v = evaluate(SEPARATION, {"in_age": 75, "in_rmd": 9500, "in_pretax": 100000})
    assert (v["out_req_after_tax"], v["out_req_pretax"], v["out_eligible"]) == (2678.89, 6821.11, 132350.0)
    assert (v["out_a_roth"], v["out_a_taxable"]) == (37321.11, 6821.11)
    assert (v["out_b_roth"], v["out_b_trad"], v["out_b_taxable"]) == (37321.11, 95028.89, 6821.11)
    core = roth_rollover_split(141850, 40000, 141850, D("37321.11"), age=75, rmd_amount=9500)
    assert float(core.taxable) == 6821.11 and float(core.traditional_pretax) == 95028.89


def test_without_the_rmd_input_an_rmd_age_is_refused_not_guessed():
    """IRC §401(a)(9)(C): at 69-74 in years the RMD cannot be told; a blank RMD cell gives #N/A, not a figure."""
    v = evaluate(SEPARATION, {"in_age": 72, "in_rmd": None})
    assert str(v["out_a_taxable"]).startswith("#N/A") and str(v["out_b_taxable"]).startswith("#N/A")


def test_not_covered_text_names_the_readmes_refused_and_assumed_split_cases():
    """README coverage table, split rows: refused annuity payments, pre-1987 basis, designated Roth money,
    distributions before 2015-01-01 (the core refuses a dated one, Notice 2014-54 §VI); assumed: the employee's own account, the balance is the basis's contract."""
    text = " ".join(SEPARATION.not_covered)
    for words in (
        "annuity payments",
        "before 1987",
        "designated Roth",
        "before January 1, 2015",
        "not inherited",
        "whole account",
        "voluntary income-tax withholding on the RMD",
    ):
        assert words in text, words


def test_backdoor_compares_keeping_rolling_all_and_rolling_part():
    """Issue 14 point 4, a third scenario: 21,000 of the 42,000 pretax IRA rolled in (IRC §408(d)(2), Form 8606).

    Line 6 = 42,000 - 21,000 = 21,000; line 9 = 21,000 + 7,500 = 28,500; line 10 = 7,500 / 28,500 = 0.26315...
    -> 0.263; line 13 = 7,500 x 0.263 = 1,972.50; line 18 = 7,500 - 1,972.50 = 5,527.50, carried as line 14.
    Next year: basis 7,500 + 5,527.50 = 13,027.50, ratio 13,027.50 / 28,500 = 0.4571 -> 0.457, nontaxable
    3,427.50, taxable 4,072.50, basis carried 9,600.00.
    """
    from xl_rollover.core.rules.form_8606 import form_8606
    from xl_rollover.templates.specs import BACKDOOR

    v = evaluate(BACKDOOR)
    assert (v["out_yev_part"], v["out_part_l18"], v["out_part_l14"]) == (21000.0, 5527.5, 5527.5)
    assert (v["out_part_taxable_1"], v["out_part_basis_1"]) == (4072.5, 9600.0)
    core = form_8606(7500, 0, 21000, 0, 7500)
    assert float(core.lines["18"]) == v["out_part_l18"]
    assert v["out_now_l18"] > v["out_part_l18"] > v["out_after_l18"]
    assert "rolling only 21,000.00 makes it 5,527.50" in v["out_sum_sentence"]
