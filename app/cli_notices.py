"""`noticebot parse | deadline | estimate`: the notice core from the command line.

``register(subparsers)`` adds the subcommands; each sets ``func(args) -> int``. Bad input prints one
line on stderr and returns 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from notices import catalog, cost, facts, reader
from notices.money import money
from notices.words import LANGUAGES, Words, long_date


class _BadInput(ValueError):
    pass


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _BadInput(f"{what}: expected a date as YYYY-MM-DD, got {value!r}") from None


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _today(args: argparse.Namespace) -> date:
    # The person's calendar day; the CLI has no timezone of its own, so the machine's local date.
    return _date(args.today, "--today") if args.today else datetime.now(UTC).astimezone().date()


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        today = _today(args)
    except _BadInput as e:
        return _fail(str(e))
    text = " ".join(args.text)
    if not text.strip():
        return _fail("TEXT is empty")
    if not args.in_words:  # the JSON object, as it always was (scripts and the shared test messages rely on it)
        draft = reader.read(text, today, args.lang)
        print(json.dumps(draft.to_json(today), ensure_ascii=False))
        return 0
    from bot.i18n import words  # the catalogs only: no aiogram

    tr = words(args.lang)
    drafts = reader.read_all(text, today, args.lang)
    print("\n\n".join(parse_text(d, today, tr, first=i == 0) for i, d in enumerate(drafts)))
    return 0


def parse_text(d: reader.Draft, today: date, tr: Words, *, first: bool = True) -> str:
    """What the reader found in one notice of the text, in plain words in ``tr``'s language (the same
    catalog messages as the bot's); ``first``: say once what was removed and the scam warning."""
    from bot import export_summary, not_notice

    _, lang = tr.gettext, tr.language
    lines: list[str] = []
    if first and d.redacted:
        names = {"ssn": _("a Social Security number"), "itin": _("an ITIN"), "ein": _("an EIN"),
                 "tin": _("a taxpayer ID number")}
        lines.append(_("Removed from the text and never stored: {what}").format(
            what=", ".join(names.get(k, k) for k in d.redacted_kinds)))
    if first and d.scam_signals:
        lines.append(_("Warning: this looks like it could be a scam. Do not pay or call back a number from the "
                       "message."))
    if d.not_notice == "irs_letter":
        lines.append(not_notice.letter_text(d, today, tr))
    elif d.not_notice:
        lines.append(not_notice.document_text(d.not_notice, tr))
    else:
        info = catalog.get(d.notice) if d.notice else None
        code = (f"{info.code} — {info.title.get(lang)}" if info else
                _("{code} (not in my catalog yet)").format(code=d.notice) if d.notice else _("not known"))
        a = facts.derive(facts.NoticeInput(d.notice, d.notice_date, d.due_date, d.received_date, False, d.amount,
                                           d.tax_years), today, lang)
        lines += [_("Notice: {code}").format(code=code),
                  _("Tax years: {years}").format(years=", ".join(map(str, d.tax_years)) or _("not known")),
                  _("Amount: {amount}").format(amount=money(d.amount, lang=lang) if d.amount is not None
                                               else _("not known")),
                  _("Notice date: {date}").format(date=long_date(d.notice_date, lang) if d.notice_date
                                                  else _("not known"))]
        if d.notice is not None:
            lines += export_summary.deadline_lines(a, tr)
        if d.uncertain:
            lines.append(_("Please check the dates: a numeric date like 10/11 can be read two ways."))
        if d.missing:
            missing = {"notice": _("the notice code"), "notice_date": _("the notice date"),
                       "due_date": _("the date printed to pay or respond by"), "amount": _("the amount"),
                       "tax_years": _("the tax year")}
            lines.append(_("Still to find on the notice: {fields}").format(
                fields=", ".join(missing[f] for f in d.missing)))
    return re.sub(r"</?[bi]>", "", "\n".join(lines)).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def cmd_deadline(args: argparse.Namespace) -> int:
    try:
        notice_date = _date(args.notice_date, "--notice-date")
        printed = _date(args.printed_due, "--printed-due") if args.printed_due else None
    except _BadInput as e:
        return _fail(str(e))
    try:
        amount = Decimal(args.amount.replace(",", "").lstrip("$")) if args.amount else None
    except InvalidOperation:
        return _fail(f"--amount: expected a number, got {args.amount!r}")
    derived = facts.derive(facts.NoticeInput(args.code, notice_date, printed, abroad=args.abroad, amount=amount,
                                             status=None), notice_date, args.lang)
    if "printed_due_before_notice_date" in derived.notes:
        return _fail(f"the printed due date {printed} is before the notice date {notice_date}")
    result = derived.deadline
    if result is None:  # cannot happen: a code was given
        return _fail(f"no deadline for {args.code!r}")
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    lines = [f"{result.code} dated {notice_date.isoformat()}"]
    if result.pay_by:
        lines.append(f"Pay by: {result.pay_by.isoformat()} (the date printed on the notice controls)")
    if result.printed_ignored:
        lines.append(f"The printed date {printed} is later than the law allows from the notice date: not used.")
    if not result.known:
        lines.append("Not in the catalog yet: use the response date printed on the notice.")
    if result.respond_by:
        kind = ("printed on the notice" if result.from_printed_date
                else f"{result.business_days} business days" if result.business_days else f"{result.window_days} days")
        est = " (estimate: check the date printed on the notice)" if result.estimate else ""
        lines.append(f"Respond by: {result.respond_by.isoformat()} ({kind}){est}")
    else:
        lines.append("Respond by: no default window; use the date printed on the notice.")
    if derived.at_the_latest:
        lines.append("This notice prints its own last day: that date controls (the date above is never later).")
    if result.stage is not None:
        lines.append(f"Stage {result.stage}: {result.stage_name}")
    lines.append("Hard deadline (a legal right is lost if missed): " + ("yes" if result.hard_deadline else "no"))
    lines += [f"  - {r}" for r in result.rights]
    if result.equivalent_hearing_until:
        lines.append(f"Equivalent hearing possible until: {result.equivalent_hearing_until.isoformat()}")
    for n in result.next:
        est = " (estimate)" if n.estimate else ""
        lines.append(f"If nothing is done: {n.code} between {n.earliest.isoformat()} and {n.latest.isoformat()}{est}")
    print("\n".join(lines))
    return 0


def cmd_estimate(args: argparse.Namespace) -> int:
    try:
        amount = Decimal(args.amount.replace(",", "").lstrip("$"))
        if not amount.is_finite() or amount < 0:
            raise _BadInput(f"--amount: expected a non-negative number, got {args.amount!r}")
        start = _date(args.start, "--from")
        end = _date(args.end, "--to")
        levy = _date(args.levy_notice_date, "--levy-notice-date") if args.levy_notice_date else None
        timely = args.filed_on_time != "no"
        assessed = not args.proposal
        result = cost.estimate(amount, start, end, args.plan, levy, timely, assessed)
        # 0.25% applies only to a return filed on time: when nobody said, show the 0.5% figure too
        late = (cost.estimate(amount, start, end, args.plan, levy, False, assessed)
                if args.plan and args.filed_on_time is None and assessed else None)
    except InvalidOperation:
        return _fail(f"--amount: expected a number, got {args.amount!r}")
    except (_BadInput, ValueError) as e:
        return _fail(str(e))
    if args.json:
        print(json.dumps(result.to_json()))
        return 0
    est = " (estimate: a rate for some days is not yet published or not yet confirmed on irs.gov)" \
        if result.estimate else ""
    if not result.assessed:
        penalty_line = "  failure-to-pay penalty: none until the tax is assessed (IRC 6651(a)(3))"
    else:
        penalty_line = f"  failure-to-pay penalty ({result.months} month(s)): {money(result.penalty)}"
        if late is not None and late.penalty != result.penalty:
            penalty_line += f" if the return was filed on time; {money(late.penalty)} if it was filed late"
    print(
        f"Paying {money(result.amount)} on {end.isoformat()} instead of {start.isoformat()} ({result.days} days):\n"
        f"  interest (compounded daily): {money(result.interest)}\n"
        f"{penalty_line}\n"
        f"  total added: {money(result.total)}{est}"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("parse", help="read a message about a notice: the reader's JSON object, or --text")
    p.add_argument("--today", help="the date the message is read (YYYY-MM-DD); default: today")
    p.add_argument("--lang", choices=sorted(LANGUAGES), default="en",
                   help="the language of the answer, and of the text's dates (es: 10/11 is 10 November)")
    p.add_argument("--text", dest="in_words", action="store_true", help="say what was found in plain words, in --lang")
    p.add_argument("--json", action="store_true", help="the reader's JSON object (the default)")
    p.add_argument("text", nargs="+", metavar="TEXT")
    p.set_defaults(func=cmd_parse)

    p = subparsers.add_parser("deadline", help="respond-by date for a notice")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--notice-date", required=True, help="date printed on the notice (YYYY-MM-DD)")
    p.add_argument("--printed-due", help="response date printed on the notice; wins over the default")
    p.add_argument("--abroad", action="store_true",
                   help="a notice of deficiency addressed outside the United States (150 days; ignored otherwise)")
    p.add_argument("--amount", help="amount due (a CP14 of $100,000 or more is due in 10 business days)")
    p.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)

    p = subparsers.add_parser("estimate", help="interest and penalty added by paying later")
    p.add_argument("--amount", required=True)
    p.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    p.add_argument("--plan", action="store_true", help="an approved payment plan is in effect")
    p.add_argument("--levy-notice-date", help="date of a notice of intent to levy (YYYY-MM-DD)")
    p.add_argument("--filed-on-time", choices=("yes", "no"),
                   help="was the return filed on time? (the 0.25%% plan rate needs it; default: show both)")
    p.add_argument("--proposal", action="store_true",
                   help="the amount is proposed, not assessed (CP2000, CP3219A): no failure-to-pay penalty")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_estimate)
