"""Local Bot API emulator: an aiohttp server that answers like api.telegram.org, plus a control API
(HTTP under ``/_emu/`` and Python methods on EmulatorServer) to act as users and inspect the bot."""

from .client import EmulatorClient, EmulatorError
from .server import EmulatorServer
from .state import DEMO_TOKEN, ApiError

__all__ = ["DEMO_TOKEN", "ApiError", "EmulatorClient", "EmulatorError", "EmulatorServer"]
