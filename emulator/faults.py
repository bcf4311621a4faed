"""Faults to inject into Bot API calls, and the log of every call: what tests use to make the
emulator misbehave on purpose and to see what the bot asked for."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from .records import ApiError

_FAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: injected fault",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Fault:
    id: int
    method: str  # lower-case method name, or "*" for every method
    status: int | None  # None: only stall, then answer normally
    times: int | None  # None: until cleared
    retry_after: int | None = None
    chat_id: int | None = None
    stall: float | None = None
    description: str | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.method not in ("*", method.lower()):
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        if self.status is None:
            return None
        retry_after = self.retry_after
        if self.status == 429 and retry_after is None:
            retry_after = 1
        template = self.description or _FAULT_DESCRIPTIONS.get(self.status, "Injected fault")
        return ApiError(self.status, template.format(retry_after=retry_after), retry_after)


class FaultsAndCalls:
    """The faults waiting for matching calls and the call log (part of the emulator's state)."""

    def __init__(self) -> None:
        self._fault_ids = itertools.count(1)
        self.forget_faults_and_calls()

    def forget_faults_and_calls(self) -> None:
        self.faults: list[Fault] = []
        self.call_log: list[dict[str, Any]] = []

    def fault(
        self,
        method: str,
        status: int | None = None,
        times: int | None = 1,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        stall: float | None = None,
        description: str | None = None,
    ) -> int:
        """Make ``method`` ("*" = any) fail with ``status`` and/or stall ``stall`` seconds, for the next
        ``times`` matching calls (None = until cleared). Returns the fault id."""
        if status is None and stall is None:
            raise ValueError("a fault needs a status, a stall, or both")
        item = Fault(
            next(self._fault_ids), method.lower(), status, times, retry_after, chat_id, stall, description
        )
        self.faults.append(item)
        return item.id

    def clear_faults(self, method: str | None = None) -> None:
        self.faults = [f for f in self.faults if method is not None and f.method != method.lower()]

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        """The first fault matching this call, consuming one of its uses."""
        for item in self.faults:
            if item.matches(method, chat_id):
                if item.times is not None:
                    item.times -= 1
                    if item.times <= 0:
                        self.faults.remove(item)
                return item
        return None

    def log_call(self, method: str, chat_id: int | None) -> dict[str, Any]:
        entry = {
            "method": method,
            "chat_id": chat_id,
            "t": time.monotonic(),
            "wall": time.time(),
            "status": None,
        }
        self.call_log.append(entry)
        return entry

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Every Bot API call (oldest first): method, chat_id, t (time.monotonic()), wall, status."""
        wanted = method.lower() if method else None
        return [dict(c) for c in self.call_log if wanted is None or c["method"].lower() == wanted]

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for call in self.call_log:
            result[call["method"]] = result.get(call["method"], 0) + 1
        return result
