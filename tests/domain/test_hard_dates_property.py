"""Property (issue 14): no input to the reader or the card moves a hard deadline later than the date
the law gives from the printed notice date. Only a notice that prints its own last day (Letter 3172,
CP3219A/N, LT75) may carry that printed date, and only when the person gives it."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake import DraftData, assess_draft
from notices import catalog, reader
from notices.deadlines import roll_forward

TODAY = date(2026, 11, 21)
HARD = sorted(n.code for n in catalog.all_notices() if n.hard and n.window_days is not None)

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30))
us_date = days.map(lambda d: f"{d.month}/{d.day}/{d.year}")
noise = st.lists(st.one_of(
    st.sampled_from(["I live abroad", "overseas", "outside the United States", "en el extranjero",
                     "please help", "I disagree", "150 days", "owe $4,200.00", "tax year 2024"]),
    us_date.map(lambda s: f"respond by {s}"), us_date.map(lambda s: f"pay by {s}"),
    us_date.map(lambda s: f"received {s}"), us_date.map(lambda s: f"on {s}"),
), max_size=4)
# what a person may type into the card afterwards (every field but the code and notice date)
answers = st.lists(st.tuples(st.sampled_from(["due_date", "received_date", "amount", "tax_years"]),
                             st.one_of(us_date, st.sampled_from(["I don't know", "abroad", "2024", "$120,000"]))),
                   max_size=3)


def law(code: str, notice_date: date) -> date:
    info = catalog.get(code)
    assert info is not None and info.window_days is not None
    return roll_forward(notice_date + timedelta(days=info.window_days))  # never the 150-day window


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(HARD), notice_date=days, extra=noise, typed=answers)
def test_no_input_moves_a_hard_date_later_than_the_law_from_the_notice_date(code, notice_date, extra, typed):
    text = f"{code} dated {notice_date.month}/{notice_date.day}/{notice_date.year}. " + ". ".join(extra)
    draft = DraftData.from_reader(reader.read(text, TODAY))
    for name, answer in typed:
        draft.answer(name, answer, TODAY)
    facts = assess_draft(draft, TODAY, "en")
    info = catalog.get(code)
    assert info is not None
    if draft.notice_date is None or draft.code != info.code:
        return  # the reader did not take this as the notice (not the property under test)
    read_date = date.fromisoformat(draft.notice_date)
    assert facts.respond_by is not None
    printed = draft.day("due_date")
    if info.prints_last_day and printed is not None:
        assert facts.respond_by in (printed, law(code, read_date))
    else:
        assert facts.respond_by <= law(code, read_date)


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(HARD), true_notice_date=days, mail_days=st.integers(0, 21),
       printed_shift=st.one_of(st.none(), st.integers(-60, 200)))
def test_without_a_notice_date_the_hard_date_is_never_after_the_real_one(code, true_notice_date, mail_days,
                                                                         printed_shift):
    # The notice reached the person within 21 days of its printed date; they say when it came, and
    # perhaps a (possibly misread) date to respond by.
    received = true_notice_date + timedelta(days=mail_days)
    printed = None if printed_shift is None else received + timedelta(days=printed_shift)
    draft = DraftData(code=code, received_date=received.isoformat(), due_date=printed.isoformat() if printed else None)
    facts = assess_draft(draft, TODAY, "en")
    info = catalog.get(code)
    assert facts.respond_by is not None and info is not None
    if info.prints_last_day and printed is not None:
        assert facts.respond_by == printed  # the printed last day controls
    else:
        assert facts.respond_by <= law(code, true_notice_date)
