"""cases: one debt (a tax form and its tax periods, per person); every notice belongs to one

Creates ``cases`` and ``notices.case_id`` (NOT NULL). The notices saved before are grouped by the
rule the product uses when a notice is registered (``notices.cases``: same person, same tax form,
overlapping tax periods), applied to each person's notices in the order they were saved, so the
result is what registering them today would give; every other notice gets a case of its own.

On SQLite making the column NOT NULL rebuilds the notices table: ``storage.migrate`` runs
migrations with foreign keys off there, so dropping the old table cascades to nothing.

Revision ID: 0010_cases
Revises: 0009_payment_plans
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = '0010_cases'
down_revision: str | None = '0009_payment_plans'  # main's head when this was written; the lead re-chains
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('tax_form', sa.String(length=16), nullable=True),
        sa.Column('tax_years', sa.JSON(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cases_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    )
    op.create_index(op.f('ix_cases_user_id'), 'cases', ['user_id'], unique=False)
    op.add_column('notices', sa.Column('case_id', sa.Integer(), nullable=True))
    _group_existing_notices()
    with op.batch_alter_table('notices') as batch:
        batch.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f('fk_notices_case_id_cases'), 'cases', ['case_id'], ['id'], ondelete='CASCADE')
    op.create_index(op.f('ix_notices_case_id'), 'notices', ['case_id'], unique=False)


def _group_existing_notices() -> None:
    from notices.cases import Debt, case_debt, group  # the pure rule registration uses

    when = storage.types.UTCDateTime()
    notices = sa.table('notices', sa.column('id', sa.Integer), sa.column('user_id', sa.BigInteger),
                       sa.column('code', sa.String), sa.column('tax_years', sa.JSON),
                       sa.column('created_at', when), sa.column('case_id', sa.Integer))
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('user_id', sa.BigInteger),
                     sa.column('tax_form', sa.String), sa.column('tax_years', sa.JSON),
                     sa.column('created_at', when), sa.column('updated_at', when))
    bind = op.get_bind()
    rows = bind.execute(sa.select(notices.c.id, notices.c.user_id, notices.c.code, notices.c.tax_years,
                                  notices.c.created_at)
                        .order_by(notices.c.user_id, notices.c.created_at, notices.c.id)).all()
    by_person: dict[int, list[sa.Row]] = {}
    for row in rows:
        by_person.setdefault(row.user_id, []).append(row)
    now = datetime.now(UTC)
    for user_id, saved in by_person.items():
        debts = {r.id: Debt.of(r.code, r.tax_years or ()) for r in saved}
        opened = {r.id: r.created_at or now for r in saved}
        for ids in group((r.id, debts[r.id]) for r in saved):
            debt = case_debt([debts[i] for i in ids])
            case_id = bind.execute(cases.insert().values(
                user_id=user_id, tax_form=debt.form, tax_years=sorted(debt.years),
                created_at=opened[ids[0]], updated_at=now).returning(cases.c.id)).scalar_one()
            bind.execute(notices.update().where(notices.c.id.in_(ids)).values(case_id=case_id))


def downgrade() -> None:
    op.drop_index(op.f('ix_notices_case_id'), table_name='notices')
    with op.batch_alter_table('notices') as batch:
        batch.drop_constraint(op.f('fk_notices_case_id_cases'), type_='foreignkey')
        batch.drop_column('case_id')
    op.drop_index(op.f('ix_cases_user_id'), table_name='cases')
    op.drop_table('cases')
