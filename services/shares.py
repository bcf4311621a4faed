"""Sharing a case read-only (issue 16): the owner creates a one-time Telegram invite or a private
web link, sees who has access and revokes it; the invited person accepts the invite; the web page
opens by its token.

Tokens come from ``secrets`` and are shown once; only their SHA-256 is stored and none is ever
logged. Every use case checks the case through ``services.ownership`` (the owner *may change* it;
a viewer only *may view* it) and commits once. A Telegram viewer gets copies of the case's
reminders, planned for them (``scheduler.planner.replan_notice``: their own language, time and
quiet hours): accepting plans them, revoking cancels them in the same commit, and the engine checks
the share again when it claims one (``scheduler.jobs``), so a revoke stops them at once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from scheduler.planner import replan_case
from services.cases import CaseView, case_view
from services.ownership import owned_case
from services.unit import Unit
from storage import shares as store
from storage.models import Case, CaseShare

TELEGRAM, WEB = store.TELEGRAM, store.WEB
INVITE_VALID = timedelta(days=7)  # an invite not opened by then no longer works (a web link does until revoked)
NAME_LENGTH = 64


@dataclass(frozen=True)
class NewShare:
    share: CaseShare
    token: str  # shown to the owner once; never stored, never logged


async def create(u: Unit, owner_id: int, case_id: int, kind: str, language: str) -> NewShare:
    """A new read-only share of the owner's case: ``TELEGRAM`` (a one-time invite) or ``WEB``."""
    if kind not in (TELEGRAM, WEB):
        raise ValueError(kind)
    case = await owned_case(u.session, owner_id, case_id)
    now = u.now()
    token, digest = store.new_token()
    share = store.add(u.session, case.id, kind, digest, language, now,
                      now + INVITE_VALID if kind == TELEGRAM else None)
    await u.commit()
    return NewShare(share, token)


async def shares_of(u: Unit, owner_id: int, case_id: int) -> list[CaseShare]:
    """Who has access to the owner's case now (live shares, oldest first)."""
    case = await owned_case(u.session, owner_id, case_id)
    return await store.of_case(u.session, case.id)


async def revoke(u: Unit, owner_id: int, case_id: int, share_id: int) -> bool:
    """End a share of the owner's case at once. False when it was already revoked or is not a
    share of this case (a second press)."""
    case = await owned_case(u.session, owner_id, case_id)
    share = await u.session.get(CaseShare, share_id)
    if share is None or share.case_id != case.id or share.revoked_at is not None:
        return False
    share.revoked_at = u.now()
    await u.session.flush()
    await replan_case(u.session, case.id, u.now())  # the viewer's pending copies are cancelled
    await u.commit(wake=True)
    return True


class Invite(enum.Enum):
    ACCEPTED = "accepted"  # the person now sees the case
    AGAIN = "again"  # they had accepted this invite before: nothing changes
    OWN = "own"  # the owner opened their own invite: not used up, it still waits for the other person
    USED = "used"  # someone else accepted it already
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # no such invite (a typo, a forged token)


@dataclass(frozen=True)
class Accepted:
    outcome: Invite
    case: Case | None = None  # the case now visible (ACCEPTED, AGAIN, OWN)


async def accept(u: Unit, viewer_id: int, first_name: str, token: str) -> Accepted:
    """The person opened the bot with an invite's deep link: it is used up, and they may view the case."""
    share = await store.by_token(u.session, token, TELEGRAM)
    if share is None:
        return Accepted(Invite.UNKNOWN)
    case = await u.session.get(Case, share.case_id)
    if case is None:
        return Accepted(Invite.UNKNOWN)
    if share.revoked_at is not None:
        return Accepted(Invite.REVOKED)
    if share.viewer_id is not None:
        return Accepted(Invite.AGAIN, case) if share.viewer_id == viewer_id else Accepted(Invite.USED)
    if case.user_id == viewer_id:
        return Accepted(Invite.OWN, case)
    now = u.now()
    if share.expires_at is not None and share.expires_at <= now:
        return Accepted(Invite.EXPIRED)
    share.viewer_id, share.viewer_name = viewer_id, (first_name or "").strip()[:NAME_LENGTH] or None
    share.consumed_at = share.last_opened_at = now
    await u.session.flush()
    await replan_case(u.session, case.id, now)  # the viewer's copies of the case's reminders
    await u.commit(wake=True)
    return Accepted(Invite.ACCEPTED, case)


async def shared_with(u: Unit, viewer_id: int) -> list[Case]:
    """The cases shared with this person (never the owners' other cases)."""
    return [case for _, case in await store.shared_cases(u.session, viewer_id)]


async def view_shared(u: Unit, viewer_id: int, case_id: int, lang: str) -> CaseView:
    """A case shared with the viewer, read-only; the share's "last opened" moves. ``NotYours`` otherwise."""
    view = await case_view(u, viewer_id, case_id, lang)
    for share in await store.viewing(u.session, viewer_id, case_id):
        share.last_opened_at = u.now()
    await u.commit()
    return view


class Link(enum.Enum):
    OPEN = "open"
    GONE = "gone"  # revoked: the page says it is no longer shared (410)
    UNKNOWN = "unknown"  # no such link (404)


@dataclass(frozen=True)
class SharedPage:
    outcome: Link
    view: CaseView | None = None
    language: str | None = None  # the page's: asked for, else the owner's when they shared it


async def open_link(u: Unit, token: str, lang: str | None) -> SharedPage:
    """The web page of a shared case, by its link's token (the token is the only credential)."""
    share = await store.by_token(u.session, token, WEB)
    if share is None:
        return SharedPage(Link.UNKNOWN)
    if share.revoked_at is not None:
        return SharedPage(Link.GONE)
    case = await u.session.get(Case, share.case_id)
    if case is None:
        return SharedPage(Link.GONE)
    lang = lang or share.language
    view = await case_view(u, case.user_id, case.id, lang)
    share.last_opened_at = u.now()
    await u.commit()
    return SharedPage(Link.OPEN, view, lang)

