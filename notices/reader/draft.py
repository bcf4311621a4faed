"""What the reader returns: one draft notice, and what it still needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from notices import catalog, deadlines, facts

# What the bot still asks, in this order (``notices.facts.ASK_ORDER``; "code" is "notice" here).
MISSING_ORDER = tuple("notice" if name == "code" else name for name in facts.ASK_ORDER)


@dataclass(frozen=True)
class Draft:
    notice: str | None = None
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    notice_date: date | None = None
    due_date: date | None = None
    received_date: date | None = None
    redacted: bool = False
    redacted_kinds: tuple[str, ...] = ()
    scam_signals: tuple[str, ...] = ()
    text: str = ""
    notice_mentions: tuple[str, ...] = field(default=())
    abroad: bool = False
    # not an IRS notice about money owed: "w2", "1099", "1098", "statement", "state", or "irs_letter"
    # (an IRS letter of notices/data/letters.toml; ``notice`` says which)
    not_notice: str | None = None
    uncertain: tuple[str, ...] = ()  # fields read with low confidence (an ambiguous 10/11/2026)
    printed: bool = False  # the text has a printed notice's structure

    @property
    def known_notice(self) -> bool:
        return self.notice is not None and catalog.get(self.notice) is not None

    @property
    def missing(self) -> list[str]:
        """What the bot still asks (``notices.facts.missing``; "code" is called "notice" here)."""
        left = facts.missing(self.notice, self.notice_date, self.due_date, self.amount, self.tax_years)
        return ["notice" if name == "code" else name for name in left]

    def respond_by(self) -> date | None:
        if self.notice is None:
            return self.due_date
        try:
            return deadlines.respond_by(self.notice, self.notice_date, self.due_date, amount=self.amount)[0]
        except ValueError:  # a due date before the notice date is a misread: fall back to the window
            return deadlines.respond_by(self.notice, self.notice_date, amount=self.amount)[0]

    def to_json(self, today: date | None = None) -> dict:
        """The ``noticebot parse`` object. ``today`` is accepted for symmetry with ``read``."""
        iso = _iso
        return {
            "notice": self.notice,
            "known_notice": self.known_notice,
            "tax_years": list(self.tax_years),
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "notice_date": iso(self.notice_date),
            "due_date": iso(self.due_date),
            "received_date": iso(self.received_date),
            "respond_by": iso(self.respond_by()),
            "abroad": self.abroad,
            "redacted": self.redacted,
            "redacted_kinds": list(self.redacted_kinds),
            "scam_signals": list(self.scam_signals),
            "missing": self.missing,
            "not_notice": self.not_notice,
            "uncertain": list(self.uncertain),
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
