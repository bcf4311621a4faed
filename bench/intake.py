"""Processing time of the conversation's replies on SQLite, without the network.

The real Dispatcher, middlewares and routers handle real updates; the Bot's HTTP session is
replaced by one that answers instantly, so what is timed is our work: the database, the reader,
deadlines and risk, rendering, i18n. Scenarios, each for many different people:

- ``notice``: a free-text notice message -> the confirmation card (the brief's 50 ms target);
- ``save``: pressing Save -> notice stored, reminders planned, committed, card sent;
- ``list``: /notices for a person with 5 saved notices.

Usage: python bench/intake.py [--json] [--people N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update
from aiogram.types import User as TgUser

from app.config import Settings
from bot.dispatcher import build_dispatcher
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade

TOKEN = "42:bench"


class InstantSession(BaseSession):
    """Answers every Bot API call at once; keeps the last message sent per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.ids = count(1)
        self.last: dict[int, Message] = {}

    async def close(self) -> None:
        return None

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        name = type(method).__name__
        if name in {"SendMessage", "SendDocument", "SendPhoto", "EditMessageText"}:
            chat_id = int(getattr(method, "chat_id", 0) or 0)
            message = Message(
                message_id=next(self.ids), date=datetime.now(UTC), chat=Chat(id=chat_id, type="private"),
                text=getattr(method, "text", None), reply_markup=getattr(method, "reply_markup", None),
            )
            self.last[chat_id] = message
            return message
        return True

    async def stream_content(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        raise NotImplementedError
        yield b""


def message_update(update_id: int, user_id: int, text: str) -> Update:
    user = TgUser(id=user_id, is_bot=False, first_name="P", language_code="en")
    return Update(update_id=update_id, message=Message(
        message_id=update_id, date=datetime.now(UTC), chat=Chat(id=user_id, type="private"), from_user=user, text=text))


def press_update(update_id: int, user_id: int, message: Message, data: str) -> Update:
    user = TgUser(id=user_id, is_bot=False, first_name="P", language_code="en")
    return Update(update_id=update_id, callback_query=CallbackQuery(
        id=str(update_id), from_user=user, chat_instance="x", message=message, data=data))


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


async def run(people: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="nb-bench-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    await upgrade(url)
    engine = make_engine(url)
    session = InstantSession()
    bot = Bot(TOKEN, session=session)
    settings = Settings(bot_token=TOKEN, database_url=url)
    dp = build_dispatcher(settings, engine, make_sessionmaker(engine), storage=MemoryStorage())

    ids = count(1)
    today = datetime.now(UTC).date()
    times: dict[str, list[float]] = {"notice": [], "save": [], "list": []}

    async def timed(kind: str, update: Update) -> None:
        began = time.perf_counter()
        await dp.feed_update(bot, update)
        times[kind].append(time.perf_counter() - began)

    for person in range(1, people + 1):
        uid = 10_000 + person
        await dp.feed_update(bot, message_update(next(ids), uid, "/help"))  # first contact creates the row
        for k in range(5):
            dated = today - timedelta(days=3 + k)
            text = (f"got a CP{(14, 501, 503, 504, 14)[k]} for {2020 + k}, owe ${1000 + person}.{k}0, "
                    f"dated {dated.month}/{dated.day}/{dated.year}")
            await timed("notice", message_update(next(ids), uid, text))
            card = session.last[uid]
            save = next(b.callback_data for row in card.reply_markup.inline_keyboard for b in row  # type: ignore[union-attr]
                        if b.callback_data and b.callback_data.startswith("dr:save"))
            await timed("save", press_update(next(ids), uid, card, save))
        await timed("list", message_update(next(ids), uid, "/notices"))
    await bot.session.close()
    await engine.dispose()
    result = {"people": people, "database": "sqlite", **{k: summary(v) for k, v in times.items()},
              "target_ms": 50}
    result["notice_within_target"] = result["notice"]["p95_ms"] <= 50
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()
    result = asyncio.run(run(args.people))
    if args.json:
        print(json.dumps(result))
    else:
        for key in ("notice", "save", "list"):
            r = result[key]
            print(f"{key:7} n={r['n']:4}  p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  max {r['max_ms']:7.2f} ms")


if __name__ == "__main__":
    main()
