"""Helpers for the reminder engine tests: people and notices straight into the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notice, Reminder, User


async def add_person(session: AsyncSession, user_id: int, **settings: Any) -> User:
    user = User(id=user_id, **settings)
    session.add(user)
    await session.flush()
    return user


async def add_notice(session: AsyncSession, user_id: int, respond_by: date | None, code: str = "CP14",
                     **fields: Any) -> Notice:
    notice = Notice(user_id=user_id, code=code, respond_by=respond_by, **fields)
    session.add(notice)
    await session.flush()
    return notice


async def reminders_of(session: AsyncSession, notice_id: int) -> list[Reminder]:
    rows = await session.scalars(select(Reminder).where(Reminder.notice_id == notice_id).order_by(Reminder.due_at))
    return list(rows)
