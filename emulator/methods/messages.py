"""Messages: send, edit, delete, chat actions, button answers and file lookups."""

from __future__ import annotations

import time
from typing import Any

from ..formatting import CAPTION_LIMIT, TEXT_LIMIT, EntityParseError, plain_text, utf16_len
from ..params import Params, Upload
from ..records import Record, StoredFile, bad_request
from ..state import EmulatorState
from .registry import method

# ----- helpers ----------------------------------------------------------------------------------------


def _visible(text: str, parse_mode: str | None, *, limit: int, what: str) -> str:
    try:
        plain = plain_text(text, parse_mode)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    if utf16_len(plain) > limit:
        raise bad_request(f"message {what} is too long" if what == "caption" else "message is too long")
    return plain


def _markup(params: Params) -> dict[str, Any] | None:
    markup = params.get_json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    # A sent Message carries reply_markup only for inline keyboards, as in Telegram.
    return markup if markup and "inline_keyboard" in markup else None


def _reply_to(state: EmulatorState, params: Params, chat_id: int) -> dict[str, Any] | None:
    reply = params.get_json("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get_int("reply_to_message_id")
    if not message_id:
        return None
    record = state.find(chat_id, int(message_id))
    if record is None:
        if reply.get("allow_sending_without_reply") or params.get_bool("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return record.message


def _send(
    state: EmulatorState,
    params: Params,
    token: str,
    method_name: str,
    *,
    raw_text: str | None = None,
    raw_caption: str | None = None,
    **content: Any,
) -> dict[str, Any]:
    """Create, store and return a bot message; ``raw_*`` is what the bot sent, ``content`` what users see."""
    chat_id = params.chat_id()
    markup = _markup(params)
    message = state.new_message(
        chat_id,
        state.bot_user(token),
        reply_to_message=_reply_to(state, params, chat_id),
        reply_markup=_inline_only(markup),
        **content,
    )
    state.store(
        chat_id,
        method_name,
        message,
        outgoing=True,
        text=raw_text,
        caption=raw_caption,
        parse_mode=params.get_str("parse_mode"),
        reply_markup=markup,
    )
    return message


def _caption(params: Params) -> tuple[str | None, str | None]:
    caption = params.get_str("caption")
    if caption is None:
        return None, None
    return caption, _visible(caption, params.get_str("parse_mode"), limit=CAPTION_LIMIT, what="caption")


def _stored_file(state: EmulatorState, file: Upload | str, kind: str) -> StoredFile:
    if isinstance(file, Upload):
        mime = file.content_type if file.content_type not in (None, "application/octet-stream") else None
        return state.add_file(file.content, kind=kind, file_name=file.filename, mime_type=mime)
    if file in state.files:
        return state.files[file]
    if file.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _editable(state: EmulatorState, params: Params) -> Record:
    if params.get_str("inline_message_id"):
        raise bad_request("inline messages are not supported by the emulator")
    record = state.find(params.chat_id(), params.get_int("message_id", required=True) or 0)
    if record is None:
        raise bad_request("message to edit not found")
    if not record.outgoing:
        raise bad_request("message can't be edited")
    return record


_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)


def _apply_edit(
    state: EmulatorState,
    record: Record,
    method_name: str,
    reply_markup: dict[str, Any] | None,
    field: str | None = None,
    visible: str | None = None,
    raw: str | None = None,
    parse_mode: str | None = None,
) -> dict[str, Any]:
    """Edit ``field`` ("text", "caption" or None for markup only) and the keyboard of a stored message."""
    message = record.message
    if (field is None or message.get(field) == visible) and record.reply_markup == reply_markup:
        raise bad_request(_NOT_MODIFIED)
    record.edits.append({
        "method": method_name,
        "date": int(time.time()),
        "before": {"text": record.text, "caption": record.caption, "reply_markup": record.reply_markup},
    })  # fmt: skip
    if field is not None:
        setattr(record, field, raw)
        record.parse_mode = parse_mode
        if visible is None:
            message.pop(field, None)
        else:
            message[field] = visible
    record.reply_markup = reply_markup
    if _inline_only(reply_markup):
        message["reply_markup"] = reply_markup
    else:
        message.pop("reply_markup", None)
    message["edit_date"] = int(time.time())
    state.touch(record)
    return message


@method("sendMessage")
async def send_message(state: EmulatorState, params: Params, token: str) -> Any:
    text = params.get_str("text")
    if not text:
        raise bad_request("message text is empty")
    plain = _visible(text, params.get_str("parse_mode"), limit=TEXT_LIMIT, what="text")
    if not plain.strip():
        raise bad_request("message text is empty")
    return _send(state, params, token, "sendMessage", raw_text=text, text=plain)


@method("sendDocument")
async def send_document(state: EmulatorState, params: Params, token: str) -> Any:
    raw_caption, caption = _caption(params)
    stored = _stored_file(state, params.input_file("document"), "documents")
    document = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": stored.file_name,
        "mime_type": stored.mime_type,
        "file_size": len(stored.content),
    }
    document = {k: v for k, v in document.items() if v is not None}
    return _send(
        state, params, token, "sendDocument", raw_caption=raw_caption, caption=caption, document=document
    )


@method("sendPhoto")
async def send_photo(state: EmulatorState, params: Params, token: str) -> Any:
    raw_caption, caption = _caption(params)
    file = params.input_file("photo")
    if isinstance(file, Upload):
        sizes = state.photo_sizes(file.content)
    else:
        sizes = state.photo_sizes(_stored_file(state, file, "photos").content)
    return _send(state, params, token, "sendPhoto", raw_caption=raw_caption, caption=caption, photo=sizes)


@method("editMessageText")
async def edit_message_text(state: EmulatorState, params: Params, token: str) -> Any:
    record = _editable(state, params)
    if "text" not in record.message:
        raise bad_request("there is no text in the message to edit")
    text = params.get_str("text", required=True) or ""
    parse_mode = params.get_str("parse_mode")
    plain = _visible(text, parse_mode, limit=TEXT_LIMIT, what="text")
    # Like Telegram: an edit without reply_markup removes the inline keyboard.
    return _apply_edit(
        state,
        record,
        "editMessageText",
        _markup(params),
        field="text",
        visible=plain,
        raw=text,
        parse_mode=parse_mode,
    )


@method("editMessageCaption")
async def edit_message_caption(state: EmulatorState, params: Params, token: str) -> Any:
    record = _editable(state, params)
    raw, caption = _caption(params)
    return _apply_edit(
        state,
        record,
        "editMessageCaption",
        _markup(params),
        field="caption",
        visible=caption,
        raw=raw,
        parse_mode=params.get_str("parse_mode"),
    )


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: EmulatorState, params: Params, token: str) -> Any:
    record = _editable(state, params)
    return _apply_edit(state, record, "editMessageReplyMarkup", _markup(params))


@method("deleteMessage")
async def delete_message(state: EmulatorState, params: Params, token: str) -> Any:
    record = state.find(params.chat_id(), params.get_int("message_id", required=True) or 0)
    if record is None:
        raise bad_request("message to delete not found")
    record.deleted = True
    state.touch(record)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(state: EmulatorState, params: Params, token: str) -> Any:
    query = state.callbacks.get(params.get_str("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    query.answered = True
    query.answer = {
        "text": params.get_str("text"),
        "show_alert": params.get_bool("show_alert"),
        "url": params.get_str("url"),
        "cache_time": params.get_int("cache_time"),
    }
    state.notify()
    return True


@method("getFile")
async def get_file(state: EmulatorState, params: Params, token: str) -> Any:
    stored = state.files.get(params.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.as_file()


_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}  # fmt: skip


@method("sendChatAction")
async def send_chat_action(state: EmulatorState, params: Params, token: str) -> Any:
    params.chat_id()
    if params.get_str("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
