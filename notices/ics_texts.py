"""The calendar's fixed phrases in each language; titles, meanings and next steps arrive localised
from the catalog, dates from Babel (``notices.words.long_date``). Spanish uses the formal "usted".

Still a dict, not the gettext catalogs (the one place left): ``notices`` cannot load bot/locales and
``services.calendar`` may not import ``bot.i18n``. The way over: ``services.calendar`` passes these
phrases, translated with ``_(..., locale=lang)`` as it does the hard labels, into ``build_calendar``."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "respond": "Respond to IRS {code}",
        "overdue": "Overdue: respond to IRS {code}",
        "overdue_desc": "The response date was {date}. Act today: every day counts.",
        "estimated": "(estimated)",
        "due": "{amount} due",
        "year": "tax year {years}",
        "years": "tax years {years}",
        "hard": "hard deadline",
        "watch": "Watch the mail: IRS {code} may come if {parent} stays open (estimate)",
        "meaning": "What it means: {text}",
        "next": "Next step: {text}",
        "phone": "IRS phone (from your notice): {text}",
        "estimate": "Estimated date: check the response date printed on your notice",
        "notes": "Your notes: {text}",
        "remind_today": "Today: respond to IRS {code}",
        "remind_tomorrow": "Tomorrow: respond to IRS {code} ({date})",
        "remind_in": "In {days} days: respond to IRS {code} ({date})",
        "alarm_today": "IRS deadline today",
        "alarm_tomorrow": "IRS deadline tomorrow",
        "alarm_in": "IRS deadline in {days} days",
        "alarm_remind": "Reminder: IRS deadline",
        "cal_desc": (
            "Response deadlines from your IRS notices, kept up to date by noticebot. "
            "The date printed on your notice always wins."
        ),
        "cat_deadline": "IRS deadline",
        "cat_watch": "IRS expected notice",
        "cat_remind": "IRS reminder",
    },
    "es": {
        "respond": "Responder al IRS {code}",
        "overdue": "Vencido: responda al IRS {code}",
        "overdue_desc": "La fecha de respuesta era el {date}. Actúe hoy: cada día cuenta.",
        "estimated": "(fecha estimada)",
        "due": "{amount} a pagar",
        "year": "año fiscal {years}",
        "years": "años fiscales {years}",
        "hard": "plazo definitivo",
        "watch": "Revise el correo: podría llegar el IRS {code} si el {parent} sigue abierto (estimación)",
        "meaning": "Qué significa: {text}",
        "next": "Siguiente paso: {text}",
        "phone": "Teléfono del IRS (de su aviso): {text}",
        "estimate": "Fecha estimada: revise la fecha de respuesta impresa en su aviso",
        "notes": "Sus notas: {text}",
        "remind_today": "Hoy: responda al IRS {code}",
        "remind_tomorrow": "Mañana: responda al IRS {code} ({date})",
        "remind_in": "En {days} días: responda al IRS {code} ({date})",
        "alarm_today": "Plazo del IRS hoy",
        "alarm_tomorrow": "Plazo del IRS mañana",
        "alarm_in": "Plazo del IRS en {days} días",
        "alarm_remind": "Recordatorio: plazo del IRS",
        "cal_desc": (
            "Plazos de respuesta de sus avisos del IRS, actualizados por noticebot. "
            "La fecha impresa en su aviso siempre prevalece."
        ),
        "cat_deadline": "Plazo del IRS",
        "cat_watch": "Aviso previsto del IRS",
        "cat_remind": "Recordatorio del IRS",
    },
}


def texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["en"])
