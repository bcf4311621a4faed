"""Cost of waiting, in exact decimal arithmetic.

Interest: compounded daily (IRC 6622) at the quarterly underpayment rate from ``data/rates.toml``.
Failure-to-pay penalty: per month or part of a month (IRC 6651), 0.5%; 1% for months beginning 10+
days after a notice of intent to levy, which prevails over the 0.25% payment-plan rate (IRC 6651(d));
0.25% under a payment plan only for a return filed on time (IRC 6651(h)); none before assessment
for tax not shown on a return (CP2000, notices of deficiency: IRC 6651(a)(3)); at most 25%.

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

from notices import catalog, facts
from notices.deadlines import ExpectedNotice

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Quarter:
    start: date
    percent: Decimal  # annual underpayment rate for individuals
    source: str  # shown
    confirmed: bool = True  # False: from secondary sources, not yet checked on irs.gov (an estimate)


@dataclass(frozen=True)
class RateTable:
    quarters: tuple[Quarter, ...]
    ftp: dict
    ftf: dict

    @property
    def ends(self) -> date:
        """The first day the table no longer covers."""
        return _next_quarter(self.quarters[-1].start)

    def rate_on(self, d: date) -> tuple[Decimal, bool]:
        """(annual percent, estimate) for day ``d``; outside the table the nearest rate, flagged."""
        first, last = self.quarters[0], self.quarters[-1]
        if d < first.start:
            return first.percent, True
        if d >= self.ends:
            return last.percent, True
        found = first
        for q in self.quarters:
            if q.start <= d:
                found = q
        return found.percent, not found.confirmed


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
        quarters.append(Quarter(q["start"], Decimal(q["percent"]), q["source"], bool(q.get("confirmed", True))))
    quarters.sort(key=lambda q: q.start)
    for a, b in zip(quarters, quarters[1:], strict=False):
        if b.start != _next_quarter(a.start):
            raise ValueError(f"rates.toml: no row for the quarter starting {_next_quarter(a.start)}")
    ftp = {k: (Decimal(v) if k.endswith("percent") else v) for k, v in data["failure_to_pay"].items()}
    ftf = {k: (Decimal(v) if k.endswith("percent") else v) for k, v in data["failure_to_file"].items()}
    return RateTable(tuple(quarters), ftp, ftf)


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
    estimate: bool  # some day used a rate outside the known table (or not yet confirmed)
    plan: bool = False
    levy_notice_date: date | None = None
    timely_filer: bool = True
    assessed: bool = True  # False: a proposal; no failure-to-pay penalty runs yet

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
            "timely_filer": self.timely_filer,
            "assessed": self.assessed,
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
             timely_filer: bool, table: RateTable) -> Decimal:
    ftp = table.ftp
    levy_from = levy_notice_date + timedelta(days=ftp["after_levy_delay_days"]) if levy_notice_date else None
    percent = Decimal(0)
    for i in range(months):
        month_start = _add_months(start, i)
        if levy_from is not None and month_start > levy_from:  # 1% prevails, plan or not (IRC 6651(d))
            percent += ftp["after_levy_monthly_percent"]
        elif plan and timely_filer:  # 0.25% only for a return filed on time (IRC 6651(h))
            percent += ftp["plan_monthly_percent"]
        else:
            percent += ftp["monthly_percent"]
    return amount * min(percent, ftp["cap_percent"]) / HUNDRED


def failure_to_file_terms() -> tuple[Decimal, Decimal, str]:
    """(percent a month, cap percent, source) of the failure-to-file penalty, for unfiled-return notices."""
    ftf = rates().ftf
    return ftf["monthly_percent"], ftf["cap_percent"], ftf["sources"][0]


def estimate(amount: Decimal, start: date, end: date, plan: bool = False,
             levy_notice_date: date | None = None, timely_filer: bool = True,
             assessed: bool = True) -> CostEstimate:
    """Interest and failure-to-pay penalty added to ``amount`` if it is paid on ``end`` instead of ``start``.

    ``assessed=False`` (a proposal such as CP2000 or a notice of deficiency): interest only."""
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
        penalty = (_penalty(amount, start, months, plan, levy_notice_date, timely_filer, table)
                   if assessed else Decimal(0))
        interest_c = interest.quantize(CENT, ROUND_HALF_UP)
        penalty_c = penalty.quantize(CENT, ROUND_HALF_UP)
        total = (interest + penalty).quantize(CENT, ROUND_HALF_UP)
    return CostEstimate(amount, start, end, interest_c, penalty_c, total, months, (end - start).days, est,
                        plan, levy_notice_date, timely_filer, assessed)


@dataclass(frozen=True)
class Scenario:
    key: str  # "now" | "next_notice" | "in_90_days"
    date: date
    extra_cost: Decimal
    estimate: bool
    next_code: str | None = None
    # A payment plan where nobody said whether the return was filed on time: the cost at 0.5% too
    extra_cost_if_filed_late: Decimal | None = None

    def to_json(self) -> dict:
        return {"key": self.key, "date": self.date.isoformat(), "extra_cost": str(self.extra_cost),
                "estimate": self.estimate, "next_code": self.next_code,
                "extra_cost_if_filed_late": None if self.extra_cost_if_filed_late is None
                else str(self.extra_cost_if_filed_late)}


def compare_waiting(code: str, amount: Decimal, notice_date: date | None, today: date,
                    plan: bool = False, printed_due: date | None = None,
                    timely_filer: bool | None = None) -> list[Scenario]:
    """Extra cost of paying at the next expected notice or in 90 days instead of today.

    The next notice comes from ``notices.facts`` (never before this notice's own date). With a plan
    and ``timely_filer`` unknown, both figures are given (0.25% only applies to timely filers)."""
    info = catalog.get(code)
    levy_date = notice_date if info is not None and info.intent_to_levy else None
    assessed = info.assessed if info is not None else True
    both = plan and timely_filer is None and assessed

    def scenario(key: str, day: date, extra_estimate: bool = False, next_code: str | None = None) -> Scenario:
        cost = estimate(amount, today, day, plan, levy_date, timely_filer is not False, assessed)
        late = estimate(amount, today, day, plan, levy_date, False, assessed).total if both else None
        return Scenario(key, day, cost.total, cost.estimate or extra_estimate, next_code,
                        late if late != cost.total else None)

    scenarios = [Scenario("now", today, Decimal("0.00"), False)]
    expected: tuple[ExpectedNotice, ...] = ()
    if notice_date is not None:
        expected = facts.derive(facts.NoticeInput(code, notice_date, printed_due, amount=amount, status=None),
                                today).expected
    upcoming = [n for n in expected if n.earliest > today]
    if upcoming:
        n = upcoming[0]
        scenarios.append(scenario("next_notice", n.earliest, n.estimate, n.code))
    scenarios.append(scenario("in_90_days", today + timedelta(days=90)))
    return scenarios
