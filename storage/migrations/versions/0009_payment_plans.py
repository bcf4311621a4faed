"""payment plans: the installment agreement a notice is paid under (issue 16)

One row per notice in a plan: monthly amount, payment day, first payment, direct debit, the plan's
balance, whether the return was filed on time (the 0.25% rate), the last payment recorded as paid,
and a "can't pay this month" answer. Existing notices marked "payment plan" get no row: the bot
asks for the plan the next time the person opens the card (nothing to guess here).

Revision ID: 0009_payment_plans
Revises: 0008_seen_updates
"""
from collections.abc import Sequence

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = '0009_payment_plans'
down_revision: str | None = '0008_seen_updates'  # main's head when this was written; the lead re-chains
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'payment_plans',
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('monthly_cents', sa.BigInteger(), nullable=False),
        sa.Column('payment_day', sa.SmallInteger(), nullable=False),
        sa.Column('first_payment', sa.Date(), nullable=False),
        sa.Column('first_payment_assumed', sa.Boolean(), nullable=False),
        sa.Column('direct_debit', sa.Boolean(), nullable=True),
        sa.Column('balance_cents', sa.BigInteger(), nullable=True),
        sa.Column('timely_filer', sa.Boolean(), nullable=True),
        sa.Column('paid_through', sa.Date(), nullable=True),
        sa.Column('missed_due', sa.Date(), nullable=True),
        sa.Column('missed_on', sa.Date(), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_payment_plans_notice_id_notices'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('notice_id', name=op.f('pk_payment_plans')),
    )


def downgrade() -> None:
    op.drop_table('payment_plans')
