"""The table of Bot API methods: ``@method("sendMessage")`` registers a handler under its name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..params import Params
from ..state import EmulatorState

Handler = Callable[[EmulatorState, Params, str], Awaitable[Any]]
# lower-case name -> (canonical name, handler): Telegram matches method names case-insensitively.
METHODS: dict[str, tuple[str, Handler]] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        METHODS[name.lower()] = (name, func)
        return func

    return register

