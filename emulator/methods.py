"""Bot API methods: each takes the state, the request parameters and the token, returns ``result``.

Error wording follows Telegram's so that code matching on descriptions behaves the same.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .formatting import CAPTION_LIMIT, TEXT_LIMIT, EntityParseError, plain_text, utf16_len
from .records import ApiError, Record, StoredFile, bad_request
from .state import EmulatorState


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


class Params:
    """Request parameters from a query string, a form, multipart or JSON, in one shape.

    Form values are strings (nested objects as JSON strings); JSON bodies carry native values.
    """

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int:
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def input_file(self, name: str) -> Upload | str:
        """An uploaded file (as the field itself or ``attach://part``), or a file_id string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.get_str(name)
        if value is None:
            raise bad_request(f"there is no {name} in the request")
        if value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if part not in self.uploads:
                raise bad_request(f"file attach://{part} not found in the request")
            return self.uploads[part]
        return value


Handler = Callable[[EmulatorState, Params, str], Awaitable[Any]]
# lower-case name -> (canonical name, handler): Telegram matches method names case-insensitively.
METHODS: dict[str, tuple[str, Handler]] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        METHODS[name.lower()] = (name, func)
        return func

    return register


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


# ----- methods ----------------------------------------------------------------------------------------


@method("getMe")
async def get_me(state: EmulatorState, params: Params, token: str) -> Any:
    return state.bot_user(token)


@method("getUpdates")
async def get_updates(state: EmulatorState, params: Params, token: str) -> Any:
    if state.webhook:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    state.confirm(params.get_int("offset") or 0)
    allowed = params.get_json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = set(allowed) or None
    limit = min(max(params.get_int("limit") or 100, 1), 100)
    # A newer getUpdates ends older ones with 409, as Telegram does when two instances poll.
    state.poll_generation += 1
    generation = state.poll_generation
    state.notify()
    await state.wait_until(
        lambda: bool(state.deliverable()) or generation != state.poll_generation,
        float(params.get_int("timeout") or 0),
    )
    if generation != state.poll_generation:
        raise ApiError(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        )
    return state.deliverable()[:limit]


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


_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def _commands_key(params: Params) -> str:
    scope = params.get_json("scope") or {"type": "default"}
    return json.dumps(
        {"scope": scope, "language_code": params.get_str("language_code") or ""}, sort_keys=True
    )


@method("setMyCommands")
async def set_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    commands = params.get_json("commands")
    if not isinstance(commands, list):
        raise bad_request("commands is empty")
    for item in commands:
        if not _COMMAND.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", ""))) <= 256:
            raise bad_request(
                "command description is empty"
                if not item.get("description")
                else "BOT_COMMAND_DESCRIPTION_INVALID"
            )
    state.commands[_commands_key(params)] = commands
    return True


@method("getMyCommands")
async def get_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    return state.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
async def delete_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    state.commands.pop(_commands_key(params), None)
    return True


_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@method("setWebhook")
async def set_webhook(state: EmulatorState, params: Params, token: str) -> Any:
    url = params.get_str("url")
    secret = params.get_str("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if params.get_bool("drop_pending_updates"):
        state.pending.clear()
    state.webhook = (
        {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get_int("max_connections") or 40,
            "token": token,  # webhook replies run as this bot
        }
        if url
        else None
    )
    state.webhook_error = None
    allowed = params.get_json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = set(allowed) or None
    state.poll_generation += 1  # a webhook ends a pending long poll with 409
    state.notify()
    return True


@method("deleteWebhook")
async def delete_webhook(state: EmulatorState, params: Params, token: str) -> Any:
    if params.get_bool("drop_pending_updates"):
        state.pending.clear()
    state.webhook = None
    state.notify()
    return True


@method("getWebhookInfo")
async def get_webhook_info(state: EmulatorState, params: Params, token: str) -> Any:
    info: dict[str, Any] = {
        "url": state.webhook["url"] if state.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.pending),
    }
    if state.webhook:
        info["max_connections"] = state.webhook["max_connections"]
    if state.allowed_updates:
        info["allowed_updates"] = sorted(state.allowed_updates)
    if state.webhook_error:
        info["last_error_date"], info["last_error_message"] = state.webhook_error
    return info


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


# Profile settings: stored as sent, readable back through the matching getter.
_SETTINGS = {
    "setMyDescription": ("getMyDescription", "description"),
    "setMyShortDescription": ("getMyShortDescription", "short_description"),
    "setMyName": ("getMyName", "name"),
}


def _setting_methods(setter: str, getter: str, field_name: str) -> None:
    async def set_value(state: EmulatorState, params: Params, token: str) -> Any:
        state.settings.setdefault(setter, {})[params.get_str("language_code") or ""] = (
            params.get_str(field_name) or ""
        )
        return True

    async def get_value(state: EmulatorState, params: Params, token: str) -> Any:
        return {field_name: state.settings.get(setter, {}).get(params.get_str("language_code") or "", "")}

    method(setter)(set_value)
    method(getter)(get_value)


for _setter, (_getter, _field) in _SETTINGS.items():
    _setting_methods(_setter, _getter, _field)


@method("setChatMenuButton")
async def set_chat_menu_button(state: EmulatorState, params: Params, token: str) -> Any:
    state.settings["setChatMenuButton"] = {"menu_button": params.get_json("menu_button")}
    return True


@method("close")
async def close(state: EmulatorState, params: Params, token: str) -> Any:
    return True


@method("logOut")
async def log_out(state: EmulatorState, params: Params, token: str) -> Any:
    return True
