"""What a sender may raise; the service decides retry, backoff or pause from the type alone.

Defined here, not in the bot, so the scheduler never imports aiogram.
"""

from __future__ import annotations


class SendError(Exception):
    """Base class for delivery failures the service knows how to handle."""


class RetryAfter(SendError):
    """Telegram said 429: wait ``seconds`` before sending anything again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = float(seconds)


class TransientError(SendError):
    """5xx, timeouts, network trouble: try again later, keep the reminder."""


class Blocked(SendError):
    """403: the person blocked the bot (or deleted their account); pause until they come back."""
