"""case_shares: read-only shares of one case (a one-time Telegram invite or a private web link)

Only the token's SHA-256 is stored. A share goes with its case, and a Telegram share with its
viewer (/forget), by ON DELETE CASCADE.

Revision ID: 0011_case_shares
Revises: 0010_cases
"""
from collections.abc import Sequence

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = '0011_case_shares'
down_revision: str | None = '0010_cases'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = storage.types.UTCDateTime(timezone=True)
    op.create_table(
        'case_shares',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('viewer_id', sa.BigInteger(), nullable=True),
        sa.Column('viewer_name', sa.String(length=64), nullable=True),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('created_at', when, nullable=False),
        sa.Column('expires_at', when, nullable=True),
        sa.Column('consumed_at', when, nullable=True),
        sa.Column('last_opened_at', when, nullable=True),
        sa.Column('revoked_at', when, nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_shares_case_id_cases'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['viewer_id'], ['users.id'], name=op.f('fk_case_shares_viewer_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_shares')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_case_shares_token_hash')),
    )
    op.create_index(op.f('ix_case_shares_case_id'), 'case_shares', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_shares_viewer_id'), 'case_shares', ['viewer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_case_shares_viewer_id'), table_name='case_shares')
    op.drop_index(op.f('ix_case_shares_case_id'), table_name='case_shares')
    op.drop_table('case_shares')
