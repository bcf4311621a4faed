"""Cost of waiting: exact Decimal interest and penalty, reproducible, estimates flagged."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notices import cost
from notices.cost import compare_waiting, estimate, penalty_months


def test_one_year_at_7_percent_compounded_daily():
    e = estimate(Decimal("10000"), date(2025, 1, 1), date(2026, 1, 1))
    # 10000 * (1 + 0.07/365)**365 - 10000 = 725.0098...
    assert e.interest == Decimal("725.01")
    assert e.penalty == Decimal("600.00")  # 12 months x 0.5%
    assert e.total == Decimal("1325.01")
    assert e.months == 12 and e.days == 365 and not e.estimate


def test_quarter_boundary_uses_each_rate():
    # 2024 Q4 at 8% then 2025 Q1 at 7%, one day each (2024 is a leap year: /366)
    e = estimate(Decimal("100000"), date(2024, 12, 31), date(2025, 1, 2))
    expected = Decimal(100000) * (1 + Decimal("0.08") / 366) * (1 + Decimal("0.07") / 365) - 100000
    assert e.interest == expected.quantize(Decimal("0.01"))


def test_plan_and_levy_rates():
    plan = estimate(Decimal("1000"), date(2025, 3, 1), date(2025, 9, 1), plan=True)
    assert plan.penalty == Decimal("15.00")  # 6 x 0.25%
    levy = estimate(Decimal("10000"), date(2025, 3, 1), date(2025, 9, 1), levy_notice_date=date(2025, 3, 1))
    assert levy.penalty == Decimal("550.00")  # first month 0.5%, then 5 x 1%


def test_penalty_cap_25_percent():
    e = estimate(Decimal("1000"), date(2025, 1, 1), date(2030, 1, 1), levy_notice_date=date(2024, 1, 1))
    assert e.penalty == Decimal("250.00")


@pytest.mark.parametrize(
    "start,end,months",
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 1, 16), 1),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 15), date(2026, 2, 16), 2),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 1, 31), date(2026, 3, 1), 2),
    ],
)
def test_month_or_part_of_a_month(start, end, months):
    assert penalty_months(start, end) == months


def test_dates_after_the_table_and_unconfirmed_rates_are_estimates():
    table = cost.rates()
    e = estimate(Decimal("500"), table.ends - timedelta(days=10), table.ends + timedelta(days=100))
    assert e.estimate
    confirmed = [q.start for q in table.quarters if q.confirmed][-1]
    assert not estimate(Decimal("500"), confirmed, confirmed + timedelta(days=30)).estimate
    unconfirmed = [q.start for q in table.quarters if not q.confirmed]
    assert all(estimate(Decimal("500"), d, d + timedelta(days=30)).estimate for d in unconfirmed)


def test_rate_table_has_sources():
    assert all(q.source.startswith("https://") for q in cost.rates().quarters)


def test_bad_input():
    with pytest.raises(ValueError):
        estimate(Decimal("1"), date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        estimate(Decimal("-1"), date(2026, 1, 1), date(2026, 2, 1))


def test_compare_waiting():
    s = compare_waiting("CP14", Decimal("2518.40"), date(2026, 11, 2), date(2026, 11, 21))
    assert [x.key for x in s] == ["now", "next_notice", "in_90_days"]
    assert s[0].extra_cost == 0 and s[1].next_code == "CP501"
    assert s[0].extra_cost < s[1].extra_cost < s[2].extra_cost
    assert all(isinstance(x.extra_cost, Decimal) for x in s)
    # intent-to-levy notices raise the penalty rate
    lt = compare_waiting("LT11", Decimal("2518.40"), date(2026, 11, 2), date(2026, 11, 21))
    assert lt[-1].extra_cost > s[-1].extra_cost


def test_compare_waiting_unknown_code():
    s = compare_waiting("CP9999", Decimal("100"), None, date(2026, 11, 21))
    assert [x.key for x in s] == ["now", "in_90_days"]


@settings(max_examples=100, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False),
    start=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)),
    days=st.integers(0, 400),
    plan=st.booleans(),
)
def test_money_is_decimal_and_reproducible(amount, start, days, plan):
    a = estimate(amount, start, start + timedelta(days=days), plan=plan)
    b = estimate(amount, start, start + timedelta(days=days), plan=plan)
    assert a == b
    for v in (a.interest, a.penalty, a.total):
        assert isinstance(v, Decimal) and v >= 0 and v == v.quantize(Decimal("0.01"))
    assert abs(a.total - (a.interest + a.penalty)) <= Decimal("0.01")
