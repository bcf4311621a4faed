"""The real bot process over HTTP: answers /start, /help, /privacy and nonsense; stops cleanly."""

from __future__ import annotations

import signal
import time

import pytest

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fresh_bot(bot_factory):  # type: ignore[no-untyped-def]
    """For tests of the entry point itself: a new interpreter, not a fork (tests/harness_fork.py)."""
    return await bot_factory(fresh=True)


async def test_start_help_privacy_and_nonsense(bot, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    (welcome,) = await chat.say("/start")
    assert "IRS" in welcome["text"] and "Social Security" in welcome["text"]
    (help_,) = await chat.say("/help")
    assert "/notices" in help_["text"]
    (privacy,) = await chat.say("/privacy")
    assert "/forget" in privacy["text"]
    (reply,) = await chat.say("qwertyuiop zxcv")
    assert "did not understand" in reply["text"]
    # Message text never reaches the log.
    assert "qwertyuiop" not in bot.logs()


async def test_spanish_speaker_gets_spanish(bot, client) -> None:  # type: ignore[no-untyped-def]
    (welcome,) = await Chat(client, 2002, language="es").say("/start")
    assert "Seguro Social" in welcome["text"]


async def test_sigterm_exits_zero_quickly(fresh_bot, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    await chat.say("/start")
    began = time.monotonic()
    code = await fresh_bot.stop(signal.SIGTERM)
    assert code == 0, fresh_bot.logs()
    assert time.monotonic() - began < 10
    assert '"stopped"' in fresh_bot.logs()


async def test_sigint_exits_zero(fresh_bot) -> None:  # type: ignore[no-untyped-def]
    assert await fresh_bot.stop(signal.SIGINT) == 0, fresh_bot.logs()


async def test_wrong_token_exits_2_with_one_line(bot_factory, emulator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.harness import BotProcess

    proc = BotProcess(token="999:wrong-token", api_url=emulator.base_url,
                      database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", workdir=tmp_path, fresh=True)
    with pytest.raises(RuntimeError, match="exited with 2"):
        await proc.start()
    assert "BOT_TOKEN was refused" in proc.logs()
    assert "Traceback" not in proc.logs()
