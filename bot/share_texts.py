"""What the bot says and shows about sharing a case: the owner's list of who has access (with a
revoke button each), the new invite or link, what an invited person hears, and the read-only case
and notice a viewer sees (never the owner's notes or the phone number they saved). Call inside the
gettext context (any handler is)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import case_texts
from bot.callbacks import CaseAction, CaseCb, ShareAction, ShareCb, SharedCb
from bot.routers.common import notice_assessment
from bot.texts import days_left, esc, fdate, status_label, years_text
from notices import catalog
from notices.money import money
from services import Case, CaseShare, Notice
from services.cases import CaseView
from services.shares import TELEGRAM, Invite


def _kind(share: CaseShare) -> str:
    return _("Telegram invite") if share.kind == TELEGRAM else _("web link")


def _who(share: CaseShare, lang: str) -> str:
    created = _("created {date}").format(date=fdate(share.created_at.date(), lang))
    if share.kind == TELEGRAM:
        who = esc(share.viewer_name or _("someone")) if share.viewer_id else _("not accepted yet")
    else:
        who = _("anyone with the link")
    opened = (_("last opened {date}").format(date=fdate(share.last_opened_at.date(), lang))
              if share.last_opened_at else _("never opened"))
    return f"{_kind(share)} · {who} · {created} · {opened}"


def shares_menu(case: Case, shares: Sequence[CaseShare], lang: str) -> tuple[str, InlineKeyboardMarkup]:
    lines = [_("👥 <b>Sharing the case {case}</b>").format(case=esc(case_texts.case_title(case))), "",
             _("A share is read-only: the person sees this case's timeline, notices, deadlines and what "
               "you logged, never your notes, your other cases or anything that identifies you, and can "
               "change nothing.")]
    lines.append("")
    if shares:
        lines.append(_("<b>Who has access</b>"))
        lines += [f"{i}. {_who(s, lang)}" for i, s in enumerate(shares, 1)]
    else:
        lines.append(_("Nobody has access to this case."))
    kb = InlineKeyboardBuilder()
    kb.button(text=_("✉️ Invite someone on Telegram"), callback_data=ShareCb(action=ShareAction.INVITE, case_id=case.id))
    kb.button(text=_("🔗 Create a private web link"), callback_data=ShareCb(action=ShareAction.LINK, case_id=case.id))
    for i, s in enumerate(shares, 1):
        kb.button(text=_("🚫 Revoke {number}").format(number=i),
                  callback_data=ShareCb(action=ShareAction.REVOKE, case_id=case.id, share=s.id))
    kb.button(text=_("⬅️ Back to the case"), callback_data=CaseCb(action=CaseAction.OPEN, case_id=case.id))
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


def new_invite(link: str) -> str:
    return _("✉️ <b>Your invite</b>. Send this link to the person (a spouse, a tax professional). It "
             "works once, for 7 days; when they open it they see this case, read-only:\n{link}\n\nYou can revoke it at any time from “👥 Share this case”.").format(link=esc(link))


def new_link(link: str) -> str:
    return _("🔗 <b>Your private web link</b>. Anyone who has it can see this case (read-only, no notes, "
             "nothing that identifies you) until you revoke it:\n{link}").format(link=esc(link))


def invite_answer(outcome: Invite) -> str:
    return {
        Invite.ACCEPTED: _("✅ This case was shared with you. You can see it but not change it. /shared "
                           "lists the cases shared with you."),
        Invite.AGAIN: _("You already have this case: here it is again."),
        Invite.OWN: _("This is your own invite: send the link to the person you want to share the case with. "
                      "It still works for them."),
        Invite.USED: _("This invite was already used by someone else. Ask the person who sent it for a new one."),
        Invite.EXPIRED: _("This invite has expired. Ask the person who sent it for a new one."),
        Invite.REVOKED: _("This invite was revoked by the person who sent it."),
        Invite.UNKNOWN: _("I do not know this invite. Check that the link is complete, or ask for a new one."),
    }[outcome]


def shared_case(view: CaseView, today: date, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    head = _("👁 <b>Shared with you, read-only</b>")
    text = head + "\n" + case_texts.case_view(view, today, lang).replace(
        _("Tap a notice to open it."), "").rstrip()
    kb = InlineKeyboardBuilder()
    for n in view.notices:
        kb.button(text=f"📄 {n.code}", callback_data=SharedCb(case_id=view.case.id, notice=n.id))
    kb.adjust(1)
    return text, kb.as_markup()


def shared_notice(n: Notice, today: date, lang: str) -> str:
    """One notice of a shared case: what it is, the amount, the dates; no notes, no phone."""
    info = catalog.get(n.code)
    title = f"{esc(n.code)} — {esc(info.title.get(lang))}" if info else esc(n.code)
    a = notice_assessment(n, today, lang)
    lines = [_("👁 <b>Shared with you, read-only</b>"), f"📄 <b>{title}</b>",
             _("Tax years: {years}").format(years=years_text(n.tax_years or ())),
             _("Amount: {amount}").format(amount=money(n.amount_cents, cents=True, lang=lang)),
             _("Status: {status}").format(status=status_label(str(n.status)))]
    if n.notice_date:
        lines.append(_("Dated {date}").format(date=fdate(n.notice_date, lang)))
    if a.respond_by:
        due = _("Respond by {date} ({left})").format(date=fdate(a.respond_by, lang), left=days_left(a.respond_by, today))
        if a.hard:
            due += " — ⚖️ " + _("hard deadline: a right is lost if it is missed")
        if a.estimated:
            due += " " + _("(estimate: send the date printed on the notice)")
        lines.append(due)
    return "\n".join(lines)


def back_to_shared(case_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("⬅️ Back to the case"), callback_data=SharedCb(case_id=case_id))
    return kb.as_markup()


def shared_list(found: Sequence[Case]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not found:
        return _("No case is shared with you now."), None
    kb = InlineKeyboardBuilder()
    for case in found:
        kb.button(text=f"👁 {case_texts.case_title(case)}", callback_data=SharedCb(case_id=case.id))
    kb.adjust(1)
    return _("<b>Cases shared with you</b> (read-only):"), kb.as_markup()
