"""aiogram's HTTP session for the local emulator, which speaks plain HTTP.

aiogram's ``AiohttpSession.close`` sleeps 250 ms so TLS connections can close gracefully (aiohttp's
advice); there is no TLS to the emulator, and that sleep at the end of every in-process test cost
about three minutes of the suite."""

from __future__ import annotations

from aiogram.client.session.aiohttp import AiohttpSession


class PlainHttpSession(AiohttpSession):
    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
