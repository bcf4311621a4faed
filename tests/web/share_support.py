"""A shared case for the web page's tests (aiohttp and the headless browser): a person's CP14 and
CP501 of 2024 in one case, a logged call whose note carries an SSN, the owner's private notes, and
a web link to it (plus a revoked one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import User, notices, shares
from services.unit import Unit

OWNER = 4242
NOTES = "my private note: spare key under the mat"
SSN = "123-45-6789"


@dataclass(frozen=True)
class Shared:
    token: str
    revoked: str
    case_id: int


async def shared_case(sm: async_sessionmaker[AsyncSession]) -> Shared:
    async with sm() as s:
        s.add(User(id=OWNER, language="en"))
        await s.commit()
    today = datetime.now(UTC).date()
    async with sm() as s:
        u = Unit(s)
        first = await notices.register(u, OWNER, code="CP14", tax_years=[2024], amount_cents=341218,
                                       notice_date=today - timedelta(days=40), respond_by=today - timedelta(days=19),
                                       notes=NOTES, phone="800-555-0100")
        second = await notices.register(u, OWNER, code="CP501", tax_years=[2024], amount_cents=352010,
                                        notice_date=today - timedelta(days=5), respond_by=today + timedelta(days=5))
        assert first.notice.case_id == second.notice.case_id
        await notices.log_contact(u, OWNER, first.notice.id, "call",
                                  {"date": today.isoformat(), "agreed": f"call back in a week, my SSN {SSN}"})
        case_id = first.notice.case_id
        link = await shares.create(u, OWNER, case_id, shares.WEB, "en")
        gone = await shares.create(u, OWNER, case_id, shares.WEB, "en")
        await shares.revoke(u, OWNER, case_id, gone.share.id)
    return Shared(link.token, gone.token, case_id)
