"""Escalation risk: a level and the reasons for it, in words (English or Spanish)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog

LEVELS = ("low", "medium", "high", "critical")
STATUSES = ("open", "paid", "plan", "disputed")

_REASONS = {
    "unknown": ("This notice is not in our catalog yet; the printed response date is what counts.",
                "Este aviso todavía no está en nuestro catálogo; la fecha de respuesta impresa es la que cuenta."),
    "stage": ("Stage {n} of 7 on the collection ladder: {name}.",
              "Etapa {n} de 7 en la escala de cobro: {name}."),
    "hard": ("Missing this deadline loses a legal right: {right}",
             "Si pasa esta fecha pierde un derecho legal: {right}"),
    "overdue": ("The response date passed {d} day(s) ago.", "La fecha de respuesta pasó hace {d} día(s)."),
    "overdue_cdp": ("The 30-day hearing window has passed; an equivalent hearing is still possible within one year "
                    "of the notice date, without Tax Court review.",
                    "Pasó el plazo de 30 días para la audiencia; aún puede pedir una audiencia equivalente dentro de un "
                    "año desde la fecha del aviso, sin revisión del Tribunal Tributario."),
    "days_left": ("{d} day(s) left to respond.", "Quedan {d} día(s) para responder."),
    "no_date": ("We do not know the response date yet: send the date printed on the notice.",
                "Todavía no sabemos la fecha de respuesta: envíe la fecha impresa en el aviso."),
    "lien": ("At ${t:,} or more the IRS generally files a public federal tax lien.",
             "Con ${t:,} o más el IRS generalmente presenta un gravamen federal público."),
    "online_plan": ("Above ${t:,} you cannot set up a long-term payment plan online; expect to send financial "
                    "information (Form 433-F).",
                    "Con más de ${t:,} no puede solicitar en línea un plan de pagos a largo plazo; le pedirán "
                    "información financiera (Formulario 433-F)."),
    "short_term": ("At ${t:,} or more there is no online short-term plan, and a demand for tax not shown on the "
                   "return must be paid within 10 business days.",
                   "Con ${t:,} o más no hay plan a corto plazo en línea, y el cobro de impuestos no declarados "
                   "debe pagarse en 10 días hábiles."),
    "passport": ("Above ${t:,} (seriously delinquent tax debt) your passport can be certified to the State "
                 "Department once a lien or levy is in place.",
                 "Con más de ${t:,} (deuda tributaria gravemente morosa) su pasaporte puede ser certificado al "
                 "Departamento de Estado cuando haya un gravamen o embargo."),
    "paid": ("Marked as paid: keep your proof of payment until the IRS confirms a zero balance.",
             "Marcado como pagado: guarde el comprobante hasta que el IRS confirme saldo cero."),
    "plan": ("In a payment plan: collection is generally paused and the late-payment penalty drops to 0.25% "
             "a month while you keep it current.",
             "En un plan de pagos: el cobro generalmente se detiene y la multa por pago tardío baja al 0.25 % "
             "al mes mientras lo mantenga al día."),
    "disputed": ("Marked as disputed: keep proof of what you sent and follow up if there is no answer.",
                 "Marcado como disputado: guarde constancia de lo que envió y haga seguimiento si no responden."),
}


@dataclass(frozen=True)
class Risk:
    level: str
    reasons: list[str]

    def to_json(self) -> dict:
        return {"level": self.level, "reasons": list(self.reasons)}


def _say(key: str, lang: str, **kw) -> str:
    en, es = _REASONS[key]
    return (es if lang == "es" else en).format(**kw)


def assess(code: str | None, respond_by: date | None, today: date, status: str = "open",
           amount: Decimal | None = None, hard: bool | None = None, lang: str = "en") -> Risk:
    """Risk from the stage, days left, whether the deadline is hard, the status and the amount."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    info = catalog.get(code) if code else None
    reasons: list[str] = []
    if status == "paid":
        return Risk("low", [_say("paid", lang)])

    if info is None:
        level = 1
        reasons.append(_say("unknown", lang))
    else:
        # 0-1 low, 2-3 medium, 4-6 high, 7 (levy/passport) critical
        level = 0 if info.stage <= 1 else 1 if info.stage <= 3 else 2 if info.stage <= 6 else 3
        if info.stage:
            reasons.append(_say("stage", lang, n=info.stage, name=info.stage_name.get(lang)))
    is_hard = info.hard if hard is None and info else bool(hard)
    if is_hard and info:
        reasons.append(_say("hard", lang, right=info.rights.get(lang)[0]))
        level = max(level, 1)

    if respond_by is None:
        reasons.append(_say("no_date", lang))
    else:
        left = (respond_by - today).days
        if left < 0:
            reasons.append(_say("overdue", lang, d=-left))
            level = 3 if is_hard else level + 1
            if info and info.cdp:
                reasons.append(_say("overdue_cdp", lang))
        else:
            reasons.append(_say("days_left", lang, d=left))
            if left <= 7:
                level = 3 if is_hard else level + 1
            elif left <= 14 and is_hard:
                level = max(level, 2)

    if amount is not None:
        th = catalog.thresholds()
        amount = Decimal(amount)
        passport, _ = th.passport_for(today.year)
        if amount > passport:
            reasons.append(_say("passport", lang, t=passport))
            if info is None or info.stage >= 4:  # certification needs a lien or levy first
                level = max(level, 2)
        if amount >= th.short_term_plan:
            reasons.append(_say("short_term", lang, t=th.short_term_plan))
            level = max(level, 2)
        elif amount > th.online_long_term_plan:
            reasons.append(_say("online_plan", lang, t=th.online_long_term_plan))
        if amount >= th.lien and (info is None or info.stage_key != "lien"):
            reasons.append(_say("lien", lang, t=th.lien))
            level = max(level, 1)

    if status in ("plan", "disputed"):
        reasons.append(_say(status, lang))
        # Saying "disputed" does not keep a hard right: only the instrument does (Form 12153, a Tax
        # Court petition, the 60-day request), so a hard notice keeps its risk.
        if not (status == "disputed" and is_hard):
            level -= 1
    return Risk(LEVELS[max(0, min(level, 3))], reasons)
