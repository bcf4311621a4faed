"""privacy settings: notes and phone numbers go into calendar files and the feed only when asked

Revision ID: 0005_privacy_settings
Revises: 0006_deadline_facts
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_privacy_settings'
down_revision: str | None = '0004_event_uids'  # re-chained at merge (was 0003)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, never batch mode: on SQLite batch mode copies and drops the users table, and
# with foreign_keys=ON dropping it cascades to every notice (found by the 0006 migration test).


def upgrade() -> None:
    op.add_column('users', sa.Column('calendar_details', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('users', 'calendar_details')  # SQLite >= 3.35 drops a column in place
