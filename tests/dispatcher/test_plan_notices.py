"""The IRS's notices about a payment plan on the case view, through the real dispatcher (issue 16):
a CP523 saved into a case with a plan shows the plan at risk and the urgent path, EN+ES."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.callbacks import CaseAction, CaseCb
from tests.dispatcher.inproc import dispatcher_stack
from tests.dispatcher.test_cases import ME, ago, save, three_notices
from tests.reliability.support import plain

PLAN_WORDS = {"en": ("is at risk", "CAP appeal", "understanding-your-cp523-notice"),
              "es": ("está en riesgo", "apelación CAP", "/es/individuals/understanding-your-cp523-notice")}


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_cp523_in_a_case_with_a_plan_shows_the_urgent_path_on_the_case(tmp_path: Path, lang: str) -> None:
    from sqlalchemy import select

    from services import Notice, NoticeStatus
    from storage.models import PaymentPlan

    async with dispatcher_stack(tmp_path) as st:
        cp14, _, _ = await three_notices(st, lang)
        async with st.sm() as s:  # a plan on the CP14 (the plan flow has its own tests), then a CP523
            (await s.get(Notice, cp14.id)).status = NoticeStatus.PLAN  # type: ignore[union-attr]
            s.add(PaymentPlan(notice_id=cp14.id, monthly_cents=20000, payment_day=15,
                              first_payment=(await s.get(Notice, cp14.id)).notice_date))  # type: ignore[union-attr]
            await s.commit()
        await save(st, ME, lang, "CP523", 2024, ago(3))
        async with st.sm() as s:
            cp523 = (await s.scalars(select(Notice).where(Notice.code == "CP523"))).one()
        assert cp523.case_id == cp14.case_id
        [listing] = await st.say(ME, "/notices")
        _, [view] = await st.press(ME, listing, CaseCb(action=CaseAction.OPEN, case_id=cp14.case_id).pack())
        text = plain(view)
        for word in PLAN_WORDS[lang]:
            assert word.lower() in text.lower(), word
        assert st.errors.records == []
