"""Callback data factories and inline keyboards of the conversation.

Every factory packs into Telegram's 64 bytes (tests check the longest value). Handlers re-check
ownership: callback data comes from the client and is never trusted on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import case_texts, texts
from bot.callbacks import (
    CaseAction,
    CaseCb,
    MoveCb,
    NoticeAction,
    NoticeCb,
    RowId,
    ShareAction,
    ShareCb,
    SmallIndex,
)
from notices import instruments, relief
from notices.words import LANGUAGES, language_name
from services import Case, Notice, NoticeStatus


class DraftCb(CallbackData, prefix="dr"):
    """The confirmation card: ``token`` names the draft, so a button of a replaced card is refused."""

    action: str  # save | fix | cancel | skip | field
    token: str
    field: str = ""


class ChecklistCb(CallbackData, prefix="ck"):
    """Tick (``done``) or untick one item: the state wanted, so a second tap changes nothing."""

    notice_id: RowId
    item: SmallIndex  # index into the notice's checklist
    done: bool = True
    full: bool = False  # the checklist was showing all its steps: keep showing them


class ChecklistViewCb(CallbackData, prefix="cv"):
    """Show all the steps of a checklist, or fold them again below the first one."""

    notice_id: RowId
    full: bool


class ListCb(CallbackData, prefix="ls"):
    closed: bool


class EditCb(CallbackData, prefix="ed"):
    notice_id: RowId
    field: str


class LogCb(CallbackData, prefix="lg"):
    notice_id: RowId
    kind: str  # call | letter | skip


class StateCb(CallbackData, prefix="st"):
    state: str  # two-letter postal code


class TzCb(CallbackData, prefix="tz"):
    zone: str  # an IANA zone, checked again when pressed


class LangCb(CallbackData, prefix="lang"):
    language: str


class SettingsCb(CallbackData, prefix="set"):
    field: str  # tz | time | quiet | offsets | lang | caldetails


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


# Fields the confirmation card can ask for, in the order they are asked.
# "abroad" (addressed outside the US) is offered only on notices of deficiency (facts.asks_abroad).
DRAFT_FIELDS = ("code", "notice_date", "due_date", "amount", "tax_years", "abroad")
EDIT_FIELDS = ("code", "notice_date", "due_date", "received_date", "amount", "tax_years", "phone", "notes", "abroad")


def field_label(field: str) -> str:
    return {
        "code": _("Notice code"),
        "notice_date": _("Notice date"),
        "due_date": _("Printed response date"),
        "received_date": _("Date received"),
        "amount": _("Amount"),
        "tax_years": _("Tax years"),
        "phone": _("Phone number on the notice"),
        "notes": _("Notes"),
        "abroad": _("Addressed outside the US"),
    }[field]


def draft_keyboard(token: str, asking: str | None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if asking:
        kb.button(text=_("I don't know"), callback_data=DraftCb(action="skip", token=token, field=asking))
    kb.button(text=_("✅ Save"), callback_data=DraftCb(action="save", token=token))
    kb.button(text=_("✏️ Fix a field"), callback_data=DraftCb(action="fix", token=token))
    kb.button(text=_("✖️ Cancel"), callback_data=DraftCb(action="cancel", token=token))
    kb.adjust(*([1] if asking else []), 3)
    return kb.as_markup()


def draft_fields_keyboard(token: str, abroad: bool = False) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for field in DRAFT_FIELDS if abroad else DRAFT_FIELDS[:-1]:
        kb.button(text=field_label(field), callback_data=DraftCb(action="field", token=token, field=field))
    kb.adjust(2)
    return kb.as_markup()


def notice_keyboard(notice: Notice) -> InlineKeyboardMarkup:
    nid = notice.id
    kb = InlineKeyboardBuilder()

    def add(text: str, action: NoticeAction) -> None:
        kb.button(text=text, callback_data=NoticeCb(action=action, notice_id=nid))

    add(_("❓ What it means"), NoticeAction.MEANING)
    add(_("📋 Checklist"), NoticeAction.CHECKLIST)
    add(_("💸 Cost of waiting"), NoticeAction.COST)
    add(_("📈 Timeline"), NoticeAction.TIMELINE)
    add(texts.instrument_button(instruments.kind_of(notice.code)), NoticeAction.LETTER)  # the right's own
    add(_("📅 Calendar"), NoticeAction.CALENDAR)
    add(_("📞 Log a call or letter"), NoticeAction.LOG)
    if notice.status in (NoticeStatus.OPEN, NoticeStatus.PLAN) and relief.eligible_notice(notice.code):
        add(_("🧾 Penalty relief"), NoticeAction.RELIEF)
    if notice.status == NoticeStatus.OPEN:
        add(_("✅ Mark paid"), NoticeAction.PAID)
        add(_("🗓 Payment plan set up"), NoticeAction.PLAN)
        add(_("✋ Disputed"), NoticeAction.DISPUTED)
        add(_("📁 Closed"), NoticeAction.CLOSED)
    else:
        if notice.status == NoticeStatus.PLAN:
            add(_("💳 Payment plan"), NoticeAction.PLAN_VIEW)
        add(_("↩️ Reopen"), NoticeAction.REOPEN)
    add(_("✏️ Edit"), NoticeAction.EDIT)
    kb.button(text=_("🗂 Its case"), callback_data=CaseCb(action=CaseAction.OPEN, case_id=notice.case_id))
    add(_("↔️ Move to another case"), NoticeAction.MOVE)
    add(_("🗑 Delete"), NoticeAction.DELETE)
    kb.adjust(2)
    return kb.as_markup()


def delete_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("🗑 Yes, delete it"), callback_data=NoticeCb(action=NoticeAction.DELETE_CONFIRM, notice_id=notice_id))
    kb.button(text=_("Keep it"), callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=notice_id))
    return kb.as_markup()


def edit_keyboard(notice_id: int, abroad: bool = False) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for field in EDIT_FIELDS if abroad else EDIT_FIELDS[:-1]:
        kb.button(text=field_label(field), callback_data=EditCb(notice_id=notice_id, field=field))
    kb.adjust(2)
    return kb.as_markup()


def log_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("📞 A phone call"), callback_data=LogCb(notice_id=notice_id, kind="call"))
    kb.button(text=_("✉️ A letter"), callback_data=LogCb(notice_id=notice_id, kind="letter"))
    return kb.as_markup()


def skip_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Skip"), callback_data=LogCb(notice_id=notice_id, kind="skip"))
    return kb.as_markup()


def _notice_buttons(kb: InlineKeyboardBuilder, notices: Iterable[Notice], action: NoticeAction) -> None:
    for n in notices:
        years = ", ".join(str(y) for y in n.tax_years or ())
        label = f"{n.code} ({years})" if years else n.code
        kb.button(text=label, callback_data=NoticeCb(action=action, notice_id=n.id))


def open_notice_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("📄 Open it"), callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=notice_id))
    return kb.as_markup()


def pick_keyboard(notices: Iterable[Notice], action: NoticeAction) -> InlineKeyboardMarkup:
    """Which notice? One button per notice, most urgent first."""
    kb = InlineKeyboardBuilder()
    _notice_buttons(kb, notices, action)
    kb.adjust(1)
    return kb.as_markup()


def cases_keyboard(cases: Iterable[tuple[Case, Sequence[Notice]]], show_closed_button: bool) -> InlineKeyboardMarkup:
    """/notices: one button per case (its form, years and notices), most urgent first."""
    kb = InlineKeyboardBuilder()
    for case, notices in cases:
        label = f"🗂 {case_texts.case_title(case)}: {', '.join(n.code for n in notices)}"
        kb.button(text=label[:60] + ("…" if len(label) > 60 else ""),
                  callback_data=CaseCb(action=CaseAction.OPEN, case_id=case.id))
    if show_closed_button:
        kb.button(text=_("Show closed cases too"), callback_data=ListCb(closed=True))
    kb.adjust(1)
    return kb.as_markup()


def case_keyboard(case: Case, notices: Iterable[Notice]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for n in notices:
        kb.button(text=f"📄 {n.code}", callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=n.id))
    kb.button(text=_("📈 Timeline picture"), callback_data=CaseCb(action=CaseAction.TIMELINE, case_id=case.id))
    kb.button(text=_("📅 Calendar for this case"), callback_data=CaseCb(action=CaseAction.CALENDAR, case_id=case.id))
    kb.button(text=_("🧾 Summary for a tax professional (PDF)"),
              callback_data=CaseCb(action=CaseAction.SUMMARY, case_id=case.id))
    kb.button(text=_("👥 Share this case (read-only)"), callback_data=ShareCb(action=ShareAction.MENU, case_id=case.id))
    kb.button(text=_("⬅️ All cases"), callback_data=ListCb(closed=False))
    kb.adjust(1)
    return kb.as_markup()


def summary_cases_keyboard(found: Iterable[tuple[Case, Sequence[Notice]]]) -> InlineKeyboardMarkup:
    """/summary with several cases: which one (most urgent first)."""
    kb = InlineKeyboardBuilder()
    for case, notices in found:
        label = f"🗂 {case_texts.case_title(case)}: {', '.join(n.code for n in notices)}"
        kb.button(text=label[:60] + ("…" if len(label) > 60 else ""),
                  callback_data=CaseCb(action=CaseAction.SUMMARY, case_id=case.id))
    kb.adjust(1)
    return kb.as_markup()


def move_keyboard(notice_id: int, others: Iterable[tuple[Case, Sequence[Notice]]]) -> InlineKeyboardMarkup:
    """Where to move a notice: the person's other cases, or a new case of its own."""
    kb = InlineKeyboardBuilder()
    for case, notices in others:
        label = f"🗂 {case_texts.case_title(case)}: {', '.join(n.code for n in notices)}"
        kb.button(text=label[:60] + ("…" if len(label) > 60 else ""), callback_data=MoveCb(notice_id=notice_id, to=case.id))
    kb.button(text=_("➕ A new case of its own"), callback_data=MoveCb(notice_id=notice_id, to=0))
    kb.button(text=_("⬅️ Back to the notice"), callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=notice_id))
    kb.adjust(1)
    return kb.as_markup()


def checklist_keyboard(notice_id: int, items: list[tuple[str, bool]], *, full: bool,
                       featured: int | None) -> InlineKeyboardMarkup:
    """Folded: the button of the ``featured`` step and "Show all steps"; ``full``: every step's button."""
    kb = InlineKeyboardBuilder()
    for i, (text, done) in enumerate(items):
        if not full and i != featured:
            continue
        label = ("✅ " if done else "⬜ ") + text
        kb.button(text=label[:60] + ("…" if len(label) > 60 else ""),
                  callback_data=ChecklistCb(notice_id=notice_id, item=i, done=not done, full=full))
    if full:
        kb.button(text=_("🔼 Show only the next step"), callback_data=ChecklistViewCb(notice_id=notice_id, full=False))
    else:
        kb.button(text=_("📋 Show all steps ({count})").format(count=len(items)),
                  callback_data=ChecklistViewCb(notice_id=notice_id, full=True))
    kb.button(text=_("⬅️ Back to the notice"), callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=notice_id))
    kb.adjust(1)
    return kb.as_markup()


def states_keyboard(states: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for code, _name in states:
        kb.button(text=code, callback_data=StateCb(state=code))
    kb.adjust(8)
    return kb.as_markup()


def zone_choice_keyboard(choices: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for zone, label in choices:
        kb.button(text=label, callback_data=TzCb(zone=zone))
    kb.adjust(2)
    return kb.as_markup()


def language_offer_keyboard(current: str) -> InlineKeyboardMarkup:
    """Keep the language just switched to, or go back; each label in its own language."""
    kb = InlineKeyboardBuilder()
    keep = _("✅ Yes, {language}", locale=current).format(language=language_name(current))
    kb.button(text=keep, callback_data=LangCb(language=current))
    for other in LANGUAGES:
        if other != current:
            kb.button(text=language_name(other).capitalize(), callback_data=LangCb(language=other))
    return kb.as_markup()


def language_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for language in LANGUAGES:
        kb.button(text=language_name(language).capitalize(), callback_data=LangCb(language=language))
    return kb.as_markup()


def settings_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("🌎 Time zone"), callback_data=SettingsCb(field="tz"))
    kb.button(text=_("⏰ Reminder time"), callback_data=SettingsCb(field="time"))
    kb.button(text=_("🌙 Quiet hours"), callback_data=SettingsCb(field="quiet"))
    kb.button(text=_("🔔 Reminder days"), callback_data=SettingsCb(field="offsets"))
    kb.button(text=_("🗣 Language"), callback_data=SettingsCb(field="lang"))
    kb.button(text=_("📅 Notes in calendars"), callback_data=SettingsCb(field="caldetails"))
    kb.adjust(2)
    return kb.as_markup()


def forget_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("🗑 Yes, delete everything"), callback_data=ForgetCb(confirm=True))
    kb.button(text=_("No, keep my data"), callback_data=ForgetCb(confirm=False))
    kb.adjust(1)
    return kb.as_markup()
