"""Unit tests of the conversation's pure parts: splitting and escaping, callback sizes, answers to
questions, settings parsing, throttling, the timeline PNG, PDF text, and the notice queries."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from aiogram.utils.i18n import I18n

from bot import intake, texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.dispatcher import make_i18n
from bot.keyboards import ChecklistCb, DraftCb, EditCb, ForgetCb, LangCb, ListCb, LogCb, SettingsCb, StateCb
from bot.message_split import split
from bot.routers.form12153 import InstrumentCb
from bot.routers.settings import parse_offsets, parse_quiet, parse_time, zone_from_text
from bot.throttling import ThrottlingMiddleware
from notices import timeline
from services.ownership import find_owned
from storage import notices as store
from storage.models import NoticeStatus, User

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def i18n() -> I18n:
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale("en"):
        yield i18n


def test_split_keeps_lines_entities_and_limit() -> None:
    line = "• " + texts.esc("<tag> & more " * 20)
    text = "\n".join([line] * 60)
    pieces = split(text)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text  # cut at line breaks, nothing lost
    long_word = "&amp;" * 1000  # no spaces: cut between entities, never inside one
    parts = split(long_word, limit=4096)
    assert "".join(parts) == long_word and all(p.endswith(";") for p in parts)
    assert split("short") == ["short"]


def test_callback_data_fits_in_64_bytes() -> None:
    big = 2**31 - 1  # the largest row id a button may carry (bot.callbacks.RowId)
    packed = [
        NoticeCb(action=a, notice_id=big).pack() for a in NoticeAction
    ] + [
        DraftCb(action="field", token="ffffffff", field="notice_date").pack(),
        ChecklistCb(notice_id=big, item=99).pack(), ListCb(closed=True).pack(),
        EditCb(notice_id=big, field="received_date").pack(), LogCb(notice_id=big, kind="letter").pack(),
        StateCb(state="WY").pack(), LangCb(language="es").pack(), SettingsCb(field="offsets").pack(),
        ForgetCb(confirm=True).pack(),
        InstrumentCb(action="alt", notice_id=big, value="innocent_spouse").pack(),
    ]
    assert max(len(p.encode()) for p in packed) <= 64


def test_answers_to_questions() -> None:
    draft = intake.DraftData(code="CP14")
    assert draft.next_question() == "notice_date"
    assert not draft.answer("notice_date", "purple", TODAY)
    assert draft.answer("notice_date", "Nov 3", TODAY) and draft.notice_date == "2026-11-03"
    assert draft.next_question() == "amount"
    assert draft.answer("amount", "1,250", TODAY) and draft.amount == "1250.00"
    assert draft.answer("tax_years", "no sé", TODAY) and "tax_years" in draft.unknown
    assert draft.next_question() is None
    assert intake.parse_field("due_date", "Dec 15", TODAY) == date(2026, 12, 15)
    assert intake.parse_field("code", "letter 1058", TODAY) == "LTR1058"
    assert intake.parse_field("tax_years", "2022 and 2023", TODAY) == (2022, 2023)
    assert all(intake.is_dont_know(s) for s in ("I don't know", "idk", "No sé", "no lo sé", "not sure"))
    assert not intake.is_dont_know("Nov 3")


def test_assessment_estimates_without_a_notice_date() -> None:
    a = intake.assess("CP14", None, None, date(2026, 11, 20), False, Decimal("100"), TODAY, "en")
    assert "notice_date_assumed" in a.notes and a.estimated and a.respond_by is not None
    unknown = intake.assess("CP9999", TODAY, None, None, False, None, TODAY, "en")
    assert unknown.info is None and unknown.respond_by is None and "unknown_code" in unknown.notes
    hard = intake.assess("LT11", TODAY, None, None, False, None, TODAY, "en")
    assert hard.hard and "after this date you lose the right to a Collection Due Process hearing" in "\n".join(
        texts._deadline_lines(hard, TODAY, "en"))


def test_card_escapes_user_text() -> None:
    draft = intake.DraftData(code="CP9999<b>", amount="5.00")
    a = intake.assess_draft(draft, TODAY, "en")
    card = texts.draft_card(draft, a, TODAY, "en", [])
    assert "CP9999&lt;b&gt;" in card and "<b>CP9999" not in card.replace("<b>CP9999&lt;", "")


def test_settings_parsing() -> None:
    assert parse_time("07:30") == 450 and parse_time("7:30 pm") == 1170 and parse_time("12am") == 0
    assert parse_time("25:00") is None and parse_time("13 pm") is None
    assert parse_quiet("22:00-07:00") == (1320, 420) and parse_quiet("off") == (None, None)
    assert parse_quiet("22:00") is None
    assert parse_offsets("7, 3, 1, 0") == [7, 3, 1, 0] and parse_offsets("90") is None
    assert zone_from_text("Texas", codes=False) == "America/Chicago"
    assert zone_from_text("nueva york", codes=False) == "America/New_York"
    assert zone_from_text("america/chicago", codes=False) == "America/Chicago"
    assert zone_from_text("OK", codes=False) is None and zone_from_text("OK", codes=True) == "America/Chicago"


async def test_throttling_queues_instead_of_dropping(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiogram.types import Chat, Message
    from aiogram.types import User as TgUser

    mw = ThrottlingMiddleware(rate=20.0, burst=2, warn_after=1)
    handled: list[int] = []
    warned: list[str] = []

    async def handler(event, data):  # type: ignore[no-untyped-def]
        handled.append(event.message_id)

    async def fake_answer(self, text, **kw):  # type: ignore[no-untyped-def]
        warned.append(text)

    user = TgUser(id=1, is_bot=False, first_name="x")
    messages = [Message(message_id=i, date=NOW, chat=Chat(id=1, type="private"), from_user=user,
                        text=f"CP14 $1{i}0 dated Nov 3") for i in range(5)]
    monkeypatch.setattr(Message, "answer", fake_answer)

    await asyncio.gather(*(mw(handler, m, {"event_from_user": user}) for m in messages))
    assert handled == [0, 1, 2, 3, 4] and len(warned) == 1  # all of them, in order, one warning


async def test_throttling_answers_presses_past_the_budget_and_forgets_quiet_people(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from aiogram.types import CallbackQuery
    from aiogram.types import User as TgUser

    mw = ThrottlingMiddleware(rate=1.0, burst=2)
    answered: list[str] = []

    async def fake_answer(self, text=None, **kw):  # type: ignore[no-untyped-def]
        answered.append(text)

    async def handler(event, data):  # type: ignore[no-untyped-def]
        return "handled"

    monkeypatch.setattr(CallbackQuery, "answer", fake_answer)
    user = TgUser(id=2, is_bot=False, first_name="x")
    presses = [CallbackQuery(id=str(i), from_user=user, chat_instance="c", data="x") for i in range(3)]
    results = [await mw(handler, p, {"event_from_user": user}) for p in presses]
    assert results == ["handled", "handled", None] and len(answered) == 1 and "One moment" in answered[0]
    assert mw.people.ttl == 2 / 1.0 + mw.max_wait  # a full bucket and no waiter: forgotten after that


def test_timeline_png() -> None:
    png = timeline.render(timeline.Timeline(
        title="CP14: where you are", current=1, here_label="You are here: CP14",
        rungs=(timeline.Rung(1, "Balance due", "CP14"), timeline.Rung(2, "Reminder", "CP501")),
        upcoming=(timeline.Upcoming(2, "CP501 expected Dec 1 – Dec 22"),), footer="ranges",
    ))
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == timeline.WIDTH


async def test_notice_queries(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        session.add_all([User(id=1), User(id=2)])
        cp14 = await store.create(session, 1, NOW, code="CP14", tax_years=[2024], respond_by=date(2026, 12, 1))
        cp501 = await store.create(session, 1, NOW, code="CP501", tax_years=[2024], respond_by=date(2026, 11, 25))
        await store.create(session, 1, NOW, code="CP14", tax_years=[2020])
        await session.commit()
        assert [n.id for n in await store.list_for(session, 1)][:2] == [cp501.id, cp14.id]
        assert await find_owned(session, 2, cp14.id) is None
        assert cp14.case_id != cp501.case_id  # written straight to storage: each opens a case of its own
        assert await store.set_status(session, cp14, NoticeStatus.PAID, NOW)
        assert not await store.set_status(session, cp14, NoticeStatus.PAID, NOW)
        assert cp14.sequence == 1 and await store.count_closed(session, 1) == 1
        assert await store.set_item(session, cp14.id, "read_notice", True, NOW)
        assert not await store.set_item(session, cp14.id, "read_notice", True, NOW)  # once, however often
        changed = await store.update(session, cp501, NOW, amount_cents=100)
        assert changed == {"amount_cents": 100} and cp501.sequence == 1
        await session.commit()
        exported = await store.export_user(session, 1)
        assert len(exported["notices"]) == 3 and exported["notices"][0]["checklist_done"] == ["read_notice"]
        assert [e["kind"] for e in exported["notices"][0]["history"]] == ["created", "status"]
        assert [c["id"] for c in exported["cases"]] == [n["case_id"] for n in exported["notices"]]
