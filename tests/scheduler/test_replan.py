"""Re-planning against the database: idempotent, follows settings, keeps history, cancels, pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, update

from scheduler.planner import replan_notice, replan_user, resume_user
from storage import reminders as store
from storage.models import Notice, NoticeStatus, Reminder, ReminderStatus, User
from tests.scheduler.conftest import add_notice, add_person, reminders_of

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


def slots(rows: list[Reminder]) -> list[tuple[str, datetime, str]]:
    return [(r.kind, r.due_at, r.status.value) for r in rows]


async def test_replan_is_idempotent_and_plans_only_the_future(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 6), code="ZZ999")  # 5 days away: before:7 is past
        await replan_notice(s, n.id, NOW)
        first = slots(await reminders_of(s, n.id))
        await replan_notice(s, n.id, NOW)
        await replan_notice(s, n.id, NOW)
        assert slots(await reminders_of(s, n.id)) == first
        kinds = [k for k, _, _ in first]
        assert "before:7" not in kinds and kinds[:3] == ["before:3", "before:1", "day"]
        assert all(at > NOW for _, at, _ in first)


async def test_settings_change_moves_pending_and_keeps_sent(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 20))
        await replan_notice(s, n.id, NOW)
        rows = await reminders_of(s, n.id)
        sent = rows[0]
        sent.status, sent.sent_at = ReminderStatus.SENT, NOW
        await s.flush()
        await s.execute(update(User).where(User.id == 1).values(timezone="America/Phoenix", reminder_minute=8 * 60))
        await replan_user(s, 1, NOW)
        after = await reminders_of(s, n.id)
        assert sent in after and sent.status == ReminderStatus.SENT  # history untouched
        pending = [r for r in after if r.status == ReminderStatus.PENDING]
        assert pending and {r.due_at.hour for r in pending} == {15}  # 08:00 MST
        assert not any(r.kind == sent.kind and r.status == ReminderStatus.PENDING for r in after if r.due_at < NOW)


async def test_resolution_cancels_and_reopening_revives(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 20))
        await replan_notice(s, n.id, NOW)
        planned = slots(await reminders_of(s, n.id))
        n.status = NoticeStatus.PAID
        await replan_notice(s, n.id, NOW)
        assert {st for _, _, st in slots(await reminders_of(s, n.id))} == {"cancelled"}
        n.status = NoticeStatus.OPEN
        await replan_notice(s, n.id, NOW)
        assert slots(await reminders_of(s, n.id)) == planned


async def test_snoozes_survive_replanning_but_not_resolution(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 20))
        await store.add_snooze(s, n.id, 1, datetime(2026, 10, 2, 13, tzinfo=UTC), NOW)
        await replan_notice(s, n.id, NOW)
        assert "snooze" in [r.kind for r in await reminders_of(s, n.id)]
        n.status = NoticeStatus.DISPUTED
        await replan_notice(s, n.id, NOW)
        assert all(r.status == ReminderStatus.CANCELLED for r in await reminders_of(s, n.id))


async def test_missed_reminders_are_kept_for_the_catch_up_unless_no_longer_wanted(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 20))
        await replan_notice(s, n.id, NOW)
        later = datetime(2026, 10, 18, tzinfo=UTC)  # before:7 and before:3 were missed (we were down)
        await replan_notice(s, n.id, later)
        missed = [r.kind for r in await reminders_of(s, n.id) if r.due_at < later]
        assert missed == ["before:7", "before:3"]
        await s.execute(update(User).where(User.id == 1).values(reminder_offsets=[1, 0]))
        await replan_notice(s, n.id, later)
        assert [r.kind for r in await reminders_of(s, n.id) if r.due_at < later] == []


async def test_blocked_person_gets_paused_reminders_and_resumes(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 10, 20))
        await replan_notice(s, n.id, NOW)
        await store.pause_user(s, 1)
        assert {r.status for r in await reminders_of(s, n.id)} == {ReminderStatus.PAUSED}
        await replan_notice(s, n.id, NOW)  # a change while away plans paused rows too
        assert {r.status for r in await reminders_of(s, n.id)} == {ReminderStatus.PAUSED}
        await resume_user(s, 1, NOW)
        assert {r.status for r in await reminders_of(s, n.id)} == {ReminderStatus.PENDING}
        assert (await s.get(User, 1)).active


async def test_deleting_a_person_deletes_their_reminders(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        await add_person(s, 2)
        for uid in (1, 2):
            await replan_notice(s, (await add_notice(s, uid, date(2026, 10, 20))).id, NOW)
        await s.commit()
        await s.execute(delete(User).where(User.id == 1))
        await s.commit()
        counts = dict((await s.execute(select(Reminder.user_id, func.count()).group_by(Reminder.user_id))).all())
        assert list(counts) == [2]
        assert await s.scalar(select(func.count()).select_from(Notice)) == 1


async def test_hard_deadline_and_heads_up_come_from_the_catalog(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, date(2026, 11, 2), code="LT11", notice_date=date(2026, 10, 1))
        await replan_notice(s, n.id, datetime(2026, 10, 2, tzinfo=UTC))
        kinds = {r.kind for r in await reminders_of(s, n.id)}
        assert {"before:14", "day", "next:LT75"} <= kinds  # LT75, the IRS's own notice of levy (section 14)


async def test_a_hard_notice_without_a_notice_date_was_planned_as_not_hard(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    # Regression: scheduler.facts returned hard=False when the notice date was unknown, so a CDP
    # notice saved from its received date got the plain reminders. Now the planner reads
    # notices.facts like the card: hard, with reminders on the safe (received - 21 days) date.
    from bot.intake import DraftData, assess_draft
    from scheduler import facts as planner_facts

    received = date(2026, 11, 10)
    a = assess_draft(DraftData(code="LT11", received_date=received.isoformat()), received, "en")
    assert a.at_the_latest and a.respond_by is not None
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, a.respond_by, code="LT11", received_date=received, respond_by_estimated=True)
        assert planner_facts.of(n).hard
        await replan_notice(s, n.id, datetime(2026, 11, 10, 12, tzinfo=UTC))
        kinds = {r.kind for r in await reminders_of(s, n.id)}
        assert "day" in kinds and any(k.startswith("before:") for k in kinds)


async def test_a_math_error_notice_is_reminded_of_its_payment_date_and_of_the_60_day_date(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    # issue 14: CP11/CP23 carry two dates: pay by the printed date (about 21 days) and dispute
    # within 60 days (usc/26/6213(b)(2)); reminders come for both.
    from bot.intake import assess

    a = assess("CP11", date(2026, 11, 2), None, None, False, None, date(2026, 11, 3), "en")
    assert a.pay_by == date(2026, 11, 23) and a.respond_by == date(2027, 1, 4)
    async with sessionmaker() as s:
        await add_person(s, 1)
        n = await add_notice(s, 1, a.respond_by, code="CP11", notice_date=date(2026, 11, 2))
        await replan_notice(s, n.id, datetime(2026, 11, 3, 12, tzinfo=UTC))
        rows = await reminders_of(s, n.id)
        pay = sorted(r.due_at.date() for r in rows if r.kind.startswith("pay:"))
        assert pay == [date(2026, 11, 20), date(2026, 11, 23)]
        assert "day" in {r.kind for r in rows}
