"""Queries about case shares: find a share by its token (only hashes are compared), a case's live
shares, a viewer's, and whether a person may view a case through one. Nothing here commits; who
may see or change a case is decided in ``services.ownership``."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.feeds import TOKEN_BYTES, hash_token, looks_like_token
from storage.models import Case, CaseShare

TELEGRAM = "telegram"
WEB = "web"


def new_token() -> tuple[str, str]:
    """(the token, shown once; its hash, the only thing stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


async def by_token(session: AsyncSession, token: str, kind: str) -> CaseShare | None:
    """The share of ``kind`` this token opens (revoked, expired or used ones too: the caller says
    which), or None for anything else."""
    if not looks_like_token(token):
        return None
    digest = hash_token(token)
    share = (await session.execute(select(CaseShare).where(CaseShare.token_hash == digest,
                                                           CaseShare.kind == kind))).scalar_one_or_none()
    if share is None or not hmac.compare_digest(share.token_hash, digest):
        return None
    return share


def _live() -> list[ColumnElement[bool]]:
    return [CaseShare.revoked_at.is_(None)]


async def of_case(session: AsyncSession, case_id: int) -> list[CaseShare]:
    """The case's shares not revoked, oldest first."""
    rows = await session.scalars(select(CaseShare).where(CaseShare.case_id == case_id, *_live())
                                 .order_by(CaseShare.created_at, CaseShare.id))
    return list(rows.all())


async def viewing(session: AsyncSession, viewer_id: int, case_id: int | None = None) -> list[CaseShare]:
    """The live Telegram shares through which ``viewer_id`` sees a case (one case, or all)."""
    query = select(CaseShare).where(CaseShare.viewer_id == viewer_id, *_live())
    if case_id is not None:
        query = query.where(CaseShare.case_id == case_id)
    return list((await session.scalars(query.order_by(CaseShare.id))).all())


async def viewers_of(session: AsyncSession, case_ids: list[int]) -> dict[int, list[int]]:
    """Each case's viewers through a live Telegram share (for their copies of its reminders)."""
    found: dict[int, list[int]] = {cid: [] for cid in case_ids}
    if case_ids:
        rows = await session.execute(select(CaseShare.case_id, CaseShare.viewer_id)
                                     .where(CaseShare.case_id.in_(case_ids), CaseShare.viewer_id.is_not(None),
                                            *_live()).order_by(CaseShare.id))
        for case_id, viewer in rows.all():
            if viewer is not None and viewer not in found[case_id]:
                found[case_id].append(viewer)
    return found


async def shared_cases(session: AsyncSession, viewer_id: int) -> list[tuple[CaseShare, Case]]:
    rows = await session.execute(select(CaseShare, Case).join(Case, Case.id == CaseShare.case_id)
                                 .where(CaseShare.viewer_id == viewer_id, *_live()).order_by(CaseShare.id))
    return [(row[0], row[1]) for row in rows.all()]


def add(session: AsyncSession, case_id: int, kind: str, digest: str, language: str, now: datetime,
        expires_at: datetime | None) -> CaseShare:
    share = CaseShare(case_id=case_id, kind=kind, token_hash=digest, language=language, created_at=now,
                      expires_at=expires_at)
    session.add(share)
    return share
