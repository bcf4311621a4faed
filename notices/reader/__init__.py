"""Read what people write or send (English or Spanish) into draft notices.

Pipeline: normalise (NFKC, look-alike letters in codes) -> redact identifiers -> find codes and cut
the text into one section per notice -> per section: dates by role (with the label before each),
amounts by label, tax years from what remains -> scam signals and "not a notice" for the whole text.
Every extractor is a precompiled regular expression pass, linear in the text.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from notices import letters
from notices.reader import amounts, codes, dates, layout, scam, years
from notices.reader.draft import MISSING_ORDER, Draft
from notices.reader.text import lower, mask, normalize
from notices.redact import redact

__all__ = ["MISSING_ORDER", "Draft", "best", "read", "read_all"]


def read_all(text: str, today: date, lang: str = "en") -> list[Draft]:
    """Every notice in a message or document, in order (at least one draft, possibly empty)."""
    red = redact(normalize(text or ""))
    clean = red.text
    low = lower(clean)
    hits = codes.find(low)
    printed = layout.printed(low)
    signals = scam.signals(low, real_notice=printed and bool(hits))
    not_notice = layout.not_a_notice(low, bool(hits))
    drafts = []
    mentions = tuple(dict.fromkeys(h.code for h in hits))
    hit_starts = [h.start for h in hits]  # in order
    for start, end in layout.sections(low, hits):
        part = low[start:end]  # each section is read on its own slice: linear in the text
        part_hits = hits[bisect_left(hit_starts, start):bisect_left(hit_starts, end)]
        code_spans = [(h.start - start, h.end - start) for h in part_hits]
        furniture = layout.furniture(part) if printed else []
        found = dates.find(mask(part, code_spans + furniture), today, lang, strict=printed)
        masked = mask(part, code_spans + furniture + found.spans)
        amount, amount_spans = amounts.find(masked)
        tax_years = years.find(mask(masked, amount_spans), found.period_years, today, lone_years=not printed)
        primary = codes.primary(part_hits)
        code = primary[0] if primary else None
        drafts.append(Draft(
            notice=code,
            tax_years=tax_years,
            amount=amount,
            notice_date=found.found.get("notice"),
            due_date=found.found.get("due"),
            received_date=found.found.get("received"),
            redacted=red.redacted,
            redacted_kinds=red.kinds,
            scam_signals=signals,
            text=clean[start:end] if len(hits) > 1 else clean,
            notice_mentions=mentions,
            abroad=scam.abroad(part),
            # an IRS letter that is not about money owed (CP01A, CP09, CP12 with no amount due)
            not_notice=not_notice or ("irs_letter" if letters.not_about_money(code, amount) else None),
            uncertain=_uncertain(found.ambiguous),
            printed=printed,
        ))
    return drafts


def _uncertain(roles: set[str]) -> tuple[str, ...]:
    names = {"notice": "notice_date", "due": "due_date", "received": "received_date"}
    return tuple(sorted(names[r] for r in roles if r in names))


def best(drafts: list[Draft]) -> Draft:
    """The most complete draft (the first on a tie)."""
    return min(drafts, key=lambda d: len(d.missing))


def read(text: str, today: date, lang: str = "en") -> Draft:
    """The best draft in ``text`` (for callers that handle one notice per message)."""
    return best(read_all(text, today, lang))
