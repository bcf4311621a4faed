"""BotApiReminderSender against the in-process emulator: the message as sent, and Telegram's answers
mapped to the scheduler's errors (429, 403, 5xx, timeouts, connection trouble, other refusals)."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import words
from bot.reminder_sender import BotApiReminderSender, SendRefused
from bot.reminder_text import keyboard, pack_action, render
from bot.routers.reminders import ReminderAction
from emulator import EmulatorServer
from notices.reminder_kinds import ReminderKind, kind_of
from scheduler.errors import Blocked, RetryAfter, TransientError
from scheduler.items import DueItem

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"
I18N = I18n(path=LOCALES, default_locale="en", domain="messages")  # what the bot's handlers translate with
TR = words


def item(chat_id: int = 501, language: str = "en", respond_by: date | None = date(2026, 10, 9)) -> DueItem:
    return DueItem(
        reminder_ids=(1,), kinds=(kind_of("before:3"),), due_at=datetime(2026, 10, 6, 13, tzinfo=UTC), catch_up=False,
        user_id=chat_id, chat_id=chat_id, language=language, timezone="America/New_York",
        today=date(2026, 10, 6), notice_id=77, code="CP14", respond_by=respond_by, status="open",
        amount_cents=341218, tax_years=(2024,), hard=False,
    )  # fmt: skip


@pytest.fixture
async def emu() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer() as server:
        yield server


@pytest.fixture
async def sender(emu: EmulatorServer) -> AsyncIterator[BotApiReminderSender]:
    sender = BotApiReminderSender(emu.base_url, emu.token, TR, timeout=2.0)
    yield sender
    await sender.close()


def test_callback_data_is_what_reminder_action_packs() -> None:
    for action in ("paid", "plan", "disputed", "s1", "s3", "list"):
        packed = pack_action(action, 123456789)
        assert packed == ReminderAction(action=action, notice_id=123456789).pack()
        assert ReminderAction.unpack(packed) == ReminderAction(action=action, notice_id=123456789)


def test_fixed_texts_are_translated_per_locale_whatever_was_cached_first() -> None:
    """render() and keyboard() translate their fixed parts once per I18n and locale: switching
    back and forth must still give each locale's own words."""
    due = item()
    seen: dict[str, tuple[str, str]] = {}
    for language in ("en", "es", "en", "es"):
        text, paid = render(due, TR(language)), keyboard(due, TR(language))["inline_keyboard"][0][0]["text"]
        assert seen.setdefault(language, (text, paid)) == (text, paid)
        handled = I18N.gettext("Already handled it? Tell me below and I will stop reminding you.", locale=language)
        assert text.endswith(handled)
        assert paid == I18N.gettext("✅ Paid", locale=language)
    assert seen["en"] != seen["es"]


@pytest.mark.parametrize("language,respond_by,amount", [
    ("en", "3 days left to respond (by October 9, 2026).", "Amount: $3,412.18"),
    ("es", "9 de octubre de 2026", "3.412,18\xa0US$"),
])
def test_reminders_wrote_the_date_as_iso_and_the_amount_in_english_form(language: str, respond_by: str,
                                                                        amount: str) -> None:
    """Regression: a reminder said "(by 2026-10-09)" and "$3,412.18" to everyone; now dates are in
    words and amounts in the person's language (Babel's locale data)."""
    text = render(item(language=language), TR(language))
    assert respond_by in text and amount in text and "2026-10-09" not in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reminder_on_a_safe_estimated_hard_date_keeps_asking_for_the_printed_date(language: str) -> None:
    # issue 14: a hard notice without its notice date reminds on the safe date and asks for the printed one
    from dataclasses import replace

    asked = I18N.gettext("📝 This date is a safe estimate, at the latest. The date printed on the notice controls: "
                         "send it to me and I will use it.", locale=language)
    hard = replace(item(language=language), code="LT11", hard=True)
    assert asked in render(replace(hard, estimated=True), TR(language))
    assert asked not in render(hard, TR(language))
    assert asked not in render(replace(item(language=language), estimated=True), TR(language))  # not hard


def test_a_payment_reminder_of_a_math_error_notice_names_both_dates() -> None:
    from dataclasses import replace

    due = replace(item(), code="CP11", kinds=(kind_of("pay:0"),), pay_by=date(2026, 10, 6), respond_by=date(2026, 12, 1),
                  hard=True)
    text = render(due, TR("en"))
    assert "Payment is due October 6, 2026" in text and "reversed is later: December 1, 2026" in text
    assert "6 de octubre de 2026" in render(replace(due, language="es"), TR("es"))  # dates in words, in Spanish
    assert "Payment is due" not in render(replace(due, kinds=(kind_of("before:7"),)), TR("en"))


def test_a_language_without_a_catalog_gets_the_english_text() -> None:
    due = item(language="fr")
    assert render(due, TR("fr")) == render(due, TR("en"))
    assert keyboard(due, TR("fr")) == keyboard(due, TR("en"))


@pytest.mark.parametrize("language", ["en", "es"])
async def test_sends_the_rendered_text_and_buttons_as_html(emu: EmulatorServer, sender: BotApiReminderSender,
                                                           language: str) -> None:
    due = item(language=language)
    await sender.send(due)
    [sent] = emu.sent(501)
    assert sent["text"] == render(due, TR(language))
    assert sent["reply_markup"] == keyboard(due, TR(language))
    assert sent["parse_mode"] == "HTML" and "<b>" not in sent["plain_text"]
    rows = sent["reply_markup"]["inline_keyboard"]
    assert [len(r) for r in rows] == [1, 1, 1, 2, 1]  # paid, plan, disputed, both snoozes, checklist
    assert [b["callback_data"] for r in rows for b in r] == [
        "rm:paid:77", "rm:plan:77", "rm:disputed:77", "rm:s1:77", "rm:s3:77", "rm:list:77"]


async def test_deadline_day_has_no_snooze_row(emu: EmulatorServer, sender: BotApiReminderSender) -> None:
    await sender.send(item(respond_by=date(2026, 10, 6)))
    [sent] = emu.sent(501)
    assert [len(r) for r in sent["reply_markup"]["inline_keyboard"]] == [1, 1, 1, 1]


async def test_429_is_retry_after_with_telegrams_delay(emu: EmulatorServer, sender: BotApiReminderSender) -> None:
    emu.fault("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await sender.send(item())
    assert caught.value.seconds == 7.0
    await sender.send(item())  # one use only: the next one goes through
    assert len(emu.sent(501)) == 1


async def test_403_is_blocked(emu: EmulatorServer, sender: BotApiReminderSender) -> None:
    emu.fault("sendMessage", 403, chat_id=501)
    with pytest.raises(Blocked, match="blocked by the user"):
        await sender.send(item())


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_transient(emu: EmulatorServer, sender: BotApiReminderSender, status: int) -> None:
    emu.fault("sendMessage", status)
    with pytest.raises(TransientError):
        await sender.send(item())


async def test_timeout_is_transient(emu: EmulatorServer, sender: BotApiReminderSender) -> None:
    emu.fault("sendMessage", stall=5.0)
    sender.timeout = 0.3
    with pytest.raises(TransientError):
        await sender.send(item())


async def test_connection_refused_is_transient() -> None:
    sender = BotApiReminderSender("http://127.0.0.1:9", "1:x", TR, timeout=2.0)  # nothing listens on 9
    try:
        with pytest.raises(TransientError):
            await sender.send(item())
    finally:
        await sender.close()


@pytest.mark.parametrize(("status", "description"), [(400, "Bad Request: injected fault"), (404, "Not Found")])
async def test_other_refusals_are_send_refused(emu: EmulatorServer, sender: BotApiReminderSender, status: int,
                                               description: str) -> None:
    emu.fault("sendMessage", status)
    with pytest.raises(SendRefused) as caught:
        await sender.send(item())
    assert (caught.value.status, caught.value.description) == (status, description)
    assert not isinstance(caught.value, (RetryAfter, Blocked, TransientError))


async def test_wrong_token_is_refused(emu: EmulatorServer) -> None:
    sender = BotApiReminderSender(emu.base_url, "999:wrong", TR)
    try:
        with pytest.raises(SendRefused) as caught:
            await sender.send(item())
        assert caught.value.status == 401
    finally:
        await sender.close()


@pytest.mark.parametrize("code,label_en,label_es", [
    ("LT11", "🏛 Request a hearing (Form 12153)", "🏛 Solicitar una audiencia (Formulario 12153)"),
    ("CP3219A", "⚖️ Tax Court petition guide", "⚖️ Guía de la petición al Tribunal Tributario"),
    ("CP11", "✉️ 60-day request letter", "✉️ Carta de solicitud de 60 días"),
    ("LTR1153", "✉️ Dispute letter", "✉️ Carta de disputa"),  # hard, and its reply is a written protest
])
def test_a_hard_notices_reminder_offers_its_instrument_first(code: str, label_en: str, label_es: str) -> None:
    from dataclasses import replace

    for language, label in (("en", label_en), ("es", label_es)):
        due = replace(item(language=language), code=code, hard=True)
        first = keyboard(due, TR(language))["inline_keyboard"][0]
        assert first == [{"text": label, "callback_data": "rm:tool:77"}]
    assert pack_action("tool", 77) == ReminderAction(action="tool", notice_id=77).pack()
    assert all(b["callback_data"] != "rm:tool:77" for r in keyboard(item(), TR("en"))["inline_keyboard"] for b in r)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_disputed_hard_notices_reminder_says_only_the_instrument_keeps_the_right(language: str) -> None:
    from dataclasses import replace

    due = replace(item(language=language), code="LT11", hard=True, status="disputed")
    text = render(due, TR(language))
    name = I18N.gettext("Form 12153 (the request for a CDP hearing)", locale=language)
    assert name in text and ("Formulario 12153" if language == "es" else "Form 12153") in name
    handled = I18N.gettext("Already handled it? Tell me below and I will stop reminding you.", locale=language)
    assert handled not in text


@pytest.mark.parametrize("language,expect", [("en", "Independent Office of Appeals"),
                                             ("es", "Oficina Independiente de Apelaciones")])
def test_the_follow_up_after_a_mailed_form_12153(language: str, expect: str) -> None:
    from dataclasses import replace

    due = replace(item(language=language), code="LT11", hard=True, status="disputed", kinds=(ReminderKind.follow_up("hearing"),))
    text = render(due, TR(language))
    assert expect in text and "LT11" in text


@pytest.mark.parametrize("language,expect", [("en", "Find the date printed"), ("es", "Busque la fecha impresa")])
def test_a_notice_without_a_date_is_reminded_to_find_the_printed_date(language: str, expect: str) -> None:
    from dataclasses import replace

    due = replace(item(language=language, respond_by=None), kinds=(ReminderKind.find_date(2),))
    text = render(due, TR(language))
    assert expect in text and "UNKNOWN" not in text
