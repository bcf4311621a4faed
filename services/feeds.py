"""Use case: create or reset a person's private calendar feed link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.unit import Unit
from storage import feeds as store
from storage.models import User

looks_like_token = store.looks_like_token  # a cheap shape check before any lookup


@dataclass(frozen=True)
class FeedLink:
    token: str  # shown once; only its hash is kept
    replaced: bool  # an earlier link existed and no longer works


async def issue_feed(u: Unit, user: User) -> FeedLink:
    replaced = user.feed_token_hash is not None
    token = await store.issue_token(u.session, user, u.now())
    await u.commit()
    return FeedLink(token, replaced)


async def person_by_token(session: AsyncSession, token: str) -> User | None:
    """Whose feed this token opens, or None (the same None for every miss; only hashes are compared)."""
    return await store.user_by_token(session, token)
