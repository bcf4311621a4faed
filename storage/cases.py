"""Queries about cases: a person's cases, a case's notices, opening one, keeping its tax form and
periods in step with its notices, removing it once empty.

Nothing here commits (the use case in ``services.cases`` does). Who may see a case is decided in
``services.ownership``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notices.cases import Debt, case_debt
from storage.models import Case, Notice


async def for_user(session: AsyncSession, user_id: int) -> list[Case]:
    """The person's cases, from the least to the most recently joined (``notices.cases.pick``'s order)."""
    rows = await session.scalars(select(Case).where(Case.user_id == user_id).order_by(Case.updated_at, Case.id))
    return list(rows.all())


async def notices_of(session: AsyncSession, case_ids: Sequence[int]) -> dict[int, list[Notice]]:
    """Each case's notices, oldest first (one query for all of them)."""
    found: dict[int, list[Notice]] = {cid: [] for cid in case_ids}
    if not case_ids:
        return found
    rows = await session.scalars(select(Notice).where(Notice.case_id.in_(list(case_ids)))
                                 .order_by(Notice.created_at, Notice.id))
    for n in rows.all():
        found[n.case_id].append(n)
    return found


def debt(case: Case) -> Debt:
    return Debt(case.tax_form, frozenset(case.tax_years or ()))


async def open_case(session: AsyncSession, user_id: int, now: datetime) -> Case:
    case = Case(user_id=user_id, tax_form=None, tax_years=[], created_at=now, updated_at=now)
    session.add(case)
    await session.flush()
    return case


async def refresh(session: AsyncSession, case: Case, now: datetime) -> bool:
    """Keep the case's form and periods those of its notices, or delete it when it has none left.
    Returns False when it was deleted."""
    await session.flush()
    notices = (await notices_of(session, [case.id]))[case.id]
    if not notices:
        await session.delete(case)
        return False
    known = case_debt([Debt.of(n.code, n.tax_years or ()) for n in notices])
    case.tax_form, case.tax_years, case.updated_at = known.form, sorted(known.years), now
    return True
