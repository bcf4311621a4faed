"""Private calendar feed tokens: one per person, kept only as a SHA-256 hash.

The token itself is shown to the person once and never stored, so a copy of the database (or a
backup) does not give access to anyone's feed. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User

TOKEN_BYTES = 24  # 192 random bits; secrets.token_urlsafe gives 32 URL-safe characters
# token_urlsafe's alphabet and length; anything else cannot be a token and is not looked up.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MAX_TOKEN_LENGTH = 64


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return 16 <= len(token) <= MAX_TOKEN_LENGTH and set(token) <= _TOKEN_CHARS


async def issue_token(session: AsyncSession, user: User, now: datetime) -> str:
    """A new token for the person; the previous one (if any) stops working at commit."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.feed_token_hash = hash_token(token)
    user.feed_updated_at = now
    await session.flush()
    return token


async def user_by_token(session: AsyncSession, token: str) -> User | None:
    """The person whose feed token this is, or None. A person who blocked the bot keeps their
    feed (the calendar is theirs); /forget deletes the row and so the feed."""
    if not looks_like_token(token):
        return None
    digest = hash_token(token)
    user = (await session.execute(select(User).where(User.feed_token_hash == digest))).scalar_one_or_none()
    # The index lookup already matched; compare again in constant time so the answer does not
    # depend on how much of the hash matched, whatever the database does.
    if user is None or not hmac.compare_digest(user.feed_token_hash or "", digest):
        return None
    return user
