"""Cost of waiting, in exact decimal arithmetic.

Interest: compounded daily (IRC 6622) at the quarterly underpayment rate from ``data/rates.toml``.
Failure-to-pay penalty: per month or part of a month (IRC 6651), 0.5%, 0.25% under a payment plan,
1% for months beginning 10+ days after a notice of intent to levy, at most 25% of the amount.

Simplifications (stated to the user as an estimate): the whole amount is treated as unpaid tax
(the penalty base), interest is charged on the amount only (not on new penalties), and the 25% cap
counts only the months in this estimate. Money is rounded to cents (ROUND_HALF_UP) only at output.
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from importlib import resources

from notices import catalog, deadlines

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RateTable:
    quarters: tuple[tuple[date, Decimal, str], ...]  # (quarter start, annual percent, source)
    ftp: dict

    def rate_on(self, d: date) -> tuple[Decimal, bool]:
        """(annual percent, estimate) for day ``d``; outside the table the nearest rate, flagged."""
        first, last = self.quarters[0], self.quarters[-1]
        if d < first[0]:
            return first[1], True
        if d >= _next_quarter(last[0]):
            return last[1], True
        rate = first[1]
        for start, percent, _ in self.quarters:
            if start <= d:
                rate = percent
        return rate, False


def _next_quarter(d: date) -> date:
    month = d.month + 3
    return date(d.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@cache
def rates() -> RateTable:
    data = tomllib.loads(resources.files("notices").joinpath("data/rates.toml").read_text(encoding="utf-8"))
    quarters = []
    for i, q in enumerate(data["quarter"]):
        if not isinstance(q.get("start"), date) or q["start"].day != 1 or q["start"].month not in (1, 4, 7, 10):
            raise ValueError(f"rates.toml quarter[{i}]: 'start' must be the first day of a quarter")
        if not q.get("source", "").startswith("http"):
            raise ValueError(f"rates.toml quarter[{i}]: 'source' URL is missing")
        quarters.append((q["start"], Decimal(q["percent"]), q["source"]))
    quarters.sort()
    ftp = {k: (Decimal(v) if k.endswith("percent") else v) for k, v in data["failure_to_pay"].items()}
    return RateTable(tuple(quarters), ftp)


@dataclass(frozen=True)
class CostEstimate:
    amount: Decimal
    start: date
    end: date
    interest: Decimal
    penalty: Decimal
    total: Decimal  # interest + penalty added between start and end
    months: int  # penalty months (each started month counts)
    days: int
    estimate: bool  # some day used a rate outside the known table
    plan: bool = False
    levy_notice_date: date | None = None

    def to_json(self) -> dict:
        return {
            "amount": str(self.amount.quantize(CENT, ROUND_HALF_UP)),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "months": self.months,
            "interest": str(self.interest),
            "penalty": str(self.penalty),
            "total": str(self.total),
            "balance_after": str((self.amount + self.total).quantize(CENT, ROUND_HALF_UP)),
            "plan": self.plan,
            "levy_notice_date": self.levy_notice_date.isoformat() if self.levy_notice_date else None,
            "estimate": self.estimate,
        }


def _add_months(d: date, n: int) -> date:
    month = d.month - 1 + n
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def penalty_months(start: date, end: date) -> int:
    """Months or parts of a month from ``start`` to ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, n) > end:
        n -= 1
    return n + (1 if _add_months(start, n) < end else 0)


def _interest(amount: Decimal, start: date, end: date, table: RateTable) -> tuple[Decimal, bool]:
    balance, estimate = amount, False
    day = start
    while day < end:
        percent, est = table.rate_on(day)
        estimate |= est
        year_days = 366 if calendar.isleap(day.year) else 365
        balance *= 1 + percent / HUNDRED / year_days
        day += timedelta(days=1)
    return balance - amount, estimate


def _penalty(amount: Decimal, start: date, months: int, plan: bool, levy_notice_date: date | None,
             table: RateTable) -> Decimal:
    ftp = table.ftp
    levy_from = levy_notice_date + timedelta(days=ftp["after_levy_delay_days"]) if levy_notice_date else None
    percent = Decimal(0)
    for i in range(months):
        month_start = _add_months(start, i)
        if plan:
            percent += ftp["plan_monthly_percent"]
        elif levy_from is not None and month_start > levy_from:
            percent += ftp["after_levy_monthly_percent"]
        else:
            percent += ftp["monthly_percent"]
    return amount * min(percent, ftp["cap_percent"]) / HUNDRED


def estimate(amount: Decimal, start: date, end: date, plan: bool = False,
             levy_notice_date: date | None = None) -> CostEstimate:
    """Interest and failure-to-pay penalty added to ``amount`` if it is paid on ``end`` instead of ``start``."""
    amount = Decimal(amount)
    if amount < 0:
        raise ValueError("amount must not be negative")
    if end < start:
        raise ValueError("the end date is before the start date")
    table = rates()
    with localcontext() as ctx:
        ctx.prec = 40  # ample headroom so a year of daily compounding loses nothing at cents
        interest, est = _interest(amount, start, end, table)
        months = penalty_months(start, end)
        penalty = _penalty(amount, start, months, plan, levy_notice_date, table)
        interest_c = interest.quantize(CENT, ROUND_HALF_UP)
        penalty_c = penalty.quantize(CENT, ROUND_HALF_UP)
        total = (interest + penalty).quantize(CENT, ROUND_HALF_UP)
    return CostEstimate(amount, start, end, interest_c, penalty_c, total, months, (end - start).days, est,
                        plan, levy_notice_date)


@dataclass(frozen=True)
class Scenario:
    key: str  # "now" | "next_notice" | "in_90_days"
    date: date
    extra_cost: Decimal
    estimate: bool
    next_code: str | None = None

    def to_json(self) -> dict:
        return {"key": self.key, "date": self.date.isoformat(), "extra_cost": str(self.extra_cost),
                "estimate": self.estimate, "next_code": self.next_code}


def compare_waiting(code: str, amount: Decimal, notice_date: date | None, today: date,
                    plan: bool = False) -> list[Scenario]:
    """Extra cost of paying at the next expected notice or in 90 days instead of today."""
    info = catalog.get(code)
    levy_date = notice_date if info is not None and info.intent_to_levy else None
    scenarios = [Scenario("now", today, Decimal("0.00"), False)]
    nxt = deadlines.compute(code, notice_date).next if notice_date else []
    upcoming = [n for n in nxt if n.earliest > today]
    if upcoming:
        n = upcoming[0]
        cost = estimate(amount, today, n.earliest, plan, levy_date)
        scenarios.append(Scenario("next_notice", n.earliest, cost.total, cost.estimate or n.estimate, n.code))
    later = today + timedelta(days=90)
    cost = estimate(amount, today, later, plan, levy_date)
    scenarios.append(Scenario("in_90_days", later, cost.total, cost.estimate))
    return scenarios
