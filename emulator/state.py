"""In-memory state of the emulated bot and the Python control API used by tests and the demo.

Everything here runs on one event loop, so plain dicts are enough; an asyncio.Condition wakes
long polls, webhook delivery and ``wait_sent`` whenever something changes.
"""

from __future__ import annotations

import asyncio
import copy
import mimetypes
import secrets
import time
from collections.abc import Callable
from typing import Any

from .faults import FaultsAndCalls
from .records import (
    CallbackQuery,
    Record,
    StoredFile,
    command_entities,
    image_info,
    photo_size,
    update_kind,
)

DEMO_TOKEN = "123456:emulator-demo-token"


class EmulatorState(FaultsAndCalls):
    """The emulated bot's world: chats, messages, files, pending updates; faults and the call log
    come from FaultsAndCalls (emulator/faults.py)."""

    def __init__(
        self,
        tokens: list[str] | None = None,
        *,
        bot_username: str = "noticebot_emulator_bot",
        bot_name: str = "Noticebot",
    ) -> None:
        super().__init__()
        self.tokens = list(tokens or [DEMO_TOKEN])
        self.bot_username = bot_username
        self.bot_name = bot_name
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        # Counters survive reset(): a bot still polling with offset=last+1 must see new updates, and
        # cursors held by tests stay meaningful.
        self._seq = 0
        # Telegram's update ids start at "a certain positive number" (and restart at a random one
        # after a week without updates), not at 1: two emulators never reuse each other's ids, so a
        # bot's record of updates it handled (in a shared Redis, say) never drops a new one.
        self._update_id = 10**6 + secrets.randbelow(10**9)
        self.poll_generation = 0  # bumped by each getUpdates so an older poll can answer 409
        self._clear()

    def _clear(self) -> None:
        self.pending: list[dict[str, Any]] = []  # updates not yet confirmed by the bot
        self.records: dict[tuple[int, int], Record] = {}
        self._next_message_id: dict[int, int] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.forget_faults_and_calls()
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.settings: dict[str, dict[str, Any]] = {}  # setMyDescription & co, stored as sent
        self.webhook: dict[str, Any] | None = None
        self.webhook_error: tuple[int, str] | None = None
        self.allowed_updates: set[str] | None = None  # None: every kind
        self._wait_cursor: dict[int, int] = {}

    # ----- identity -------------------------------------------------------------------------------

    def bot_user(self, token: str | None = None) -> dict[str, Any]:
        token = token or self.tokens[0]
        return {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Telegram User object; later calls remember and update what earlier ones said."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}
        )
        for key, value in (
            ("first_name", first_name),
            ("language_code", language_code),
            ("username", username),
            ("last_name", last_name),
        ):
            if value is not None:
                user[key] = value
        return dict(user)

    def chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        user = self.users.get(chat_id) or self.user(chat_id)
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        return chat

    # ----- messages -------------------------------------------------------------------------------

    def new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": sender,
        }
        message.update({k: v for k, v in content.items() if v is not None})
        return message

    def store(
        self,
        chat_id: int,
        method: str,
        message: dict[str, Any],
        *,
        outgoing: bool,
        text: str | None = None,
        caption: str | None = None,
        parse_mode: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> Record:
        self._seq += 1
        record = Record(
            self._seq, chat_id, method, message, outgoing, text, caption, parse_mode, reply_markup
        )
        record.updated = self._seq
        self.records[(chat_id, message["message_id"])] = record
        self.notify()
        return record

    def touch(self, record: Record) -> None:
        """Note an edit or deletion so sent(changed=True) and waiters see it."""
        self._seq += 1
        record.updated = self._seq
        self.notify()

    def find(self, chat_id: int, message_id: int) -> Record | None:
        record = self.records.get((chat_id, message_id))
        return None if record is None or record.deleted else record

    def sent(self, chat_id: int | None = None, since: int = 0, changed: bool = False) -> list[dict[str, Any]]:
        """Messages the bot sent (oldest first), optionally for one chat, created after cursor ``since``;
        with ``changed`` also older ones edited or deleted after it (ordered by last change)."""
        key = (lambda r: r.updated) if changed else (lambda r: r.seq)
        return [
            r.view()
            for r in sorted(self.records.values(), key=key)
            if r.outgoing and key(r) > since and (chat_id is None or r.chat_id == chat_id)
        ]

    @property
    def cursor(self) -> int:
        """Pass as ``since`` to sent() to see only what comes after now."""
        return self._seq

    async def wait_sent(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,
        since: int | None = None,
    ) -> list[dict[str, Any]]:
        """Wait for ``count`` new bot messages in a chat and return exactly those.

        Without ``since``, "new" means not returned by an earlier wait_sent for this chat, so a reply
        that arrived before the call still counts. Raises TimeoutError naming what did arrive.
        """
        start = self._wait_cursor.get(chat_id, 0) if since is None else since

        if not await self.wait_until(lambda: len(self.sent(chat_id, start)) >= count, timeout):
            got = [m.get("plain_text") for m in self.sent(chat_id, start)]
            raise TimeoutError(
                f"waited {timeout}s for {count} bot message(s) in chat {chat_id}, got {len(got)}: {got!r}"
            ) from None
        messages = self.sent(chat_id, start)[:count]
        if messages:
            self._wait_cursor[chat_id] = messages[-1]["seq"]
        return messages

    # ----- files ----------------------------------------------------------------------------------

    def add_file(
        self, content: bytes, *, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        unique = secrets.token_hex(8)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        elif kind == "photos":
            suffix = ".jpg"
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        stored = StoredFile(
            file_id=f"EMU{kind[:3].upper()}{unique}{secrets.token_hex(4)}",
            file_unique_id=unique,
            file_path=f"{kind}/file_{len(self.files)}{suffix}",
            content=content,
            mime_type=mime_type,
            file_name=file_name,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    def file_bytes(self, file_id: str) -> bytes:
        """Content of any file (sent by the bot or injected); KeyError if unknown."""
        return self.files[file_id].content

    def photo_sizes(self, content: bytes, kind: str = "photos") -> list[dict[str, Any]]:
        """PhotoSize list like Telegram's: a thumbnail (when the image is big) and the original."""
        width, height, thumb = image_info(content)
        sizes = []
        if thumb is not None:
            small = self.add_file(thumb[2], kind=kind, mime_type="image/jpeg")
            sizes.append(photo_size(small, thumb[0], thumb[1]))
        full = self.add_file(content, kind=kind, mime_type="image/jpeg")
        sizes.append(photo_size(full, width, height))
        return sizes

    # ----- updates --------------------------------------------------------------------------------

    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._update_id += 1
        update = {"update_id": self._update_id, **payload}
        self.pending.append(update)
        self.notify()
        return update

    def inject_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (update_id is assigned); escape hatch for kinds without a helper."""
        return self._push(dict(payload))

    def inject_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to_message_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """A private message from a user; leading ``/cmd`` gets a bot_command entity automatically."""
        sender = self.user(user_id, first_name, language_code, username)
        if text is not None and entities is None:
            entities = command_entities(text)
        if reply_to_message_id is not None:
            replied = self.find(user_id, reply_to_message_id)
            if replied is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {user_id}")
            content["reply_to_message"] = replied.message
        message = self.new_message(user_id, sender, text=text, entities=entities or None, **content)
        self.store(user_id, "user", message, outgoing=False, text=text, caption=content.get("caption"))
        return self._push({"message": message})

    def inject_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        **user: Any,
    ) -> dict[str, Any]:
        stored = self.add_file(content, kind="documents", file_name=file_name, mime_type=mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": stored.mime_type,
            "file_size": len(content),
        }
        return self.inject_message(user_id, document=document, caption=caption, **user)

    def inject_photo(
        self, user_id: int, content: bytes, caption: str | None = None, **user: Any
    ) -> dict[str, Any]:
        return self.inject_message(user_id, photo=self.photo_sizes(content), caption=caption, **user)

    def inject_callback(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> str:
        """A press on an inline button of a bot message; returns the callback query id."""
        chat_id = user_id if chat_id is None else chat_id
        record = self.find(chat_id, message_id)
        if record is None or not record.outgoing:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        query = CallbackQuery(id=str(secrets.randbelow(10**18) + 10**18), user_id=user_id)
        self.callbacks[query.id] = query
        self._push(
            {
                "callback_query": {
                    "id": query.id,
                    "from": self.user(user_id, first_name, language_code),
                    "message": copy.deepcopy(record.message),
                    "chat_instance": str(abs(chat_id) * 7919 + 1),
                    "data": data,
                }
            }
        )
        return query.id

    def callback_answer(self, query_id: str) -> dict[str, Any]:
        """``{"answered": bool, "text", "show_alert", "url", "cache_time"}`` for a pressed button."""
        query = self.callbacks[query_id]
        return {"answered": query.answered, **(query.answer or {})}

    def deliverable(self) -> list[dict[str, Any]]:
        """Pending updates, after dropping kinds the bot excluded with allowed_updates (as Telegram does)."""
        if self.allowed_updates:
            self.pending = [u for u in self.pending if update_kind(u) in self.allowed_updates]
        return self.pending

    def confirm(self, offset: int) -> None:
        """getUpdates offset semantics: drop updates below ``offset``; negative keeps the last -offset."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    # ----- lifecycle ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget chats, messages, files, updates, faults, calls, webhook and commands."""
        self._clear()
        self.notify()

    def notify(self) -> None:
        # Wake every waiter; each re-checks its own condition (see wait_until).
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait until ``predicate()`` holds or the server closes; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return predicate()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True

    @property
    def closing(self) -> bool:
        """True once close() ran: long polls, stalls and webhook retries stop waiting."""
        return self._closing.is_set()

    def close(self) -> None:
        """Release every waiter (long polls, stalls, wait_sent) so shutdown is instant."""
        self._closing.set()
        self.notify()
