"""Sharing a case through the real dispatcher, in English and Spanish: the owner creates an invite,
the invited person opens the bot with it and sees that case read-only; every button that would
change the case refuses them; the owner sees who has access and revokes it in one tap (twice is
harmless), after which the viewer's buttons stop; used, forged and own invites get friendly answers;
a web link is handed out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.callbacks import CaseAction, CaseCb, MoveCb, NoticeAction, NoticeCb, ShareAction, ShareCb, SharedCb
from services import CaseShare, Notice
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_cases import ago, save
from tests.reliability.support import button, plain

OWNER, VIEWER, THIRD = 8701, 8702, 8703
W = {
    "en": {"share": "Share this case", "invite": "Invite someone", "link": "private web link",
           "accepted": "This case was shared with you", "read_only": "Shared with you, read-only",
           "refused": "only its owner can change it", "who": "Who has access", "revoke": "Revoke 1",
           "revoked": "Access revoked", "again": "already revoked", "gone": "cannot find that case",
           "none": "No case is shared", "used": "already used", "unknown": "do not know this invite",
           "own": "your own invite", "received": "Notices received", "amount": "Status: open"},
    "es": {"share": "Compartir este caso", "invite": "Invitar a alguien", "link": "enlace web privado",
           "accepted": "Este caso se compartió contigo", "read_only": "Compartido contigo, solo lectura",
           "refused": "solo su dueño puede cambiarlo", "who": "Quién tiene acceso", "revoke": "Revocar 1",
           "revoked": "Acceso revocado", "again": "ya estaba revocado", "gone": "no encuentro ese caso",
           "none": "ningún caso compartido", "used": "ya usó esta invitación", "unknown": "No reconozco esta invitación",
           "own": "tu propia invitación", "received": "Avisos recibidos", "amount": "Estado: abierto"},
}


async def share_menu(st: Stack, case_id: int) -> dict:  # type: ignore[type-arg]
    [listing] = await st.say(OWNER, "/notices")
    _, [case] = await st.press(OWNER, listing, CaseCb(action=CaseAction.OPEN, case_id=case_id).pack())
    _, [menu] = await st.press(OWNER, case, ShareCb(action=ShareAction.MENU, case_id=case_id).pack())
    return menu


async def invite(st: Stack, lang: str, case_id: int) -> str:
    menu = await share_menu(st, case_id)
    _, [link, _menu] = await st.press(OWNER, menu, button(menu, W[lang]["invite"]) or "")
    found = re.search(r"t\.me/\w*\?start=([\w-]+)", plain(link))
    assert found, plain(link)
    return found.group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_an_invited_person_sees_the_case_read_only_until_revoked(tmp_path: Path, lang: str) -> None:
    w = W[lang]
    async with dispatcher_stack(tmp_path) as st:
        for uid in (OWNER, VIEWER, THIRD):
            await st.say(uid, f"/language {lang}")
        cp14 = await save(st, OWNER, lang, "CP14", 2024, ago(10))
        other = await save(st, OWNER, lang, "CP14", 2021, ago(10))  # another case: never shown to the viewer
        async with st.sm() as s:
            await s.execute(Notice.__table__.update().where(Notice.id == cp14.id).values(notes="gate code 4411"))
            await s.commit()
        token = await invite(st, lang, cp14.case_id)

        # the owner opening their own invite does not use it up
        [own] = await st.say(OWNER, f"/start {token}")
        assert w["own"] in plain(own)
        accepted, case = await st.say(VIEWER, f"/start {token}")
        assert w["accepted"] in plain(accepted)
        assert w["read_only"] in plain(case) and "CP14" in plain(case) and w["received"] in plain(case)
        assert "2021" not in plain(case)
        _, [notice] = await st.press(VIEWER, case, button(case, "CP14") or "")
        assert w["amount"] in plain(notice) and "4411" not in plain(notice)
        # the invite was used: a third person, and a forged token, get friendly answers
        assert w["used"] in plain((await st.say(THIRD, f"/start {token}"))[0])
        assert w["unknown"] in plain((await st.say(THIRD, "/start " + "A" * 32))[0])
        # every button that would change the case or its notice refuses the viewer, with no message
        changing = [NoticeCb(action=a, notice_id=cp14.id).pack() for a in
                    (NoticeAction.PAID, NoticeAction.DELETE_CONFIRM, NoticeAction.EDIT, NoticeAction.PLAN,
                     NoticeAction.LOG, NoticeAction.VIEW, NoticeAction.CHECKLIST)]
        changing += [MoveCb(notice_id=cp14.id, to=0).pack(), CaseCb(action=CaseAction.CALENDAR, case_id=cp14.case_id).pack(),
                     ShareCb(action=ShareAction.INVITE, case_id=cp14.case_id).pack(),
                     ShareCb(action=ShareAction.REVOKE, case_id=cp14.case_id, share=1).pack()]
        for data in changing:
            answer, replies = await st.press(VIEWER, case, data)
            assert answer["show_alert"] and w["refused"] in answer["text"] and replies == [], data
        # the owner's other case is not theirs to see
        answer, replies = await st.press(VIEWER, case, SharedCb(case_id=other.case_id).pack())
        assert w["gone"] in answer["text"] and replies == []

        menu = await share_menu(st, cp14.case_id)
        assert w["who"] in plain(menu) and f"User{VIEWER}" in plain(menu)
        answer, [menu_after] = await st.press(OWNER, menu, button(menu, w["revoke"]) or "")
        assert w["revoked"] in answer["text"] and w["who"] not in plain(menu_after)
        answer, replies = await st.press(OWNER, menu, button(menu, w["revoke"]) or "")  # twice: harmless
        assert w["again"] in answer["text"] and replies == []
        # access ends at once: the viewer's buttons and /shared
        answer, replies = await st.press(VIEWER, case, SharedCb(case_id=cp14.case_id).pack())
        assert answer["show_alert"] and w["gone"] in answer["text"] and replies == []
        assert w["none"] in plain((await st.say(VIEWER, "/shared"))[0])
        assert not st.errors.summary()


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_the_owner_gets_a_private_web_link(tmp_path: Path, lang: str) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(OWNER, f"/language {lang}")
        cp14 = await save(st, OWNER, lang, "CP14", 2024, ago(10))
        menu = await share_menu(st, cp14.case_id)
        _, [link, again] = await st.press(OWNER, menu, button(menu, W[lang]["link"]) or "")
        found = re.search(r"http://127\.0\.0\.1:9/share/([\w-]+)", plain(link))
        assert found and W[lang]["who"] in plain(again)
        async with st.sm() as s:
            [row] = (await s.scalars(select(CaseShare))).all()
        assert row.kind == "web" and found.group(1) not in row.token_hash
