"""deadline facts: hard dates under the rules of issue 14; 'abroad' is asked, never read from words

Until now ``notices.abroad`` was only ever set from words in a message ("abroad", "overseas"),
which gave a notice of deficiency 150 days instead of 90, and a hard notice without a notice
date assumed it was mailed 7 days before it arrived. Every stored ``abroad`` is cleared (nobody
was asked), and each open hard notice gets its respond-by from ``notices.facts.derive`` when that
is earlier than the stored one (90 days; received - 21 days "at the latest"); its pending
reminders move by the same number of days so they keep their place before the deadline (one now
due goes out as a catch-up). A date is never moved later here.

Revision ID: 0006_deadline_facts
Revises: 0003
"""
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = '0006_deadline_facts'
down_revision: str | None = '0005_privacy_settings'  # re-chained at merge (was 0003)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from notices import catalog, facts  # the pure domain core: the same rules as the card
    from storage.models import Notice, NoticeStatus, Reminder, ReminderStatus

    notices, reminders = sa.Table("notices", Notice.metadata), sa.Table("reminders", Reminder.metadata)
    bind = op.get_bind()
    hard = [n.code for n in catalog.all_notices() if n.hard]
    rows = bind.execute(
        sa.select(notices.c.id, notices.c.code, notices.c.notice_date, notices.c.stated_due_date,
                  notices.c.received_date, notices.c.created_at, notices.c.amount_cents, notices.c.respond_by)
        .where(notices.c.code.in_(hard), notices.c.status == NoticeStatus.OPEN, notices.c.respond_by.is_not(None))
    ).all()
    for nid, code, notice_date, printed, received, created_at, cents, respond_by in rows:
        received = received or created_at.date()
        amount = None if cents is None else Decimal(cents) / 100
        derived = facts.derive(facts.NoticeInput(code, notice_date, printed, received, amount=amount, status=None),
                               received)
        new = derived.respond_by
        if new is None or new >= respond_by:
            continue
        bind.execute(sa.update(notices).where(notices.c.id == nid)
                     .values(respond_by=new, respond_by_estimated=derived.estimated))
        shift = timedelta(days=(new - respond_by).days)
        pending = bind.execute(
            sa.select(reminders.c.id, reminders.c.due_at)
            .where(reminders.c.notice_id == nid, reminders.c.status.in_([ReminderStatus.PENDING, ReminderStatus.PAUSED]))
        ).all()
        for rid, due_at in pending:
            bind.execute(sa.update(reminders).where(reminders.c.id == rid).values(due_at=due_at + shift))
    bind.execute(sa.update(notices).where(notices.c.abroad.is_(True)).values(abroad=False))


def downgrade() -> None:
    pass  # the words that set 'abroad' and the old assumption are not kept: nothing to restore
