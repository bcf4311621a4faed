"""Follow-ups from a notice's history (scheduler.followups.wanted): one function for letters, calls and
a mailed instrument, so the planner reads the history once."""

from __future__ import annotations

from datetime import date

from scheduler.followups import wanted

DAY = date(2026, 11, 2)


def test_letters_calls_and_a_mailed_form_12153_each_ask_for_their_follow_ups() -> None:
    events = [
        ("letter", {"date": "2026-11-01"}, DAY),
        ("call", {"date": "2026-11-02", "callback": "2026-12-15"}, DAY),
        ("instrument", {"instrument": "hearing", "follow_up": "2026-12-02"}, DAY),
        ("instrument", {"instrument": "hearing", "follow_up": "2026-12-02"}, DAY),  # logged twice: one check-in
    ]
    assert [(str(k), d) for k, d in wanted(events)] == [
        ("letter:30:2026-11-01", date(2026, 12, 1)), ("followup:hearing", date(2026, 12, 2)),
        ("callback:2026-12-15", date(2026, 12, 15)), ("letter:60:2026-11-01", date(2026, 12, 31))]


def test_the_irs_answering_ends_letter_and_call_follow_ups_but_not_the_hearing_check_in() -> None:
    events = [
        ("letter", {"date": "2026-11-01"}, DAY),
        ("instrument", {"instrument": "hearing", "follow_up": "2026-12-02"}, DAY),
        ("answered", {}, date(2026, 11, 20)),
    ]
    assert [str(k) for k, _d in wanted(events)] == ["followup:hearing"]


def test_an_unreadable_date_gives_no_follow_up_rather_than_a_failure() -> None:
    assert wanted([("instrument", {"instrument": "hearing", "follow_up": "soon"}, DAY)]) == []
