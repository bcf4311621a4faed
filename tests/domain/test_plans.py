"""Payment plans in the domain: payment dates, the payoff estimate and its cost on a declining balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from notices import cost, plans


def plan(**kw: object) -> plans.Plan:
    values: dict = {"monthly": Decimal(200), "payment_day": 15, "first_payment": date(2026, 12, 15)}
    values.update(kw)
    return plans.Plan(**values)


def test_payment_dates_keep_the_day_and_roll_over_the_year() -> None:
    p = plan(payment_day=28, first_payment=date(2026, 12, 28))
    assert [plans.payment_date(p, n) for n in range(3)] == [date(2026, 12, 28), date(2027, 1, 28), date(2027, 2, 28)]


def test_next_payments_skip_the_ones_paid_and_the_past() -> None:
    p = plan(paid_through=date(2026, 12, 15))
    assert plans.next_payments(p, date(2026, 12, 1)) == [date(2027, 1, 15), date(2027, 2, 15)]
    assert plans.next_payments(plan(), date(2026, 12, 16), count=1) == [date(2027, 1, 15)]


def test_unknown_first_payment_is_the_payment_day_of_next_month() -> None:
    assert plans.first_payment_for(15, date(2026, 12, 20)) == date(2027, 1, 15)
    assert plans.first_payment_for(28, date(2026, 1, 30)) == date(2026, 2, 28)


def test_payoff_counts_payments_and_costs_interest_and_the_quarter_percent_penalty() -> None:
    result = plans.payoff(Decimal(1000), plan(), date(2026, 11, 15))
    assert result.payments == 6 and result.payoff_date == date(2027, 5, 15)
    # Less than the same balance left unpaid for the whole time: the balance declines every month.
    whole = cost.estimate(Decimal(1000), date(2026, 11, 15), date(2027, 5, 15), plan=True)
    assert Decimal(0) < result.interest < whole.interest
    assert Decimal(0) < result.penalty < whole.penalty
    assert result.last_payment == Decimal(1000) + result.total_cost - 5 * 200


def test_late_filer_pays_the_half_percent_and_a_levy_notice_the_one_percent() -> None:
    today = date(2026, 11, 15)
    timely = plans.payoff(Decimal(5000), plan(), today)
    late = plans.payoff(Decimal(5000), plan(), today, timely_filer=False)
    levy = plans.payoff(Decimal(5000), plan(), today, levy_notice_date=date(2026, 10, 1))
    assert timely.penalty < late.penalty < levy.penalty
    assert timely.interest <= late.interest <= levy.interest


def test_a_payment_that_does_not_cover_the_growth_never_pays_off() -> None:
    result = plans.payoff(Decimal(100000), plan(monthly=Decimal(10)), date(2026, 11, 15))
    assert result.payoff_date is None and result.payments == plans.MAX_MONTHS


def test_zero_monthly_payment_is_refused() -> None:
    with pytest.raises(ValueError):
        plans.payoff(Decimal(100), plan(monthly=Decimal(0)), date(2026, 11, 15))


def test_which_notices_are_about_a_plan() -> None:
    assert [plans.about_plan(c) for c in ("CP521", "CP621", "CP89", "CP523", "CP523C", "CP623", "CP14", None)] \
        == ["monthly_reminder", "monthly_reminder", "annual_statement", "default_warning", "default_warning",
            "default_warning", None, None]
    assert plans.at_risk([("CP14", "plan"), ("CP523", "open")])
    assert plans.at_risk([("CP523D", "disputed")])
    assert not plans.at_risk([("CP14", "plan"), ("CP523", "closed"), ("CP521", "open")])
