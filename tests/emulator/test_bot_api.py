"""Bot API methods as aiogram itself calls them, checked through the emulator's control side."""

import io

import aiohttp
import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from PIL import Image

from emulator import DEMO_TOKEN

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Paid", callback_data="paid:1")]],
)


async def test_get_me(bot):
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot and me.username


async def test_send_message_with_keyboard_and_html(bot, user):
    await user.send_text(7, "/start")  # the chat becomes known with the user's name
    sent = await bot.send_message(7, "<b>Due</b> May 1", parse_mode="HTML", reply_markup=KEYBOARD)
    assert sent.chat.id == 7 and sent.from_user.is_bot
    assert sent.text == "Due May 1"  # Telegram answers with entities parsed out
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "paid:1"

    [record] = await user.wait_sent(7)
    assert record["message_id"] == sent.message_id
    assert record["method"] == "sendMessage"
    assert record["text"] == "<b>Due</b> May 1"
    assert record["plain_text"] == "Due May 1"
    assert record["parse_mode"] == "HTML"
    assert record["reply_markup"] == {"inline_keyboard": [[{"text": "Paid", "callback_data": "paid:1"}]]}
    assert record["edited"] is False and record["deleted"] is False


@pytest.mark.parametrize("text", ["a < b", "<b>open", "<div>x</div>"])
async def test_malformed_html_is_refused_like_telegram(bot, text):
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(7, text, parse_mode="HTML")


async def test_text_limits(bot):
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(7, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="y" * 65)]]
        )
        await bot.send_message(7, "hi", reply_markup=markup)


async def test_send_document_from_memory(bot, user):
    sent = await bot.send_document(
        7, BufferedInputFile(b"BEGIN:VCALENDAR", "notice.ics"), caption="Add to calendar"
    )
    assert sent.document.file_name == "notice.ics"
    assert sent.caption == "Add to calendar"

    [record] = await user.wait_sent(7)
    assert record["method"] == "sendDocument"
    assert record["caption"] == "Add to calendar"
    assert record["document"]["file_name"] == "notice.ics"
    assert record["document"]["mime_type"] == "text/calendar"
    assert await user.download(record) == b"BEGIN:VCALENDAR"
    # A file_id can be sent again, as with Telegram.
    again = await bot.send_document(7, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id


async def test_send_photo(bot, user):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(buf, "PNG")
    sent = await bot.send_photo(7, BufferedInputFile(buf.getvalue(), "p.png"))
    assert (sent.photo[-1].width, sent.photo[-1].height) == (640, 480)
    [record] = await user.wait_sent(7)
    assert await user.download(record) == buf.getvalue()


async def test_edit_text_and_markup(bot, user):
    sent = await bot.send_message(7, "Question?", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Answered", chat_id=7, message_id=sent.message_id)
    assert edited.text == "Answered" and edited.edit_date is not None
    [record] = await user.sent(7)
    assert record["text"] == "Answered"
    assert record["edited"] is True
    assert record["reply_markup"] is None  # an edit without reply_markup drops the keyboard, as in Telegram

    await bot.edit_message_reply_markup(chat_id=7, message_id=sent.message_id, reply_markup=KEYBOARD)
    [record] = await user.sent(7)
    assert record["reply_markup"]["inline_keyboard"][0][0]["text"] == "Paid"
    assert record["edit_count"] == 2

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Answered", chat_id=7, message_id=sent.message_id, reply_markup=KEYBOARD)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=7, message_id=999)


async def test_delete_message(bot, user):
    sent = await bot.send_message(7, "temporary")
    assert await bot.delete_message(7, sent.message_id) is True
    [record] = await user.sent(7)
    assert record["deleted"] is True
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(7, sent.message_id)


async def test_callback_query_and_answer(bot, user):
    sent = await bot.send_message(7, "Did you pay?", reply_markup=KEYBOARD)
    query_id = await user.press(7, sent.message_id, "paid:1")
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query.id == query_id and query.data == "paid:1"
    assert query.message.message_id == sent.message_id
    assert (await user.callback_answer(query_id))["answered"] is False

    assert await bot.answer_callback_query(query_id, text="Marked as paid") is True
    answer = await user.callback_answer(query_id)
    assert answer["answered"] is True and answer["text"] == "Marked as paid"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)


async def test_user_document_round_trip_through_get_file(bot, user):
    content = b"%PDF-1.4 fake notice"
    await user.send_document(7, "CP14.pdf", content, "application/pdf", caption="my letter")
    [update] = await bot.get_updates(timeout=1)
    document = update.message.document
    assert document.file_name == "CP14.pdf" and document.mime_type == "application/pdf"
    assert update.message.caption == "my letter"

    file = await bot.get_file(document.file_id)
    assert file.file_size == len(content)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded.read() == content
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_user_photo_has_sizes(bot, user):
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), "white").save(buf, "JPEG")
    await user.send_photo(7, buf.getvalue(), caption="scan")
    [update] = await bot.get_updates(timeout=1)
    sizes = update.message.photo
    assert len(sizes) == 2 and sizes[0].width == 320 and sizes[-1].width == 1200
    file = await bot.get_file(sizes[-1].file_id)
    assert (await bot.download_file(file.file_path)).read() == buf.getvalue()


async def test_commands_and_chat_action(bot, emu):
    commands = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    assert await bot.set_my_commands(commands) is True
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert await bot.get_my_commands(language_code="es") == []
    assert await bot.send_chat_action(7, "typing") is True
    assert emu.info()["commands"][0]["commands"][1]["command"] == "help"


async def test_raw_json_form_and_get_bodies(emu):
    url = f"{emu.base_url}/bot{DEMO_TOKEN}"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{url}/sendMessage", json={"chat_id": 5, "text": "json", "reply_markup": markup}
        ) as r:
            body = await r.json()
            assert body["ok"] and body["result"]["reply_markup"] == markup
        async with http.post(f"{url}/sendmessage", data={"chat_id": "5", "text": "form"}) as r:
            assert (await r.json())["result"]["text"] == "form"
        async with http.get(f"{url}/sendMessage", params={"chat_id": "5", "text": "query"}) as r:
            assert (await r.json())["result"]["text"] == "query"
        form = aiohttp.FormData()
        form.add_field("chat_id", "5")
        form.add_field("document", b"direct", filename="d.txt")
        async with http.post(f"{url}/sendDocument", data=form) as r:
            assert (await r.json())["result"]["document"]["file_name"] == "d.txt"
        async with http.post(f"{url}/noSuchMethod") as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
    assert [m["plain_text"] for m in emu.sent(5)] == ["json", "form", "query", None]
