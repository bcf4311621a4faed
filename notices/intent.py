"""What a message is, decided in the order the bot's routers try it: a question (answered; a question
about a code or a heading that also carries a notice's details is read as that notice), a correction
of the latest card or saved notice, a new notice, or none of these. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from notices import corrections, questions, reader
from notices.corrections import Correction
from notices.questions import Topic


class Kind(StrEnum):
    QUESTION = "question"
    CORRECTION = "correction"
    NOTICE = "notice"
    OTHER = "other"


@dataclass(frozen=True)
class Intent:
    kind: Kind
    topic: Topic | None = None  # QUESTION
    correction: Correction | None = None  # CORRECTION


def looks_like_notice(d: reader.Draft) -> bool:
    """Enough to start a card: a code, or an amount with a date, a tax year or the word IRS."""
    if d.notice is not None:
        return True
    if d.amount is None:
        return False
    return bool(d.notice_date or d.due_date or d.received_date or d.tax_years or "irs" in d.text.lower())


def carries_notice(d: reader.Draft) -> bool:
    """More than a code: the details of a notice (an amount, a date or a tax year), worth a card."""
    details = d.amount is not None or bool(d.notice_date or d.due_date or d.tax_years)
    return details and looks_like_notice(d)


def classify(text: str, today: date, lang: str = "en") -> Intent:
    found = reader.read(text, today, lang)
    q = questions.understand(text)
    if q is not None and not (q.topic in (Topic.CODE_MEANING, Topic.HEADING) and carries_notice(found)) \
            and not (q.topic is Topic.HEADING and found.notice):
        return Intent(Kind.QUESTION, topic=q.topic)
    if (c := corrections.understand(text, today, lang)) is not None:
        return Intent(Kind.CORRECTION, correction=c)
    if looks_like_notice(found) and not found.scam_signals and not found.not_notice:
        return Intent(Kind.NOTICE)
    return Intent(Kind.OTHER)
