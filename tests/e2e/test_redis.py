"""REDIS_URL: a conversation started with one `noticebot run` process continues with the next one
(a restart here; another replica in test_replicas)."""

from __future__ import annotations

import random
import signal

import pytest

from emulator import EmulatorClient
from tests.e2e.conftest import Chat

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

NOTICE = "I got a CP14 for tax year 2024, balance due $1,250.00"
ANSWER = "Nov 3, 2026"


def asks_notice_date(messages: list[dict]) -> bool:  # type: ignore[type-arg]
    return any("What date is printed on the notice?" in (m.get("text") or "") for m in messages)


async def test_question_asked_before_a_restart_is_answered_after_it(
    bot_factory, client: EmulatorClient, redis_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    chat = Chat(client, user_id=random.randint(10**8, 10**9))  # fresh FSM keys in the shared Redis
    first = await bot_factory(REDIS_URL=redis_url)
    card = await chat.say(NOTICE)
    assert asks_notice_date(card), card
    assert await first.stop(signal.SIGTERM) == 0

    second = await bot_factory(REDIS_URL=redis_url)  # same database, same Redis, a new process
    (updated,) = await chat.say(ANSWER)
    # The answer was taken as the notice date of the open draft, not as a new message.
    assert "Notice date: November 3, 2026" in updated["text"], updated["text"]
    assert not asks_notice_date([updated])
    assert "did not understand" not in updated["text"]
    await second.stop(signal.SIGTERM)
