"""Installment agreements (payment plans): the payment dates, the payoff date and what the plan costs.

Pure functions. The cost reuses ``notices.cost`` month by month on the declining balance: interest
compounded daily at the underpayment rate, the failure-to-pay penalty at 0.25% a month under a plan
for a return filed on time, 0.5% otherwise, 1% from 10 days after a notice of intent to levy (IRC
6651(d), (h); https://www.irs.gov/payments/failure-to-pay-penalty). Everything here is an estimate:
the IRS applies payments to tax, penalty and interest in its own order, and the 25% cap and
penalties on penalties are not modelled.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from notices import catalog, cost, links

CENT = Decimal("0.01")
MAX_MONTHS = 120  # beyond ten years the estimate says "does not pay off" (the CSED is 10 years)
DEFAULT_OFFSETS = (3, 0)  # reminder days before each payment: 3 days before and the morning of the day

# Where a person acts on a plan (official pages, kept in notices.links).
OPA_URL, DIRECT_PAY_URL, ONLINE_ACCOUNT_URL = links.OPA, links.DIRECT_PAY, links.ONLINE_ACCOUNT
CP523_URL = "https://www.irs.gov/individuals/understanding-your-cp523-notice"


@dataclass(frozen=True)
class Plan:
    monthly: Decimal
    payment_day: int  # 1-28 (the IRS lets a person choose a day from the 1st to the 28th)
    first_payment: date
    balance: Decimal | None = None  # unknown: the notice's amount is used, said so
    direct_debit: bool | None = None
    paid_through: date | None = None  # the last payment date recorded as paid


def _on_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def payment_date(plan: Plan, n: int) -> date:
    """Payment number ``n`` (0 = the first payment)."""
    first = plan.first_payment
    if n == 0:
        return first
    month = first.month - 1 + n
    return _on_day(first.year + month // 12, month % 12 + 1, plan.payment_day)


def next_payments(plan: Plan, after: date, count: int = 2) -> list[date]:
    """The next ``count`` payment dates on or after ``after`` that are not recorded as paid."""
    out: list[date] = []
    n = 0
    while len(out) < count and n < MAX_MONTHS * 2:
        day = payment_date(plan, n)
        if day >= after and (plan.paid_through is None or day > plan.paid_through):
            out.append(day)
        n += 1
    return out


def first_payment_for(payment_day: int, today: date) -> date:
    """The first payment when the person does not know it: the payment day of next month (a plan
    usually starts about a month after it is approved). An assumption, shown as one."""
    month = today.month  # 0-based next month
    return _on_day(today.year + month // 12, month % 12 + 1, payment_day)


@dataclass(frozen=True)
class Payoff:
    payoff_date: date | None  # None: the monthly payment does not cover the growth within MAX_MONTHS
    payments: int
    interest: Decimal
    penalty: Decimal
    last_payment: Decimal
    estimate: bool = True  # always: see the module's note

    @property
    def total_cost(self) -> Decimal:
        return self.interest + self.penalty


def payoff(balance: Decimal, plan: Plan, today: date, *, timely_filer: bool = True,
           levy_notice_date: date | None = None) -> Payoff:
    """When the plan pays ``balance`` off and what it adds in interest and penalty (estimates)."""
    if plan.monthly <= 0:
        raise ValueError("the monthly payment must be more than zero")
    left, interest, penalty = Decimal(balance), Decimal(0), Decimal(0)
    start, n, paid = today, 0, 0
    while left > 0 and paid < MAX_MONTHS:
        due = payment_date(plan, n)
        n += 1
        if plan.paid_through is not None and due <= plan.paid_through:
            continue
        if due > start:
            month = cost.estimate(left, start, due, plan=True, levy_notice_date=levy_notice_date,
                                  timely_filer=timely_filer)
            interest += month.interest
            penalty += month.penalty
            left += month.interest + month.penalty
            start = due
        pay = min(plan.monthly, left)
        left -= pay
        paid += 1
        if left <= 0:
            return Payoff(due, paid, interest.quantize(CENT, ROUND_HALF_UP),
                          penalty.quantize(CENT, ROUND_HALF_UP), pay.quantize(CENT, ROUND_HALF_UP))
    if left <= 0:  # nothing was owed
        return Payoff(today, 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    return Payoff(None, paid, interest.quantize(CENT, ROUND_HALF_UP), penalty.quantize(CENT, ROUND_HALF_UP),
                  Decimal("0.00"))


# --- the IRS's own notices about a plan (CP521/CP621, CP89, CP523) ----------------------------------

MONTHLY_REMINDER, ANNUAL_STATEMENT, DEFAULT_WARNING = "monthly_reminder", "annual_statement", "default_warning"
_ABOUT_A_PLAN = {"CP521": MONTHLY_REMINDER, "CP89": ANNUAL_STATEMENT,
                 "CP523": DEFAULT_WARNING, "CP523C": DEFAULT_WARNING, "CP523D": DEFAULT_WARNING}


def about_plan(code: str | None) -> str | None:
    """What an IRS notice says about an installment agreement: the monthly reminder (CP521, CP621),
    the annual statement (CP89) or the intent to terminate it (CP523, CP523C/D, CP623); None for
    any other notice. Catalog aliases count (CP621 is CP521, CP623 is CP523)."""
    info = catalog.get(code) if code else None
    return _ABOUT_A_PLAN.get(info.code) if info is not None else None


def at_risk(notices: Iterable[tuple[str, str]]) -> bool:
    """A plan is at risk while its case holds an intent-to-terminate notice (CP523 family) that is
    still open or disputed: the urgent path back into compliance is shown until it is settled.
    ``notices`` are the case's (code, status)."""
    return any(about_plan(code) == DEFAULT_WARNING and status in ("open", "disputed") for code, status in notices)
