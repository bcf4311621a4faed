"""Issue 14, costs: the quarterly rate table 2020-2026, 1% over 0.25%, 0.25% only for timely filers,
no failure-to-pay penalty before assessment, failure to file on unfiled-return notices.

Sources: usc/26/6621, 6622 (rates, daily compounding), usc/26/6651 (a)(1), (a)(3), (c)(1), (d), (h);
https://www.irs.gov/payments/quarterly-interest-rates; https://www.irs.gov/payments/failure-to-pay-penalty.
Figures hand-checked in the issue (interest compounded daily)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from notices import catalog, cost
from notices.cost import compare_waiting, estimate


def test_the_rate_table_covers_the_current_quarter():
    # Fails when a new quarter starts and nobody added its rate: it is never silently carried forward.
    today = datetime.now(UTC).date()
    assert cost.rates().ends > today, f"add the IRS rate for the quarter of {today} to notices/data/rates.toml"


@pytest.mark.parametrize(("start", "percent"), [
    (date(2020, 1, 1), "5"), (date(2020, 7, 1), "3"), (date(2022, 1, 1), "3"), (date(2022, 4, 1), "4"),
    (date(2022, 7, 1), "5"), (date(2022, 10, 1), "6"), (date(2023, 7, 1), "7"), (date(2023, 10, 1), "8"),
    (date(2024, 10, 1), "8"), (date(2025, 1, 1), "7"), (date(2026, 1, 1), "7"), (date(2026, 4, 1), "6"),
    (date(2026, 7, 1), "7"), (date(2026, 10, 1), "7"),
])
def test_quarterly_rates_2020_to_2026_from_the_second_review(start, percent):
    assert cost.rates().rate_on(start)[0] == Decimal(percent)  # irs-notices.md section 14


def test_a_2021_2023_estimate_was_charged_at_8_percent():
    # Regression: the table started in 2024; earlier quarters used 8% (92% too high).
    e = estimate(Decimal("10000"), date(2021, 4, 15), date(2023, 4, 15))
    assert (e.interest, e.penalty) == (Decimal("903.38"), Decimal("1200.00"))
    assert not e.estimate


def test_the_plan_rate_was_applied_after_a_notice_of_intent_to_levy():
    # Regression: $5,000 after a CP504 dated 2026-03-02, then a plan, to 2026-09-02 showed $75.
    e = estimate(Decimal("5000"), date(2026, 3, 2), date(2026, 9, 2), plan=True, levy_notice_date=date(2026, 3, 2))
    assert e.penalty == Decimal("262.50")  # 0.25% for the first month, then 1% x 5 (IRC 6651(d))


def test_the_plan_rate_is_only_for_a_return_filed_on_time():
    on_time = estimate(Decimal("1000"), date(2025, 3, 1), date(2025, 9, 1), plan=True)
    late = estimate(Decimal("1000"), date(2025, 3, 1), date(2025, 9, 1), plan=True, timely_filer=False)
    assert (on_time.penalty, late.penalty) == (Decimal("15.00"), Decimal("30.00"))  # IRC 6651(h)


@pytest.mark.parametrize("code", ["CP2000", "CP3219A", "CP3219N"])
def test_a_failure_to_pay_penalty_was_added_to_proposals_not_yet_assessed(code):
    info = catalog.get(code)
    assert info is not None and not info.assessed
    scenarios = compare_waiting(code, Decimal("5000"), date(2026, 11, 2), date(2026, 11, 21))
    interest_only = estimate(Decimal("5000"), date(2026, 11, 21), scenarios[-1].date, assessed=False)
    assert interest_only.penalty == 0 and scenarios[-1].extra_cost == interest_only.total  # IRC 6651(a)(3)


def test_with_a_plan_and_no_answer_about_filing_on_time_both_figures_are_given():
    s = compare_waiting("CP14", Decimal("5000"), date(2026, 11, 2), date(2026, 11, 21), plan=True)[-1]
    assert s.extra_cost_if_filed_late is not None and s.extra_cost_if_filed_late > s.extra_cost
    asked = compare_waiting("CP14", Decimal("5000"), date(2026, 11, 2), date(2026, 11, 21), plan=True,
                            timely_filer=False)[-1]
    assert asked.extra_cost_if_filed_late is None and asked.extra_cost == s.extra_cost_if_filed_late


def test_the_cost_of_waiting_compared_a_cp504_with_an_lt11_expected_before_its_own_date():
    # Regression: a CP504 due Dec 16 was compared with "LT11 expected Dec 7".
    scenarios = compare_waiting("CP504", Decimal("5000"), date(2026, 11, 16), date(2026, 11, 21),
                                printed_due=date(2026, 12, 16))
    nxt = [s for s in scenarios if s.key == "next_notice"]
    assert nxt and nxt[0].date > date(2026, 12, 16)


@pytest.mark.parametrize("code", ["LT16", "CP59", "CP518", "LT26", "CP3219N", "CP2566"])
def test_unfiled_return_notices_carry_the_failure_to_file_penalty(code):
    info = catalog.get(code)
    assert info is not None and info.unfiled_return
    assert cost.failure_to_file_terms() == (Decimal("5"), Decimal("25"),
                                            "https://www.irs.gov/payments/failure-to-file-penalty")


def run_cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "app", "estimate", *args], capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout


def test_noticebot_estimate_reproduces_the_hand_checked_figures():
    first = json.loads(run_cli("--amount", "10000", "--from", "2021-04-15", "--to", "2023-04-15", "--json"))
    assert (first["interest"], first["penalty"]) == ("903.38", "1200.00")
    text = run_cli("--amount", "5000", "--from", "2026-03-02", "--to", "2026-09-02", "--plan",
                   "--levy-notice-date", "2026-03-02", "--filed-on-time", "yes")
    assert "$262.50" in text
    both = run_cli("--amount", "5000", "--from", "2026-03-02", "--to", "2026-09-02", "--plan")
    assert "$262.50 if the return was filed on time" not in both and "$75.00 if the return was filed on time" in both
