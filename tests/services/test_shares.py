"""Sharing a case read-only: create, accept (once, in time, not revoked), revoke at once, forged
tokens, and a viewer who can see the case but never change it or see the owner's other cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services import cases, notices, plans, reminders, shares
from services.ownership import Access, NotYours, ViewOnly, case_access
from storage.feeds import hash_token
from storage.models import CaseShare, Notice, NoticeStatus
from tests.services.conftest import World

OWNER, VIEWER, STRANGER = 1, 2, 3


async def case_of(world: World, notice_id: int) -> int:
    async with world.sm() as s:
        notice = await s.get(Notice, notice_id)
        assert notice is not None
        return notice.case_id


async def invite(world: World, case_id: int, kind: str = shares.TELEGRAM) -> shares.NewShare:
    async with world.sm() as s:
        return await shares.create(world.unit(s), OWNER, case_id, kind, "en")


async def accept(world: World, token: str, who: int = VIEWER) -> shares.Accepted:
    async with world.sm() as s:
        return await shares.accept(world.unit(s), who, "Ana", token)


@pytest.fixture
async def shared(world: World) -> tuple[int, int]:
    """(the owner's shared case, another case of theirs)"""
    await world.person(STRANGER)
    one = await case_of(world, await world.notice(OWNER))
    other = await case_of(world, await world.notice(OWNER, code="CP14", tax_years=[2021]))
    assert one != other
    return one, other


async def test_only_the_tokens_hash_is_stored(world: World, shared: tuple[int, int]) -> None:
    new = await invite(world, shared[0])
    async with world.sm() as s:
        [row] = (await s.scalars(select(CaseShare))).all()
    assert len(new.token) >= 32 and row.token_hash == hash_token(new.token) and new.token not in repr(vars(row))
    assert row.expires_at is not None and row.viewer_id is None


async def test_an_invite_gives_the_viewer_that_case_only_and_is_used_once(world: World,
                                                                           shared: tuple[int, int]) -> None:
    case_id, other = shared
    new = await invite(world, case_id)
    got = await accept(world, new.token)
    assert got.outcome is shares.Invite.ACCEPTED and got.case is not None and got.case.id == case_id
    assert (await accept(world, new.token)).outcome is shares.Invite.AGAIN  # the same person again: fine
    assert (await accept(world, new.token, STRANGER)).outcome is shares.Invite.USED
    async with world.sm() as s:
        assert (await case_access(s, VIEWER, case_id))[1] is Access.VIEW
        assert (await case_access(s, VIEWER, other))[1] is Access.NONE  # never the owner's other cases
        assert (await case_access(s, STRANGER, case_id))[1] is Access.NONE
        assert [c.id for c in await shares.shared_with(world.unit(s), VIEWER)] == [case_id]
        view = await shares.view_shared(world.unit(s), VIEWER, case_id, "es")
        assert view.case.id == case_id and [n.case_id for n in view.notices] == [case_id]
        with pytest.raises(NotYours):
            await shares.view_shared(world.unit(s), VIEWER, other, "en")
        [row] = await shares.shares_of(world.unit(s), OWNER, case_id)
        assert (row.viewer_id, row.viewer_name, row.last_opened_at) == (VIEWER, "Ana", world.clock.at)


async def test_the_owner_opening_their_own_invite_does_not_use_it(world: World, shared: tuple[int, int]) -> None:
    new = await invite(world, shared[0])
    assert (await accept(world, new.token, OWNER)).outcome is shares.Invite.OWN
    assert (await accept(world, new.token)).outcome is shares.Invite.ACCEPTED


async def test_an_expired_invite_does_nothing(world: World, shared: tuple[int, int]) -> None:
    new = await invite(world, shared[0])
    world.clock.at += shares.INVITE_VALID + timedelta(seconds=1)
    assert (await accept(world, new.token)).outcome is shares.Invite.EXPIRED
    async with world.sm() as s:
        assert (await case_access(s, VIEWER, shared[0]))[1] is Access.NONE


@pytest.mark.parametrize("token", ["x" * 32, "", "short", "../../etc/passwd", "A" * 200])
async def test_a_forged_token_opens_nothing(world: World, shared: tuple[int, int], token: str) -> None:
    real = await invite(world, shared[0])
    web = await invite(world, shared[0], shares.WEB)
    assert (await accept(world, token)).outcome is shares.Invite.UNKNOWN
    assert (await accept(world, web.token)).outcome is shares.Invite.UNKNOWN  # a web link is no invite
    async with world.sm() as s:
        assert (await shares.open_link(world.unit(s), token, "en")).outcome is shares.Link.UNKNOWN
        assert (await shares.open_link(world.unit(s), real.token, "en")).outcome is shares.Link.UNKNOWN


async def test_revoking_ends_access_at_once_and_twice_is_harmless(world: World, shared: tuple[int, int]) -> None:
    case_id = shared[0]
    new, web = await invite(world, case_id), await invite(world, case_id, shares.WEB)
    await accept(world, new.token)
    async with world.sm() as s:
        page = await shares.open_link(world.unit(s), web.token, "en")
        assert page.outcome is shares.Link.OPEN and page.view is not None and page.view.case.id == case_id
    async with world.sm() as s:
        assert await shares.revoke(world.unit(s), OWNER, case_id, new.share.id)
        assert await shares.revoke(world.unit(s), OWNER, case_id, web.share.id)
        assert not await shares.revoke(world.unit(s), OWNER, case_id, web.share.id)  # a second press
        assert await shares.shares_of(world.unit(s), OWNER, case_id) == []
    async with world.sm() as s:
        assert (await case_access(s, VIEWER, case_id))[1] is Access.NONE
        assert (await shares.open_link(world.unit(s), web.token, "en")).outcome is shares.Link.GONE
        assert await shares.shared_with(world.unit(s), VIEWER) == []
    assert (await accept(world, new.token)).outcome is shares.Invite.REVOKED


async def test_only_the_owner_creates_lists_or_revokes(world: World, shared: tuple[int, int]) -> None:
    case_id = shared[0]
    new = await invite(world, case_id)
    await accept(world, new.token)
    async with world.sm() as s:
        u = world.unit(s)
        for who in (VIEWER, STRANGER):
            with pytest.raises(NotYours):
                await shares.create(u, who, case_id, shares.WEB, "en")
            with pytest.raises(NotYours):
                await shares.shares_of(u, who, case_id)
            with pytest.raises(NotYours):
                await shares.revoke(u, who, case_id, new.share.id)
        # the owner's other case does not revoke this one
        assert not await shares.revoke(u, OWNER, shared[1], new.share.id)
        assert len(await shares.shares_of(u, OWNER, case_id)) == 1


async def test_a_viewer_cannot_change_the_case(world: World, shared: tuple[int, int]) -> None:
    """Every kind of change refuses a viewer with ViewOnly (the bot's friendly "read-only" answer)."""
    case_id = shared[0]
    await accept(world, (await invite(world, case_id)).token)
    async with world.sm() as s:
        [notice] = (await s.scalars(select(Notice).where(Notice.case_id == case_id))).all()
    changes = [
        lambda u: notices.change_status(u, VIEWER, notice.id, NoticeStatus.PAID),
        lambda u: notices.edit(u, VIEWER, notice.id, {"amount_cents": 1}, world.clock.at.date()),
        lambda u: notices.log_contact(u, VIEWER, notice.id, "call", {}),
        lambda u: notices.set_checklist_item(u, VIEWER, notice.id, "x", True),
        lambda u: notices.delete(u, VIEWER, notice.id),
        lambda u: cases.move(u, VIEWER, notice.id, None),
        lambda u: reminders.snooze(u, VIEWER, notice.id, 3),
        lambda u: plans.record_payment(u, VIEWER, notice.id),
        lambda u: plans.cant_pay(u, VIEWER, notice.id),
        lambda u: shares.create(u, VIEWER, case_id, shares.TELEGRAM, "en"),
    ]
    for change in changes:
        async with world.sm() as s:
            with pytest.raises(ViewOnly):
                await change(world.unit(s))
    async with world.sm() as s:
        again = await s.get(Notice, notice.id)
        assert again is not None and again.status == "open" and again.case_id == case_id
