"""reminder engine: natural key for idempotent planning, claim index by priority

Revision ID: 0002
Revises: 0001
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_status_priority_due_at', ['status', 'priority', 'due_at'], unique=False)
        batch_op.create_unique_constraint('uq_reminders_notice_kind_due', ['notice_id', 'kind', 'due_at'])


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminders_notice_kind_due', type_='unique')
        batch_op.drop_index('ix_reminders_status_priority_due_at')
