"""Use case: create or reset a person's private calendar feed link."""

from __future__ import annotations

from dataclasses import dataclass

from services.unit import Unit
from storage import feeds as store
from storage.models import User


@dataclass(frozen=True)
class FeedLink:
    token: str  # shown once; only its hash is kept
    replaced: bool  # an earlier link existed and no longer works


async def issue_feed(u: Unit, user: User) -> FeedLink:
    replaced = user.feed_token_hash is not None
    token = await store.issue_token(u.session, user, u.now())
    await u.commit()
    return FeedLink(token, replaced)
