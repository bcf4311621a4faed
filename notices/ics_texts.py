"""The calendar's fixed phrases, in the language of the ``Words`` passed in (gettext messages, see
notices/words.py); titles, meanings and next steps arrive localised from the catalog, dates from
Babel (``notices.words.long_date``). Spanish uses the formal "usted"."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from notices.words import ENGLISH, Words


@functools.lru_cache(maxsize=16)  # a feed writes the same phrases for every notice
def texts(tr: Words = ENGLISH) -> Mapping[str, str]:
    _ = tr.gettext
    return MappingProxyType({
        "respond": _("Respond to IRS {code}"),
        "overdue": _("Overdue: respond to IRS {code}"),
        "respond_estimated": _("Respond to IRS {code} (estimated)"),
        "overdue_estimated": _("Overdue: respond to IRS {code} (estimated)"),
        "overdue_desc": _("The response date was {date}. Act today: every day counts."),
        "due": _("{amount} due"),
        "year": _("tax year {years}"),
        "years": _("tax years {years}"),
        "hard": _("hard deadline"),
        "watch": _("Watch the mail: IRS {code} may come if {parent} stays open (estimate)"),
        "meaning": _("What it means: {text}"),
        "next": _("Next step: {text}"),
        "phone": _("IRS phone (from your notice): {text}"),
        "estimate": _("Estimated date: check the response date printed on your notice"),
        "notes": _("Your notes: {text}"),
        "remind_today": _("Today: respond to IRS {code}"),
        "remind_tomorrow": _("Tomorrow: respond to IRS {code} ({date})"),
        "remind_in": _("In {days} days: respond to IRS {code} ({date})"),
        "alarm_today": _("IRS deadline today"),
        "alarm_tomorrow": _("IRS deadline tomorrow"),
        "alarm_in": _("IRS deadline in {days} days"),
        "alarm_remind": _("Reminder: IRS deadline"),
        "cal_desc": _("Response deadlines from your IRS notices, kept up to date by noticebot. "
                      "The date printed on your notice always wins."),
    })  # fmt: skip
