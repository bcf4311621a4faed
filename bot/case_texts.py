"""What the bot says about cases: the /notices list (cases, most urgent first) and one case's
timeline (notices received, the stage now, what comes next, deadlines, what the person did), in the
person's language. Call inside the gettext context (any handler is)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.utils.i18n import gettext as _

from bot.i18n import words
from bot.texts import days_left, esc, fdate, status_label, years_text
from notices import catalog, links, plans
from notices.cases import INDIVIDUAL_FORM, CaseNotice, DeadlineState, Logged, logged_text
from notices.money import money
from services import Case
from services.cases import CaseSummary, CaseView


def form_label(form: str | None) -> str:
    return {
        INDIVIDUAL_FORM: _("Form 1040"), "business": _("Business return"),
        "6672": _("Trust fund recovery penalty"), "4980H": _("Employer shared responsibility payment"),
    }.get(form or "", _("Other notice"))


def case_title(case: Case) -> str:
    return f"{form_label(case.tax_form)} · {years_text(case.tax_years or ())}"


def _when(s: CaseSummary, today: date) -> str:
    if not s.counting:
        return _("resolved")
    if s.due is None:
        return _("no date yet")
    text = days_left(s.due.day, today)
    return text + " · ⚖️ " + _("hard deadline") if s.due.hard else text


def case_list(found: Sequence[CaseSummary], today: date, lang: str, closed: int, include_closed: bool) -> str:
    if not found:
        if closed and not include_closed:
            return _("You have no open cases. Tap below to see the closed ones.")
        return _("You have no notices yet. Send me what your letter says, or a photo or PDF of it.")
    title = _("<b>Your cases</b>, most urgent first (one case is one debt: a tax form and its years):") \
        if not include_closed else _("<b>All your cases</b>:")
    lines = [title, ""]
    for i, s in enumerate(found, 1):
        codes = ", ".join(esc(n.code) for n in s.notices)
        lines.append(_("{i}. <b>{case}</b> — {codes} — {amount} — {when}").format(
            i=i, case=esc(case_title(s.case)), codes=codes, amount=money(s.now.amount_cents, cents=True, lang=lang),
            when=_when(s, today)))
    lines += ["", _("Tap a case to see its timeline and its notices.")]
    return "\n".join(lines)


def _received_line(n: CaseNotice, lang: str) -> str:
    info = catalog.get(n.code)
    name = f"{esc(n.code)} — {esc(info.title.get(lang))}" if info else esc(n.code)
    if n.notice_date is not None:
        day = _("dated {date}").format(date=fdate(n.notice_date, lang))
    else:
        day = _("received {date}").format(date=fdate(n.received, lang))
    return f"• {day}: {name} ({status_label(n.status)})"


def _deadline_line(d: DeadlineState, today: date, lang: str) -> str:
    state = {"met": "✅ " + _("met"), "missed": "⚠️ " + _("passed"),
             "open": _("open, {left}").format(left=days_left(d.day, today))}[d.state]
    line = f"• {esc(d.code)}: {fdate(d.day, lang)} — {state}"
    if d.hard:
        line += " — ⚖️ " + _("hard deadline: a right is lost if it is missed")
    if d.estimated:
        line += " " + _("(estimate: send the date printed on the notice)")
    return line


def logged_line(x: Logged, lang: str) -> str:
    return f"• {fdate(x.day, lang)}: {logged_text(x, words(lang), esc(x.detail))}"


def case_view(view: CaseView, today: date, lang: str) -> str:
    story = view.timeline
    lines = [f"🗂 <b>{esc(case_title(view.case))}</b>"]
    if story.now is not None and story.stage is not None:
        lines.append(_("Stage now: {stage} ({code})").format(stage=esc(story.stage.stage_name.get(lang)),
                                                            code=esc(story.now.code)))
    if story.resolved:
        lines.append(_("Nothing in this case is counting any more."))
    lines += plan_lines(view, lang)
    lines += ["", _("<b>Notices received</b>")] + [_received_line(n, lang) for n in story.received]
    if story.deadlines:
        lines += ["", _("<b>Deadlines</b>")] + [_deadline_line(d, today, lang) for d in story.deadlines]
    if story.next_expected:
        lines += ["", _("<b>Next expected if nothing is done</b>")]
        for nxt in story.next_expected:
            line = "• " + _("{code} between {start} and {end}").format(
                code=esc(nxt.code), start=fdate(nxt.earliest, lang), end=fdate(nxt.latest, lang))
            lines.append(line + (" " + _("(estimate)") if nxt.estimate else ""))
    lines += ["", _("<b>Calls, letters and payments</b>")]
    lines += [logged_line(x, lang) for x in story.logged] or [
        _("Nothing logged yet: use “Log a call or letter” on a notice.")]
    lines += ["", _("Tap a notice to open it.")]
    return "\n".join(lines)


def plan_lines(view: CaseView, lang: str) -> list[str]:
    """The IRS's notices about the case's payment plan read against it: a CP523 puts it at risk (the
    urgent path back into compliance), a CP521/CP621 is the plan's monthly reminder (no second set of
    reminders), a CP89 is the yearly statement (check the plan's balance)."""
    kinds = {plans.about_plan(n.code) for n in view.notices}
    if view.plan_on is None:
        if plans.MONTHLY_REMINDER in kinds or plans.DEFAULT_WARNING in kinds:
            return ["", _("💡 This case has an IRS notice about a payment plan, but no plan is set up here: open "
                          "the notice and tap “Payment plan set up” to get a reminder before each payment.")]
        return []
    code = esc(view.plan_on.code)
    lines: list[str] = [""]
    if view.plan_at_risk:
        info = catalog.get("CP523")
        lines.append(_("🚨 <b>Your payment plan (on {code}) is at risk: the IRS intends to end it.</b>").format(code=code))
        lines += [f"• {esc(step)}" for step in (info.actions.get(lang) if info else ())]
        lines.append(_("Change or check the plan online: {opa} — what the CP523 means: {page}").format(
            opa=links.OPA, page=info.source_for(lang) if info else plans.CP523_URL))
    if plans.MONTHLY_REMINDER in kinds:
        lines.append(_("📬 The CP521 (or CP621) is the IRS's monthly reminder of your plan's next payment: I "
                       "already remind you before each payment, so it adds no reminders of its own."))
    if plans.ANNUAL_STATEMENT in kinds:
        lines.append(_("📊 The CP89 is the plan's yearly statement: if its balance differs from yours, set the "
                       "plan up again with the balance printed on it."))
    return lines if len(lines) > 1 else []
