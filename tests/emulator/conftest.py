from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer

from emulator import DEMO_TOKEN, EmulatorClient, EmulatorServer
from tests.plain_http import PlainHttpSession


def make_bot(base_url: str, token: str = DEMO_TOKEN) -> Bot:
    return Bot(token, session=PlainHttpSession(api=TelegramAPIServer.from_base(base_url)))


async def close_bot(bot: Bot) -> None:
    """Close without aiogram's 250 ms pause for SSL shutdown (plain HTTP here): keeps the suite fast."""
    http = getattr(bot.session, "_session", None)
    if http is not None:
        await http.close()
    else:
        await bot.session.close()


@pytest.fixture
async def emu() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer() as server:
        yield server


@pytest.fixture
async def bot(emu: EmulatorServer) -> AsyncIterator[Bot]:
    bot = make_bot(emu.base_url)
    yield bot
    await close_bot(bot)


@pytest.fixture
async def user(emu: EmulatorServer) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emu.base_url) as client:
        yield client
