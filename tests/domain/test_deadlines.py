"""Respond-by dates: printed date wins, IRC 7503 roll past weekends and DC/federal holidays."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notices import catalog, deadlines
from notices.deadlines import compute, is_legal_holiday, roll_forward


@pytest.mark.parametrize(
    "day,rolled",
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday, ordinary
        (date(2026, 11, 21), date(2026, 11, 23)),  # Saturday
        (date(2026, 11, 22), date(2026, 11, 23)),  # Sunday
        (date(2026, 11, 26), date(2026, 11, 27)),  # Thanksgiving
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day (Friday) -> Monday
        (date(2027, 12, 31), date(2028, 1, 3)),  # New Year's Day 2028 observed on Friday Dec 31
        (date(2026, 4, 16), date(2026, 4, 17)),  # DC Emancipation Day (Thursday)
        (date(2028, 4, 16), date(2028, 4, 18)),  # Emancipation Day on Sunday, observed Monday 17th
        (date(2027, 4, 16), date(2027, 4, 19)),  # Emancipation Day Friday -> Monday
        (date(2026, 7, 3), date(2026, 7, 6)),  # Independence Day observed Friday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas Friday
        (date(2026, 6, 19), date(2026, 6, 22)),  # Juneteenth Friday
        (date(2025, 1, 20), date(2025, 1, 21)),  # Inauguration Day (a DC holiday) + MLK Day
        (date(2029, 11, 12), date(2029, 11, 13)),  # Veterans Day observed Monday
    ],
)
def test_roll_forward(day, rolled):
    assert roll_forward(day) == rolled


def test_is_legal_holiday():
    assert is_legal_holiday(date(2026, 4, 16))
    assert is_legal_holiday(date(2026, 11, 28))  # Saturday
    assert not is_legal_holiday(date(2026, 11, 24))


@pytest.mark.parametrize(
    "code,notice,abroad,expected,estimate",
    [
        ("LT11", date(2026, 11, 4), False, date(2026, 12, 4), False),
        ("LTR1058", date(2026, 10, 24), False, date(2026, 11, 23), False),  # Monday
        ("LT11", date(2026, 10, 27), False, date(2026, 11, 27), False),  # Nov 26 Thanksgiving -> Fri 27
        ("CP90", date(2026, 3, 17), False, date(2026, 4, 17), False),  # Apr 16 Emancipation Day
        ("LTR3172", date(2026, 11, 25), False, date(2026, 12, 28), False),  # Dec 25 Fri -> Mon 28
        ("CP3219A", date(2026, 10, 1), False, date(2026, 12, 30), False),
        ("CP3219A", date(2026, 10, 1), True, date(2027, 3, 1), False),  # 150 days = Sat Feb 27 -> Mon
        ("CP3219N", date(2026, 10, 1), True, date(2027, 3, 1), False),
        ("CP14", date(2026, 11, 2), False, date(2026, 11, 23), False),
        ("CP503", date(2026, 11, 10), False, date(2026, 11, 20), False),
        ("CP501", date(2026, 11, 9), False, date(2026, 11, 30), True),
        ("CP504", date(2026, 10, 26), False, date(2026, 11, 5), True),
        ("CP2000", date(2026, 12, 2), False, date(2027, 1, 4), False),  # Jan 1 holiday, then weekend
        ("CP11", date(2026, 11, 2), False, date(2027, 1, 4), False),  # 60 days
    ],
)
def test_window_from_notice_date(code, notice, abroad, expected, estimate):
    d = compute(code, notice, abroad=abroad)
    assert d.respond_by == expected
    assert d.estimate is estimate
    assert not d.from_printed_date


def test_cdp_deadline_json():
    d = compute("lt 11", date(2026, 11, 4)).to_json()
    assert d["code"] == "LT11"
    assert d["respond_by"] == "2026-12-04"
    assert d["window_days"] == 30
    assert d["hard_deadline"] is True
    assert d["stage"] == 5
    assert d["estimate"] is False
    assert d["equivalent_hearing_until"] == "2027-11-04"
    assert d["rights"] and all(isinstance(r, str) for r in d["rights"])
    assert d["next"] and all({"code", "earliest", "latest"} <= set(n) for n in d["next"])
    assert all(n["earliest"] <= n["latest"] for n in d["next"])


def test_printed_date_wins():
    d = compute("CP14", date(2026, 11, 2), printed_due=date(2026, 11, 30))
    assert d.respond_by == date(2026, 11, 30) and d.from_printed_date and not d.estimate


def test_printed_before_notice_is_rejected():
    with pytest.raises(ValueError):
        compute("CP14", date(2026, 11, 2), printed_due=date(2026, 10, 1))


def test_unknown_code_uses_printed_date_only():
    d = compute("CP9999", date(2026, 11, 2))
    assert d.respond_by is None and d.estimate and not d.known
    d = compute("CP9999", date(2026, 11, 2), printed_due=date(2026, 12, 1))
    assert d.respond_by == date(2026, 12, 1) and d.estimate


def test_no_deadline_notice():
    d = compute("CP71", date(2026, 11, 2))
    assert d.respond_by is None and d.window_days is None and not d.hard_deadline


def test_next_notices_cp14_ladder():
    d = compute("CP14", date(2026, 11, 2))
    assert [n.code for n in d.next] == ["CP501"]
    assert d.next[0].earliest == date(2026, 12, 7) and d.next[0].estimate


def test_equivalent_hearing_only_for_cdp():
    assert compute("CP14", date(2026, 11, 2)).equivalent_hearing_until is None
    assert compute("LTR3172", date(2028, 2, 29)).equivalent_hearing_until == date(2029, 2, 28)


WINDOW_CODES = [n.code for n in catalog.all_notices() if n.window_days]


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(WINDOW_CODES),
    notice=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    abroad=st.booleans(),
)
def test_respond_by_is_a_business_day_not_before_notice(code, notice, abroad):
    d = deadlines.compute(code, notice, abroad=abroad)
    assert d.respond_by is not None
    assert d.respond_by >= notice + timedelta(days=d.window_days)
    assert not is_legal_holiday(d.respond_by)
    assert d.respond_by - (notice + timedelta(days=d.window_days)) < timedelta(days=6)
