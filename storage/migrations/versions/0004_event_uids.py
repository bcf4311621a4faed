"""calendar event UIDs: a random identifier stored with each notice, never its row id

SQLite reuses the id of the last deleted row, so a UID made from the id gave a new notice the UID
(and the higher SEQUENCE) of a deleted one (issue 17). Existing rows get a random UUID each.

Revision ID: 0004_event_uids
Revises: 0003
"""
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_event_uids'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sa.String(length=36), nullable=True))
    notices = sa.table('notices', sa.column('id', sa.Integer), sa.column('uid', sa.String))
    bind = op.get_bind()
    for (notice_id,) in bind.execute(sa.select(notices.c.id)).all():
        bind.execute(notices.update().where(notices.c.id == notice_id).values(uid=str(uuid.uuid4())))
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.alter_column('uid', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint('uq_notices_uid', ['uid'])


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint('uq_notices_uid', type_='unique')
        batch_op.drop_column('uid')
