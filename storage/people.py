"""Queries about people: their row, their settings, and forgetting them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User

LANGUAGES = ("en", "es")


def pick_language(code: str | None) -> str:
    """Telegram's language_code ("es-MX", "en") → one of ours; English otherwise."""
    base = (code or "en").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


async def get_or_create(
    session: AsyncSession, user_id: int, *, language: str, timezone: str
) -> tuple[User, bool]:
    """Return the person's row and whether it was created or reactivated (needs a commit)."""
    user = await session.get(User, user_id)
    if user is None:
        user = User(id=user_id, language=language, timezone=timezone)
        session.add(user)
        return user, True
    if not user.active:
        user.active = True  # they wrote to us again, so they unblocked the bot
        return user, True
    return user, False


async def forget(session: AsyncSession, user_id: int) -> None:
    """Delete every row about the person (notices, reminders, history cascade)."""
    await session.execute(delete(User).where(User.id == user_id))


async def get(session: AsyncSession, user_id: int) -> User | None:
    return (await session.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
