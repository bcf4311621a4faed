"""privacy settings: notes and phone numbers go into calendar files and the feed only when asked

Revision ID: 0005_privacy_settings
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_privacy_settings'
down_revision: str | None = '0004_event_uids'  # re-chained at merge (was 0003)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('calendar_details', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('calendar_details')
