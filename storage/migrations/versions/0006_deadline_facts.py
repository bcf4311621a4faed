"""deadline facts: 'addressed outside the US' is asked, never read from words

Until now ``notices.abroad`` was only ever set from words in a message ("abroad", "overseas"),
which gave a notice of deficiency 150 days instead of 90 (issue 14). Nobody was asked, so every
stored ``abroad`` is cleared, and a deficiency notice whose respond-by came from the 150 days
(no printed date) gets the 90-day date back; its pending reminders move by the same number of
days so they keep their place before the deadline (a reminder that is now due goes out as a
catch-up). The person can still answer "addressed outside the US: yes" on the card.

Revision ID: 0006_deadline_facts
Revises: 0003
"""
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '0006_deadline_facts'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from notices import catalog, deadlines  # pure domain code: the 90-day rule and the IRC 7503 roll
    from storage.models import Notice, Reminder, ReminderStatus

    notices, reminders = sa.Table("notices", Notice.metadata), sa.Table("reminders", Reminder.metadata)
    bind = op.get_bind()
    deficiency = [n.code for n in catalog.all_notices() if n.window_days_abroad]
    rows = bind.execute(
        sa.select(notices.c.id, notices.c.code, notices.c.notice_date, notices.c.stated_due_date, notices.c.respond_by)
        .where(notices.c.abroad.is_(True), notices.c.code.in_(deficiency))
    ).all()
    for nid, code, notice_date, printed, respond_by in rows:
        if notice_date is None or printed is not None or respond_by is None:
            continue  # a printed last day controls, or there is nothing to move
        new = deadlines.compute(code, notice_date).respond_by
        if new is None or new >= respond_by:
            continue
        bind.execute(sa.update(notices).where(notices.c.id == nid).values(respond_by=new))
        shift = timedelta(days=(new - respond_by).days)
        pending = bind.execute(
            sa.select(reminders.c.id, reminders.c.due_at)
            .where(reminders.c.notice_id == nid, reminders.c.status.in_([ReminderStatus.PENDING, ReminderStatus.PAUSED]))
        ).all()
        for rid, due_at in pending:
            bind.execute(sa.update(reminders).where(reminders.c.id == rid).values(due_at=due_at + shift))
    bind.execute(sa.update(notices).where(notices.c.abroad.is_(True)).values(abroad=False))


def downgrade() -> None:
    pass  # the words that set 'abroad' are not kept: nothing to restore
