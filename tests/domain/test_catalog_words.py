"""Issue 14, words and sources: every en/es pair of the catalog and the checklists agrees on dates,
amounts and day counts; Spanish says "usted"; "the date on the notice" is never "la fecha del aviso"
(the notice's own date); each entry shows an official page; the new entries carry their facts."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources

import pytest

from notices import catalog

NUM = re.compile(r"\d+(?:[.,]\d+)*")
INFORMAL = re.compile(r"\b(tú|tienes|puedes|debes|tu|tus|contigo|quieres|sabes|necesitas|te)\b", re.IGNORECASE)


def numbers(text: str) -> list[str]:
    """Dates, amounts, day counts and percents, with 1,000 / 1.000 and 0,25 / 0.25 written alike."""
    return sorted(re.sub(r"[.,](?=\d{3}\b)", "", n).replace(",", ".") for n in NUM.findall(text))


def pairs() -> Iterator[tuple[str, str, str]]:
    for n in catalog.all_notices():
        for name in ("title", "meaning", "if_ignored", "phone", "stage_name"):
            text = getattr(n, name)
            if text is not None:
                yield f"{n.code}.{name}", text.get("en"), text.get("es")
        for name in ("rights", "actions"):
            texts = getattr(n, name)
            for i, (en, es) in enumerate(zip(texts.get("en"), texts.get("es"), strict=True)):
                yield f"{n.code}.{name}[{i}]", en, es
    for i, (en, es) in enumerate(zip(catalog.UNKNOWN_PLAN.get("en"), catalog.UNKNOWN_PLAN.get("es"), strict=True)):
        yield f"unknown[{i}]", en, es
    items = tomllib.loads(resources.files("notices").joinpath("data/checklists.toml").read_text("utf-8"))["items"]
    for key, item in items.items():
        yield f"checklist.{key}", item["en"], item["es"]


PAIRS = list(pairs())


@pytest.mark.parametrize(("where", "en", "es"), PAIRS, ids=[p[0] for p in PAIRS])
def test_each_en_es_pair_has_the_same_dates_amounts_and_day_counts(where, en, es):
    assert numbers(en) == numbers(es), where


def test_spanish_texts_say_usted():
    informal = [(where, m.group(0)) for where, _, es in PAIRS if (m := INFORMAL.search(es))]
    assert informal == []


def test_spanish_texts_said_before_the_notices_own_date_where_the_english_means_the_date_to_respond_by():
    # Regression: ~15 texts said "antes de la fecha del aviso" (before the date the notice was
    # issued) for "by the date on the notice"; one of them (CP92) about a hearing right.
    assert [where for where, _, es in PAIRS if "antes de la fecha del aviso" in es] == []
    assert [where for where, _, es in PAIRS if "antes de la fecha de la carta" in es] == []
    cp92 = catalog.get("CP92")
    assert cp92 is not None and "a más tardar en la fecha indicada en el aviso" in cp92.rights.get("es")[0]


def test_every_entry_shows_an_official_page_and_never_a_third_party_one():
    for n in catalog.all_notices():
        for lang in catalog.LANGS:
            shown = n.source_for(lang)
            assert catalog.is_official(shown), (n.code, shown)
            assert shown.startswith("https://"), (n.code, shown)


def test_irs_pages_are_shown_in_the_persons_language():
    info = catalog.get("LT39")  # stored as the Korean page in the provenance record
    assert info is not None
    assert info.source_for("en") == "https://www.irs.gov/individuals/understanding-your-lt39-notice"
    assert info.source_for("es") == "https://www.irs.gov/es/individuals/understanding-your-lt39-notice"


def test_a_catalog_entry_without_an_official_page_fails_loading():
    entry = {"title": {"en": "t", "es": "t"}, "meaning": {"en": "m", "es": "m"}, "stage": "reminder",
             "audience": "individual", "window_from": "none", "window_confirmed": True, "hard": False,
             "rights": {"en": ["r"], "es": ["r"]}, "if_ignored": {"en": "i", "es": "i"}, "next": [],
             "actions": {"en": ["a"], "es": ["a"]}, "sources": ["https://example.com/cp999"]}
    data = tomllib.loads(resources.files("notices").joinpath("catalog.toml").read_text("utf-8"))
    data["notices"]["CP999"] = entry
    with pytest.raises(catalog.CatalogError, match="CP999.*official"):
        catalog.parse_catalog(data)


# irs-notices.md section 14: each new or corrected entry, with the source it is pinned to.
@pytest.mark.parametrize(("code", "window", "hard", "cdp", "instrument", "source"), [
    ("CP77", 30, True, True, "form_12153", "eitc.irs.gov/individuals/understanding-your-cp77-notice"),
    ("CP90C", 30, True, True, "form_12153", "irs.gov/individuals/understanding-your-cp90c-notice"),
    ("CP297C", 30, True, True, "form_12153", "irs.gov/Individuals/Understanding-Your-CP297C-Notice"),
    ("CP92", 30, True, True, "form_12153", "irs.gov/individuals/understanding-your-cp92-notice"),
    ("CP297A", 30, True, True, "form_12153", "irs.gov/individuals/understanding-your-cp297a-notice"),
    ("LT75", None, True, False, "form_12153", "irs.gov/individuals/understanding-your-lt75-notice"),
    ("LTR1153", 60, True, False, "written_protest", "irs.gov/businesses/small-businesses-self-employed/"),
    ("CP3219A", 90, True, False, "tax_court_petition", "taxpayeradvocate.irs.gov/notices/cp-3219a/"),
    ("CP11", 60, True, False, "abatement_request", "irs.gov/individuals/understanding-your-cp11-notice"),
    ("CP22E", 21, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp22e-notice"),
    ("CP21E", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp21e-notice"),
    ("CP49", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp49-notice"),
    ("CP521", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp521-notice"),
    ("CP621", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp521-notice"),
    ("CP89", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp89-notice"),
    ("LT39", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-lt39-notice"),
    ("CP59", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp59-notice"),
    ("CP518", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp518-notice"),
    ("LT26", 10, False, False, "dispute_letter", "irs.gov/Individuals/Understanding-Your-LT26-Notice"),
    ("CP2566", None, False, False, "dispute_letter", "irs.gov/individuals/understanding-your-cp2566-notice"),
    ("CP140", None, False, False, "dispute_letter", "irs.gov/businesses/understanding-your-cp140-notice"),
])
def test_section_14_entries(code, window, hard, cdp, instrument, source):
    info = catalog.get(code)
    assert info is not None
    assert (info.window_days, info.hard, info.cdp, info.instrument) == (window, hard, cdp, instrument)
    assert source in info.source_for("en")


def test_cp297c_has_its_own_text_not_cp297as_hearing_in_the_last_2_years():
    cp297c, cp297a = catalog.get("CP297C"), catalog.get("CP297A")
    assert cp297c is not None and cp297a is not None and cp297c.code == "CP297C"
    assert "last 2 years" not in cp297c.meaning.get("en") and "contractor" in cp297c.meaning.get("en")


def test_letter_2030_is_marked_unverified_and_no_longer_expected_after_lt11():
    ltr2030, lt11 = catalog.get("LTR2030"), catalog.get("LT11")
    assert ltr2030 is not None and lt11 is not None
    assert ltr2030.unverified and "not confirmed" in ltr2030.title.get("en")
    assert "LTR2030" not in [n.code for n in lt11.next] and "LT75" in [n.code for n in lt11.next]
