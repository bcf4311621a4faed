"""The one way an amount of money is written: "$1,234.50" (minus before the sign)."""

from __future__ import annotations

from decimal import Decimal


def money(value: Decimal | int | None, *, cents: bool = False) -> str:
    """``value`` in dollars (or in cents with ``cents=True``) as "$1,234.50"; "—" for None."""
    if value is None:
        return "—"
    amount = Decimal(value) / 100 if cents else Decimal(value)
    amount = amount.quantize(Decimal("0.01"))
    return f"{'-' if amount < 0 else ''}${abs(amount):,.2f}"
