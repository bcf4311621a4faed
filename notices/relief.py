"""Penalty relief (issue 16): the first-time abatement check, its request letter (text and PDF) and
phone script, and reasonable-cause relief with its usual evidence.

Facts (IRM 20.1.1.3.3.2.1 as summarised on irs.gov): first-time abatement (FTA) removes the
failure-to-file, failure-to-pay and failure-to-deposit penalties of one tax period when the person had
no penalties in the three prior tax years (an estimated-tax penalty does not count), has filed all
currently required returns (or extensions), and has paid the tax or arranged to pay it (a payment plan
that is kept current counts). It does not cover accuracy or estimated-tax penalties. Reasonable cause:
ordinary business care and prudence, yet unable to comply (death, serious illness, unavoidable absence,
fire, casualty, natural disaster, records that could not be obtained); lack of money alone is not one.
Ask by phone (the number on the notice), by a signed letter, or with Form 843.

Texts are gettext messages in the language of the ``Words`` passed in (``notices.words``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog, links
from notices.letter import latin1_pdf, notice_label
from notices.money import money
from notices.words import ENGLISH, Words, long_date

FTA_URL = "https://www.irs.gov/payments/penalty-relief-due-to-first-time-abate-or-other-administrative-waiver"
REASONABLE_CAUSE_URL = "https://www.irs.gov/payments/penalty-relief-for-reasonable-cause"
FORM_843_URL = links.FORM_843
# The three conditions, in the order they are asked; each is met when the answer is ``True``.
QUESTIONS = ("clean_history", "filed", "paid_or_plan")


@dataclass(frozen=True)
class FtaCheck:
    outcome: str  # "likely" (all three met) | "no" (one is not) | "unsure" (one is not known)
    failing: tuple[str, ...]
    unknown: tuple[str, ...]


def check(answers: dict[str, bool | None]) -> FtaCheck:
    """The first-time abatement conditions against the person's answers (None: "I don't know")."""
    failing = tuple(q for q in QUESTIONS if answers.get(q) is False)
    unknown = tuple(q for q in QUESTIONS if answers.get(q) is None)
    outcome = "no" if failing else "unsure" if unknown else "likely"
    return FtaCheck(outcome, failing, unknown)


def eligible_notice(code: str) -> bool:
    """A notice where penalties are already charged: a bill, not a proposal or a deficiency notice."""
    info = catalog.get(code)
    return info is None or info.assessed


@dataclass(frozen=True)
class RequestInput:
    notice_code: str
    notice_date: date
    today: date
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    in_plan: bool = False


def request_lines(inp: RequestInput, tr: Words = ENGLISH) -> list[str]:
    """The first-time abatement request letter, line by line, in ``tr``'s language."""
    _, lang = tr.gettext, tr.language
    code = notice_label(inp.notice_code, tr)
    out = [_("[Your full name]"), _("[Your address]"), "", long_date(inp.today, lang), "",
           _("Internal Revenue Service"), _("(Use the reply address printed on your notice.)"), ""]
    out.append(_("Re: Request for first-time penalty abatement - {code} dated {date}").format(
        code=code, date=long_date(inp.notice_date, lang)))
    if inp.tax_years:
        out.append(_("Tax year(s): {years}").format(years=", ".join(str(y) for y in sorted(inp.tax_years))))
    if inp.amount is not None:
        # written as on the notice, in US form, in any language: the letter goes to the IRS
        out.append(_("Amount shown on the notice: {amount}").format(amount=money(inp.amount)))
    paid = (_("3. I have arranged to pay the tax under an installment agreement, and I am current with it.")
            if inp.in_plan else _("3. I have paid the tax due, or arranged to pay it."))
    out += [_("Taxpayer identification number: [last four digits only]"), "", _("Dear Sir or Madam:"), "",
            _("I request first-time abatement of the failure-to-file and failure-to-pay penalties charged for "
              "the tax year(s) above, and of the interest charged on those penalties. I meet the conditions:"),
            "", _("1. I had no penalties in the three tax years before this one."),
            _("2. I have filed all tax returns I am currently required to file (or a valid extension)."), paid,
            "", _("Please remove these penalties and send me written confirmation of the result."),
            "", _("If you need more information, please write to me at the address above."),
            "", _("Sincerely,"), "", "", _("[Your full name]"), "", _("Enclosures: copy of the notice")]
    return out


def request_text(inp: RequestInput, tr: Words = ENGLISH) -> str:
    return "\n".join(request_lines(inp, tr)) + "\n"


def request_pdf(inp: RequestInput, tr: Words = ENGLISH) -> bytes:
    return latin1_pdf(f"First-time abatement - {inp.notice_code}", request_lines(inp, tr))


def phone_script(inp: RequestInput, tr: Words = ENGLISH) -> str:
    _ = tr.gettext
    years = ", ".join(str(y) for y in sorted(inp.tax_years)) or _("[year]")
    paid = (_("I have a payment plan and I am current with it") if inp.in_plan
            else _("I have paid the tax (or arranged to pay it)"))
    return _("Call the number on your {code} and say: \"I'm calling to request first-time penalty abatement for "
             "{years}. I had no penalties in the three prior years, I have filed all required returns, and "
             "{paid}.\" Write down the employee's name and badge number, the date and what you are told, and ask "
             "for written confirmation.").format(code=_spoken_code(inp.notice_code, tr), years=years, paid=paid)


def _spoken_code(code: str, tr: Words) -> str:
    """The notice as the script says it: "CP14", "Letter 1058", "IRS notice" when its code is not known."""
    canon = catalog.canonical_code(code) or code
    if not canon or canon == catalog.UNKNOWN_CODE:
        return tr.gettext("IRS notice")
    return notice_label(canon, tr) if canon.startswith("LTR") else canon


def reasonable_cause(tr: Words = ENGLISH) -> str:
    """Reasonable-cause relief and its usual evidence (HTML for the chat)."""
    _ = tr.gettext
    return _("<b>Reasonable cause</b> (when first-time abatement does not apply): the IRS may remove a penalty if "
             "you used ordinary care and still could not file or pay on time because of, for example, a death, a "
             "serious illness or an unavoidable absence; a fire, casualty or natural disaster; or records you could "
             "not get. Lack of money alone is not reasonable cause.\n"
             "Usual evidence: the dates (when it happened, when it ended, when you then complied) and documents "
             "such as hospital or doctor records, a death certificate, insurance or disaster reports, or letters "
             "showing you tried to get your records.\n"
             "Ask by calling the number on the notice, with a signed letter, or with Form 843.")
