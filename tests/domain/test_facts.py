"""notices.facts: the one home of a notice's derived facts, and the one money formatter."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from notices import deadlines, facts, reader
from notices.facts import NoticeInput, derive
from notices.money import money

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("code", ["CP71", "CP163"])
def test_parse_and_bot_disagreed_on_what_a_cp163_or_cp71_needs(code):
    # Regression: `noticebot parse` did not ask for the printed date of a notice with no window
    # (CP71, CP163) while the bot did. Both now read facts.missing.
    from bot.intake import DraftData

    text = f"{code} dated Nov 3, 2026, owe $1,200 for 2024"
    draft = reader.read(text, TODAY)
    bot_draft = DraftData.from_reader(draft)
    assert draft.missing == ["due_date"]
    assert bot_draft.missing() == ("due_date",)
    assert bot_draft.next_question() == "due_date"


def test_missing_follows_the_ask_order_and_skips_dont_know():
    assert facts.missing(None, None, None, None, ()) == ("code", "notice_date", "amount", "tax_years")
    assert facts.missing("CP9999", None, None, None, ()) == facts.ASK_ORDER[1:]
    assert facts.missing(None, None, None, None, (), unknown={"notice_date", "amount"}) == ("code", "tax_years")
    # a confirmed window needs no printed date; a refund hold needs no amount
    assert facts.missing("CP14", date(2026, 11, 3), None, Decimal(5), [2024]) == ()
    assert "amount" not in facts.missing("LTR5071C", date(2026, 11, 3), None, None, [2024])


def test_printed_date_wins_and_is_not_an_estimate():
    f = derive(NoticeInput("CP14", date(2026, 11, 3), printed_due=date(2026, 11, 30)), TODAY)
    assert (f.respond_by, f.estimated, f.notes) == (date(2026, 11, 30), False, ())
    assert f.deadline is not None and f.deadline.from_printed_date


def test_window_from_the_notice_date_is_rolled_per_irc_7503():
    f = derive(NoticeInput("CP14", date(2026, 11, 3)), TODAY)
    assert f.respond_by == deadlines.roll_forward(date(2026, 11, 24))
    assert [e.code for e in f.expected] == ["CP501"]


def test_no_notice_date_is_assumed_and_said_so():
    f = derive(NoticeInput("CP14", received_date=date(2026, 11, 10)), TODAY)
    assert "notice_date_assumed" in f.notes and f.estimated and f.respond_by is not None


def test_a_printed_date_before_the_notice_date_is_a_misreading_and_noted():
    f = derive(NoticeInput("CP14", date(2026, 11, 3), printed_due=date(2026, 10, 1)), TODAY)
    assert "printed_due_before_notice_date" in f.notes
    assert f.respond_by == derive(NoticeInput("CP14", date(2026, 11, 3)), TODAY).respond_by


def test_the_confirmed_respond_by_of_a_saved_notice_wins():
    f = derive(NoticeInput("CP14", date(2026, 11, 3), confirmed_respond_by=date(2026, 12, 1),
                           confirmed_estimated=True), TODAY)
    assert (f.respond_by, f.estimated) == (date(2026, 12, 1), True)


def test_unknown_code_uses_only_the_printed_date():
    f = derive(NoticeInput("CP9999", date(2026, 11, 3)), TODAY)
    assert (f.info, f.respond_by, f.hard, f.notes) == (None, None, False, ("unknown_code",))
    assert f.risk is not None and f.risk.level == "medium"


def test_risk_only_when_a_status_is_given():
    assert derive(NoticeInput("LT11", date(2026, 11, 3), status=None), TODAY).risk is None
    hard = derive(NoticeInput("LT11", date(2026, 11, 3)), TODAY)
    assert hard.hard and hard.risk is not None


@pytest.mark.parametrize(("value", "cents", "text"), [
    (Decimal("1234.5"), False, "$1,234.50"),
    (341218, True, "$3,412.18"),
    (-5, True, "-$0.05"),
    (0, False, "$0.00"),
    (None, False, "—"),
])
def test_money_has_one_format(value, cents, text):
    assert money(value, cents=cents) == text


def _calls(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.Attribute) and node.attr == name
               and isinstance(node.value, ast.Name) and node.value.id == "deadlines" for node in ast.walk(tree))


def test_only_the_facts_module_works_out_deadlines_from_the_catalog():
    # One home: outside notices/ nothing calls deadlines.compute / respond_by itself.
    offenders = [
        str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
        if ".venv" not in p.parts and "tests" not in p.parts and p.parts[len(ROOT.parts)] != "notices"
        and (_calls(p, "compute") or _calls(p, "respond_by"))
    ]
    assert offenders == []


def test_one_money_formatter():
    defs = [
        str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
        if ".venv" not in p.parts and "tests" not in p.parts
        and any(isinstance(n, ast.FunctionDef) and n.name.lstrip("_") == "money" for n in ast.walk(ast.parse(p.read_text())))
    ]
    assert defs == ["notices/money.py"]
