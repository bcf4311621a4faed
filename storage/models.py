"""The database schema: people, their cases and notices, reminders, history and checklist progress.

Money is integer cents; instants are aware UTC (see ``UTCDateTime``); calendar dates are ``Date``.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from storage.types import UTCDateTime, utcnow

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_OFFSETS = [7, 3, 1, 0]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[int]: JSON}


class NoticeStatus(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    PLAN = "plan"
    DISPUTED = "disputed"
    CLOSED = "closed"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"
    PAUSED = "paused"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # Telegram user id
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    timezone_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_minute: Mapped[int] = mapped_column(SmallInteger, default=9 * 60)  # local minutes after midnight
    quiet_start_minute: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    quiet_end_minute: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    reminder_offsets: Mapped[list[int]] = mapped_column(default=lambda: list(DEFAULT_OFFSETS))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    # notes and the IRS phone number in calendar files and the feed: only when the person turns it on
    calendar_details: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    feed_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    # True once the person picked a language with /language (or the one-tap offer): from then on
    # the language of what they write no longer switches the replies.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    notices: Mapped[list[Notice]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    cases: Mapped[list[Case]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                             passive_deletes=True)


class Case(Base):
    """One debt (issue 16): a person's tax form and its tax periods; every notice belongs to one.

    ``tax_form`` and ``tax_years`` are kept from the case's notices (``notices.cases.case_debt``)
    whenever a notice joins, moves, is edited or deleted; a case without notices is deleted."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tax_form: Mapped[str | None] = mapped_column(String(16), default=None)  # notices.cases.tax_form
    tax_years: Mapped[list[int]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="cases")
    notices: Mapped[list[Notice]] = relationship(back_populates="case", order_by="Notice.id",
                                                 passive_deletes=True)


class Notice(Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # The calendar's UID (issue 17): random and permanent, never derived from the row id, which
    # SQLite hands to the next notice after a delete.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    code: Mapped[str] = mapped_column(String(16))
    tax_years: Mapped[list[int]] = mapped_column(default=list)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    notice_date: Mapped[date | None] = mapped_column(Date, default=None)
    stated_due_date: Mapped[date | None] = mapped_column(Date, default=None)
    received_date: Mapped[date | None] = mapped_column(Date, default=None)
    respond_by: Mapped[date | None] = mapped_column(Date, default=None)
    respond_by_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[NoticeStatus] = mapped_column(
        Enum(NoticeStatus, name="notice_status", native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]),
        default=NoticeStatus.OPEN,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Raised on every change so calendar clients replace the event (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="notices")
    case: Mapped[Case] = relationship(back_populates="notices")
    events: Mapped[list[NoticeEvent]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", passive_deletes=True,
        order_by="NoticeEvent.id",
    )
    checklist: Mapped[list[ChecklistProgress]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_open(self) -> bool:
        return self.status == NoticeStatus.OPEN


class Reminder(Base):
    """One message to push. The table, not APScheduler, is the source of truth for what is due."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_status_due_at", "status", "due_at"),
        Index("ix_reminders_notice_id", "notice_id"),
        Index("ix_reminders_user_id", "user_id"),
        # Claiming walks one priority level at a time in due order, however large the backlog.
        Index("ix_reminders_status_priority_due_at", "status", "priority", "due_at"),
        # A slot's natural key for one reader (the owner, or a viewer of a shared case): re-planning
        # is idempotent and a sent slot is never added again.
        UniqueConstraint("notice_id", "user_id", "kind", "due_at", name="uq_reminders_notice_user_kind_due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    # Who receives it: the notice's owner, or a viewer of its case through a live Telegram share.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[ReminderStatus] = mapped_column(
        Enum(ReminderStatus, name="reminder_status", native_enum=False, length=16,
             values_callable=lambda e: [m.value for m in e]),
        default=ReminderStatus.PENDING,
    )
    # Lower is more urgent; used to order a backlog.
    priority: Mapped[int] = mapped_column(SmallInteger, default=5)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SendSchedule(Base):
    """The shared send schedule of the processes that send through one bot token (PostgreSQL):
    ``next_at`` is the database clock's epoch second at which the next message may go. Each
    process reserves a few slots at a time here, so several workers keep one global rate."""

    __tablename__ = "send_schedule"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class SeenUpdate(Base):
    """A Telegram update_id being handled (``claimed_by``) or handled (``done``): a webhook
    redelivery, a second replica or a restart that polls it again must not handle it twice; a
    claim a killed process never finished is taken over. Swept after two days."""

    __tablename__ = "seen_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_by: Mapped[str] = mapped_column(String(40), default="")  # the process handling it
    done: Mapped[bool] = mapped_column(Boolean, default=False)  # handled: never again


class NoticeEvent(Base):
    """History of a notice: created, edited, status changes, logged calls and letters."""

    __tablename__ = "notice_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    notice: Mapped[Notice] = relationship(back_populates="events")


class ChecklistProgress(Base):
    __tablename__ = "checklist_progress"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentPlan(Base):
    """The installment agreement a notice is paid under (issue 16): one per notice.

    Unknown answers stay NULL ("I don't know"): the payment day of the first payment, direct
    debit, the plan's balance (the notice's amount stands in, said so)."""

    __tablename__ = "payment_plans"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    monthly_cents: Mapped[int] = mapped_column(BigInteger)
    payment_day: Mapped[int] = mapped_column(SmallInteger)  # 1-28
    first_payment: Mapped[date] = mapped_column(Date)
    first_payment_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    direct_debit: Mapped[bool | None] = mapped_column(Boolean, default=None)
    balance_cents: Mapped[int | None] = mapped_column(BigInteger, default=None)
    timely_filer: Mapped[bool | None] = mapped_column(Boolean, default=None)
    paid_through: Mapped[date | None] = mapped_column(Date, default=None)  # last payment date paid
    # "Can't pay this month": the payment it was about, and when the person said so (a reminder
    # to call the IRS or revise the plan online before that date follows).
    missed_due: Mapped[date | None] = mapped_column(Date, default=None)
    missed_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CaseShare(Base):
    """A read-only share of one case (issue 16): a one-time Telegram invite (``telegram``; the
    person who opens it becomes ``viewer_id``) or a private web link (``web``). Only the token's
    SHA-256 is kept. Revoking keeps the row with ``revoked_at`` (the page says "no longer shared").
    Nothing personal of the viewer is kept but their Telegram first name, for the owner's list."""

    __tablename__ = "case_shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "telegram" | "web"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True,
                                                  default=None)
    viewer_name: Mapped[str | None] = mapped_column(String(64), default=None)
    language: Mapped[str] = mapped_column(String(8), default="en")  # the web page's language
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)  # an invite not opened by then
    consumed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_opened_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


@event.listens_for(Session, "before_flush")
def _case_of_its_own(session: Session, _context: Any, _instances: Any) -> None:
    """A notice written without a case (a test, a bulk load) opens a case of its own, so "every
    notice belongs to one case" holds wherever it is written; joining the case of the same debt is
    the use case's rule (``services.cases``)."""
    from notices.cases import Debt  # imported here: storage must not need the catalog to load

    for obj in list(session.new):
        if isinstance(obj, Notice) and obj.case is None and obj.case_id is None:
            debt = Debt.of(obj.code, obj.tax_years or ())
            user_id = obj.user_id if obj.user_id is not None else obj.user.id
            at = obj.created_at or utcnow()
            obj.case = Case(user_id=user_id, tax_form=debt.form, tax_years=sorted(debt.years), created_at=at,
                            updated_at=at)
