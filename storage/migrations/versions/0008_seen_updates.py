"""seen Telegram updates (each handled once); users.language_chosen

Revision ID: 0008_seen_updates
Revises: 0006_deadline_facts
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_seen_updates'
down_revision: str | None = '0006_deadline_facts'  # re-chained at merge (was 0003)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'seen_updates',
        sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.String(length=40), nullable=False),
        sa.Column('done', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('update_id', name=op.f('pk_seen_updates')),
    )
    op.create_index(op.f('ix_seen_updates_seen_at'), 'seen_updates', ['seen_at'], unique=False)
    # A plain ADD COLUMN, never a batch "recreate": on SQLite that drops the users table, and with
    # foreign keys on, ON DELETE CASCADE would take every notice with it.
    op.add_column('users', sa.Column('language_chosen', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', recreate='never') as batch:  # ALTER TABLE ... DROP COLUMN, no copy
        batch.drop_column('language_chosen')
    op.drop_index(op.f('ix_seen_updates_seen_at'), table_name='seen_updates')
    op.drop_table('seen_updates')
