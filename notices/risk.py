"""Escalation risk: a level and the reasons for it; ``say`` puts a reason in the person's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog
from notices.money import money
from notices.words import ENGLISH, Words

LEVELS = ("low", "medium", "high", "critical")
STATUSES = ("open", "paid", "plan", "disputed")

@dataclass(frozen=True)
class Reason:
    """One reason for the level, as a key and its values (no language): ``say`` puts it in words."""

    key: str
    n: int = 0  # days, a stage number or a dollar threshold, depending on the key
    code: str | None = None  # the notice whose catalog entry the words quote (stage name, right)


@dataclass(frozen=True)
class Risk:
    level: str
    reasons: list[Reason]


def say(reason: Reason, words: Words = ENGLISH) -> str:
    """The reason in the language of ``words`` (gettext messages, catalog texts, Babel amounts)."""
    _, lang, n = words.gettext, words.language, reason.n
    info = catalog.get(reason.code) if reason.code else None
    match reason.key:
        case "stage" if info is not None:
            return _("Stage {n} of 7 on the collection ladder: {name}.").format(n=n, name=info.stage_name.get(lang))
        case "hard" if info is not None:
            return _("Missing this deadline loses a legal right: {right}").format(right=info.rights.get(lang)[0])
        case "overdue":
            return words.ngettext("The response date passed {d} day ago.",
                                  "The response date passed {d} days ago.", n).format(d=n)
        case "overdue_cdp":
            return _("The 30-day hearing window has passed; an equivalent hearing is still possible within one "
                     "year of the notice date, without Tax Court review.")
        case "days_left":
            return words.ngettext("{d} day left to respond.", "{d} days left to respond.", n).format(d=n)
        case "no_date":
            return _("We do not know the response date yet: send the date printed on the notice.")
        case "lien":
            return _("At {amount} or more the IRS generally files a public federal tax lien.").format(
                amount=money(n, lang=lang, whole=True))
        case "online_plan":
            return _("Above {amount} you cannot set up a long-term payment plan online; expect to send "
                     "financial information (Form 433-F).").format(amount=money(n, lang=lang, whole=True))
        case "short_term":
            return _("At {amount} or more there is no online short-term plan, and a demand for tax not shown on "
                     "the return must be paid within 10 business days.").format(
                amount=money(n, lang=lang, whole=True))
        case "passport":
            return _("Above {amount} (seriously delinquent tax debt) your passport can be certified to the State "
                     "Department once a lien or levy is in place.").format(amount=money(n, lang=lang, whole=True))
        case "paid":
            return _("Marked as paid: keep your proof of payment until the IRS confirms a zero balance.")
        case "plan":
            return _("In a payment plan: collection is generally paused and the late-payment penalty drops to "
                     "0.25% a month while you keep it current.")
        case "disputed":
            return _("Marked as disputed: keep proof of what you sent and follow up if there is no answer.")
    return _("This notice is not in our catalog yet; the printed response date is what counts.")


def assess(code: str | None, respond_by: date | None, today: date, status: str = "open",
           amount: Decimal | None = None, hard: bool | None = None) -> Risk:
    """Risk from the stage, days left, whether the deadline is hard, the status and the amount; the
    reasons weightiest first (``say`` puts them in words)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    info = catalog.get(code) if code else None
    reasons: list[Reason] = []
    if status == "paid":
        return Risk("low", [Reason("paid")])

    if info is None:
        level = 1
        reasons.append(Reason("unknown"))
    else:
        # 0-1 low, 2-3 medium, 4-6 high, 7 (levy/passport) critical
        level = 0 if info.stage <= 1 else 1 if info.stage <= 3 else 2 if info.stage <= 6 else 3
        if info.stage:
            reasons.append(Reason("stage", info.stage, info.code))
    is_hard = info.hard if hard is None and info else bool(hard)
    if is_hard and info:
        reasons.append(Reason("hard", code=info.code))
        level = max(level, 1)

    if respond_by is None:
        reasons.append(Reason("no_date"))
    else:
        left = (respond_by - today).days
        if left < 0:
            reasons.append(Reason("overdue", -left))
            level = 3 if is_hard else level + 1
            if info and info.cdp:
                reasons.append(Reason("overdue_cdp"))
        else:
            reasons.append(Reason("days_left", left))
            if left <= 7:
                level = 3 if is_hard else level + 1
            elif left <= 14 and is_hard:
                level = max(level, 2)

    if amount is not None:
        th = catalog.thresholds()
        amount = Decimal(amount)
        passport, _ = th.passport_for(today.year)
        if amount > passport:
            reasons.append(Reason("passport", passport))
            if info is None or info.stage >= 4:  # certification needs a lien or levy first
                level = max(level, 2)
        if amount >= th.short_term_plan:
            reasons.append(Reason("short_term", th.short_term_plan))
            level = max(level, 2)
        elif amount > th.online_long_term_plan:
            reasons.append(Reason("online_plan", th.online_long_term_plan))
        if amount >= th.lien and (info is None or info.stage_key != "lien"):
            reasons.append(Reason("lien", th.lien))
            level = max(level, 1)

    if status in ("plan", "disputed"):
        reasons.append(Reason(status))
        # Saying "disputed" does not keep a hard right: only the instrument does (Form 12153, a Tax
        # Court petition, the 60-day request), so a hard notice keeps its risk.
        if not (status == "disputed" and is_hard):
            level -= 1
    return Risk(LEVELS[max(0, min(level, 3))], reasons)
