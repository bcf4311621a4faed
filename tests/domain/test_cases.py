"""notices.cases: which notices are one debt, the order of cases by urgency, a case's timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notices.cases import (
    CaseNotice,
    Debt,
    Due,
    Logged,
    case_debt,
    group,
    pick,
    tax_form,
    timeline,
    urgency,
)
from notices.deadlines import ExpectedNotice

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(("code", "form"), [
    ("CP14", "1040"), ("cp 504", "1040"), ("LT11", "1040"), ("CP2000", "1040"), ("CP161", "business"),
    ("CP504B", "business"), ("LTR1153", "6672"), ("Letter 226-J", "4980H"), ("CP220J", "4980H"), ("CP999", None),
    (None, None),
], ids=["cp14", "spelled-cp504", "lt11", "cp2000", "business-cp161", "business-cp504b", "tfrp", "esrp-226j",
        "esrp-cp220j", "not-in-catalog", "no-code"])
def test_tax_form(code: str | None, form: str | None) -> None:
    assert tax_form(code) == form


@pytest.mark.parametrize(("a", "b", "same"), [
    (Debt("1040", frozenset({2024})), Debt("1040", frozenset({2023, 2024})), True),
    (Debt("1040", frozenset({2024})), Debt("1040", frozenset({2023})), False),
    (Debt("1040", frozenset({2024})), Debt("business", frozenset({2024})), False),
    (Debt(None, frozenset({2024})), Debt(None, frozenset({2024})), False),
    (Debt("1040", frozenset()), Debt("1040", frozenset()), False),
], ids=["overlapping-years", "other-year", "other-form", "unknown-form", "no-years"])
def test_same_debt(a: Debt, b: Debt, same: bool) -> None:
    assert a.same_as(b) is same and b.same_as(a) is same


def test_pick_prefers_more_shared_years_then_the_case_joined_last() -> None:
    y23, y24 = Debt("1040", frozenset({2023})), Debt("1040", frozenset({2024}))
    both = Debt("1040", frozenset({2023, 2024}))
    assert pick(Debt("1040", frozenset({2024})), [(1, y23), (2, y24)]) == 2
    assert pick(both, [(1, y23), (2, y24)]) == 2 and pick(both, [(2, y24), (1, y23)]) == 1
    assert pick(both, [(1, y23), (2, y24), (3, both)]) == 3  # two years shared beat one
    assert pick(Debt("1040", frozenset({2020})), [(1, y23)]) is None


def test_group_is_registration_in_saving_order() -> None:
    debts = [(1, Debt.of("CP14", [2024])), (2, Debt.of("CP14", [2023])), (3, Debt.of("CP501", [2024])),
             (4, Debt.of("CP504", [2023, 2024])), (5, Debt.of("CP161", [2024])), (6, Debt.of("CP14", []))]
    assert group(debts) == [[1, 3, 4], [2], [5], [6]]
    assert case_debt([Debt(None, frozenset({2022})), Debt.of("CP14", [2024])]) == Debt("1040", frozenset({2022, 2024}))


def d(days: int, hard: bool = False) -> Due:
    return Due(TODAY + timedelta(days=days), hard)


@pytest.mark.parametrize(("first", "second"), [
    ([d(6, hard=True)], [d(1)]),
    ([d(1)], [d(8, hard=True)]),
    ([d(3, hard=True)], [d(3)]),
    ([d(2)], [d(5)]),
    ([d(-4)], [d(1)]),
    ([d(40), d(2)], [d(30, hard=True)]),
    ([d(90)], []),
], ids=["hard-beats-soft-of-the-same-week", "soft-a-week-earlier-comes-first", "same-day-hard-first",
        "soonest-first", "overdue-first", "soonest-of-the-case-counts", "dated-before-undated"])
def test_urgency_order(first: list[Due], second: list[Due]) -> None:
    assert urgency(first) < urgency(second)


def test_resolved_cases_come_after_open_undated_ones() -> None:
    assert urgency([]) < urgency([], open_=False)


def notice(nid: int, code: str, dated: date, due: date | None, *, hard: bool = False, status: str = "open",
           resolved: date | None = None, expected: tuple[ExpectedNotice, ...] = ()) -> CaseNotice:
    return CaseNotice(nid, code, dated, dated + timedelta(days=5), due, False, hard, status == "open" or (
        hard and status == "disputed"), resolved, status, expected)


def test_timeline_orders_received_finds_the_stage_and_the_next_notice() -> None:
    cp503 = ExpectedNotice("CP503", date(2027, 1, 5), date(2027, 2, 2), estimate=True)
    story = timeline([
        notice(2, "CP501", date(2026, 11, 10), date(2026, 12, 1), expected=(cp503,)),
        notice(1, "CP14", date(2026, 9, 1), date(2026, 9, 22)),
    ], [Logged(date(2026, 11, 18), "call", 2, "CP501", "call back"), Logged(date(2026, 9, 2), "letter", 1, "CP14")],
        TODAY)
    assert [n.code for n in story.received] == ["CP14", "CP501"]
    assert story.now is not None and story.now.code == "CP501" and story.stage is not None
    assert story.stage.stage_key == "reminder" and story.next_expected == (cp503,)
    assert [(s.code, s.state) for s in story.deadlines] == [("CP14", "missed"), ("CP501", "open")]
    assert [x.kind for x in story.logged] == ["letter", "call"] and not story.resolved


@pytest.mark.parametrize(("n", "logged", "state"), [
    (notice(1, "LT11", date(2026, 11, 1), date(2026, 12, 1), hard=True), [], "open"),
    (notice(1, "LT11", date(2026, 10, 1), date(2026, 11, 2), hard=True), [], "missed"),
    (notice(1, "LT11", date(2026, 10, 1), date(2026, 11, 2), hard=True, status="disputed"),
     [Logged(date(2026, 10, 20), "instrument", 1, "LT11")], "met"),
    (notice(1, "LT11", date(2026, 10, 1), date(2026, 11, 2), hard=True, status="disputed"),
     [Logged(date(2026, 11, 5), "instrument", 1, "LT11")], "missed"),
    (notice(1, "CP14", date(2026, 10, 1), date(2026, 10, 22), status="paid", resolved=date(2026, 10, 15)), [], "met"),
    (notice(1, "CP14", date(2026, 10, 1), date(2026, 10, 22), status="paid", resolved=date(2026, 11, 1)), [], "missed"),
], ids=["hard-open", "hard-passed", "form-sent-in-time", "form-sent-late", "paid-in-time", "paid-late"])
def test_deadline_met_open_or_missed(n: CaseNotice, logged: list[Logged], state: str) -> None:
    [got] = timeline([n], logged, TODAY).deadlines
    assert got.state == state and got.hard == n.hard


def test_a_settled_case_expects_nothing_more() -> None:
    later = ExpectedNotice("CP501", date(2026, 12, 1), date(2026, 12, 20))
    story = timeline([notice(1, "CP14", date(2026, 11, 1), date(2026, 11, 22), status="paid",
                             resolved=date(2026, 11, 5), expected=(later,))], [], TODAY)
    assert story.resolved and story.next_expected == () and story.now is not None


def test_a_logged_plan_amount_that_is_not_a_number_is_left_out_not_a_crash() -> None:
    # Regression: the case view turned the stored amount into a float and failed on anything else,
    # while the summary PDF, a near-copy of the same sentences, left it out; now one function for both.
    from bot.i18n import words
    from notices.cases import Logged, logged_text

    plan = Logged(date(2026, 11, 2), "plan", 1, "CP14", "abc")
    assert logged_text(plan, words("en"), "abc") == "payment plan set up for CP14"
    paid = Logged(date(2026, 11, 2), "plan", 1, "CP14", "250")
    assert logged_text(paid, words("es"), "250") == "plan de pagos acordado para el CP14 — 250,00\xa0US$ al mes"
    call = Logged(date(2026, 11, 2), "call", 1, "CP14", "hold 60 days")
    assert "agreed: hold 60 days" in logged_text(call, words("en"), "hold 60 days")
    assert "agreed" not in logged_text(call, words("en"), "hold 60 days", agreed=False)
