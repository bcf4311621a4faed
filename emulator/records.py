"""The emulator's records: Bot API errors, stored files, chat messages and callback
queries, and the small helpers that build Telegram's JSON for them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    mime_type: str | None = None
    file_name: str | None = None

    def as_file(self) -> dict[str, Any]:
        """The Bot API ``File`` object (what getFile returns)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class Record:
    """One message in a chat: the Telegram JSON plus what tests want to inspect."""

    seq: int  # global order of creation, the cursor for sent()/wait_sent()
    chat_id: int
    method: str  # sendMessage / sendDocument / sendPhoto, or "user" for injected messages
    message: dict[str, Any]  # the Telegram Message object as the bot received it
    outgoing: bool
    text: str | None = None  # raw text as the bot sent it (markup included)
    caption: str | None = None  # raw caption, for documents and photos
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    updated: int = 0  # cursor value of the last change (creation, edit, deletion)

    def view(self) -> dict[str, Any]:
        msg = self.message
        doc = msg.get("document")
        return {
            "seq": self.seq,
            "updated": self.updated,
            "message_id": msg["message_id"],
            "chat_id": self.chat_id,
            "method": self.method,
            "date": msg["date"],
            "text": self.text,
            "caption": self.caption,
            "plain_text": msg.get("text", msg.get("caption")),
            "parse_mode": self.parse_mode,
            "reply_markup": copy.deepcopy(self.reply_markup),
            "document": (
                {k: doc.get(k) for k in ("file_name", "file_id", "mime_type", "file_size")} if doc else None
            ),
            "photo": copy.deepcopy(msg.get("photo")),
            "edited": bool(self.edits),
            "edit_count": len(self.edits),
            "deleted": self.deleted,
        }


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    answered: bool = False
    answer: dict[str, Any] | None = None


def update_kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def command_entities(text: str) -> list[dict[str, Any]] | None:
    """The bot_command entity Telegram adds for a leading ``/command`` (``/start@bot`` included)."""
    if not text.startswith("/"):
        return None
    length = len(text.split(maxsplit=1)[0]) if text.strip() else 0
    if length < 2:
        return None
    return [{"type": "bot_command", "offset": 0, "length": len(text[:length].encode("utf-16-le")) // 2}]


def photo_size(stored: StoredFile, width: int, height: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "width": width,
        "height": height,
    }


def image_info(content: bytes) -> tuple[int, int, tuple[int, int, bytes] | None]:
    """Width, height and a 320px JPEG thumbnail when Pillow can read the image and it is bigger."""
    try:
        import io

        from PIL import Image

        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if max(width, height) <= 320:
                return width, height, None
            thumb = image.convert("RGB")
            thumb.thumbnail((320, 320))
            out = io.BytesIO()
            thumb.save(out, "JPEG")
            return width, height, (thumb.width, thumb.height, out.getvalue())
    except Exception:  # not an image Pillow understands: Telegram would still take it
        return 1280, 960, None
