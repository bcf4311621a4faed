"""reminders: one row per reader of a slot (the owner and each viewer of a shared case)

A viewer of a shared case gets their own copies of its reminders, planned in their own time zone;
two readers may share a slot's instant, so the natural key now includes the person.

Revision ID: 0012_reminder_readers
Revises: 0011_case_shares
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012_reminder_readers'
down_revision: str | None = '0011_case_shares'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminders_notice_kind_due', type_='unique')
        batch_op.create_unique_constraint('uq_reminders_notice_user_kind_due', ['notice_id', 'user_id', 'kind', 'due_at'])


def downgrade() -> None:
    # Viewers' copies cannot live under the old key: they go (the owner's rows stay).
    op.execute("DELETE FROM reminders WHERE user_id <> (SELECT user_id FROM notices WHERE notices.id = reminders.notice_id)")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminders_notice_user_kind_due', type_='unique')
        batch_op.create_unique_constraint('uq_reminders_notice_kind_due', ['notice_id', 'kind', 'due_at'])
