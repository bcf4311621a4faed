"""Use cases about a person: coming back after blocking the bot, their settings, export, forget."""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler.planner import local_today, replan_user, resume_user
from services.unit import Unit
from storage import notices as notice_store
from storage import people as store
from storage.models import User

LANGUAGES = store.LANGUAGES  # the languages a person can choose
pick_language = store.pick_language

# Settings that move reminders (so every notice is re-planned); the rest (language) do not.
SCHEDULE_FIELDS = frozenset({"timezone", "timezone_confirmed", "reminder_minute", "quiet_start_minute",
                             "quiet_end_minute", "reminder_offsets"})
SETTINGS = SCHEDULE_FIELDS | {"language", "language_chosen", "calendar_details"}


async def local_date(u: Unit, user_id: int) -> tuple[date, str]:
    """Today in the person's time zone, and the zone. Every use case that asks goes through a stored
    person; someone not stored (deleted meanwhile) gets the column's default zone, not a guess."""
    user = await u.session.get(User, user_id)
    zone = user.timezone if user is not None else User.__table__.c.timezone.default.arg
    return local_today(u.now(), zone), zone


async def arrive(u: Unit, user_id: int, *, language_code: str | None, default_timezone: str) -> User:
    """The person writing: their row, created on first contact (language from Telegram's, the
    default time zone), or reactivated when they had blocked the bot (then their paused reminders
    resume). Always commits: a new row is saved, and otherwise the read ends so the connection goes
    back to the pool (the update may now wait in the throttling middleware, and a flood of waiting
    updates must not hold them all)."""
    user, arrival = await store.arrive(u.session, user_id, language=store.pick_language(language_code),
                                       timezone=default_timezone)
    if arrival is store.Arrival.BACK:
        await welcome_back(u, user.id)  # the row and the resumed reminders, one commit
    else:
        await u.commit()
    return user


async def welcome_back(u: Unit, user_id: int) -> None:
    """The person wrote (first time, or again after blocking the bot): paused reminders resume."""
    await resume_user(u.session, user_id, u.now())
    await u.commit(wake=True)


async def change_settings(u: Unit, user: User, **fields: Any) -> User:
    """Time zone, reminder time, quiet hours, reminder days, language: saved together, and every
    notice re-planned when the schedule moved."""
    unknown = set(fields) - SETTINGS
    if unknown:
        raise ValueError(f"not a setting: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(user, key, value)
    moves_reminders = bool(SCHEDULE_FIELDS & set(fields))
    if moves_reminders:
        await replan_user(u.session, user.id, u.now())
    await u.commit(wake=moves_reminders)
    return user


async def export(u: Unit, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as JSON-ready data."""
    return await notice_store.export_user(u.session, user_id)


async def forget(u: Unit, user_id: int) -> None:
    """Delete every row about the person (notices, reminders, history, feed token)."""
    await store.forget(u.session, user_id)
    await u.commit(wake=True)
    await store.purge_deleted(u.session)  # and no copy left in the SQLite write-ahead log
