"""Every catalog entry: schema, sources, bilingual text; code normalisation; clear schema errors."""

import tomllib
from importlib import resources

import pytest

from notices import catalog

REQUIRED = (
    "CP14 CP501 CP503 CP503A CP504 CP504B LT11 LTR1058 LTR3172 CP90 CP91 CP297 CP297A CP92 CP2000 CP2501 "
    "CP3219A CP3219N CP11 CP12 CP22A CP23 CP71 CP71A CP71C CP71D CP523 CP523C CP523D CP508C CP40 CP161 LT16 "
    "CP05 LTR5071C LTR4883C LTR5747C LTR226J CP163 CP298"
).split()
ALL = catalog.all_notices()


def test_catalog_has_every_required_code():
    codes = {n.code for n in ALL}
    assert len(codes) >= 35
    assert set(REQUIRED) <= codes


@pytest.mark.parametrize("info", ALL, ids=lambda n: n.code)
def test_entry_is_complete_and_sourced(info):
    assert info.sources and all(s.startswith(("http://", "https://")) for s in info.sources)
    for text in (info.title, info.meaning, info.if_ignored, info.stage_name):
        assert all(text.by_lang[lang].strip() for lang in catalog.LANGS)
    for lst in (info.rights, info.actions):
        assert len({len(lst.by_lang[lang]) for lang in catalog.LANGS}) == 1 and lst.get("en")
    assert info.audience in ("individual", "business")
    assert 0 <= info.stage <= 7
    assert (info.window_days is not None) == (info.window_from == "notice_date")
    for nxt in info.next:
        assert catalog.get(nxt.code) is not None
        assert 0 < nxt.min_days <= nxt.max_days
    assert catalog.get(info.code) is info


@pytest.mark.parametrize(
    "code,window,hard,confirmed",
    [
        ("LT11", 30, True, True), ("LTR1058", 30, True, True), ("CP90", 30, True, True),
        ("CP91", 30, True, True), ("CP297", 30, True, True), ("LTR3172", 30, True, True),
        ("CP3219A", 90, True, True), ("CP11", 60, True, True), ("CP12", 60, True, True),
        ("CP14", 21, False, True), ("CP503", 10, False, True), ("CP504B", 30, False, True),
        ("CP501", 21, False, False), ("CP504", 10, False, False), ("CP2501", 30, False, False),
        ("LTR226J", 30, False, False), ("CP161", 10, False, False), ("LT16", 10, False, True),
    ],
)
def test_key_windows_match_the_reference(code, window, hard, confirmed):
    info = catalog.get(code)
    assert (info.window_days, info.hard, info.window_confirmed) == (window, hard, confirmed)


def test_cdp_notices_are_marked():
    # irs-notices.md section 14: CP77 (pre-levy), CP92, CP297A, CP90C, CP297C (post-levy) are CDP notices too
    assert {n.code for n in ALL if n.cdp} == {"LT11", "LTR1058", "CP90", "CP91", "CP297", "CP298", "LTR3172",
                                               "CP77", "CP92", "CP297A", "CP90C", "CP297C"}


@pytest.mark.parametrize(
    "raw,canon",
    [
        ("cp 504", "CP504"), ("CP-504", "CP504"), ("CP504B", "CP504B"), ("cp-504b", "CP504B"),
        ("Letter 1058", "LTR1058"), ("ltr1058", "LTR1058"), ("LTR 3172", "LTR3172"), ("LT 11", "LT11"),
        ("lt11", "LT11"), ("letter 226-J", "LTR226J"), ("Letter 226J", "LTR226J"), ("Letter 5071C", "LTR5071C"),
        ("5071C", "LTR5071C"), ("carta 1058", "LTR1058"), ("Notice CP14", "CP14"), ("cp3219a", "CP3219A"),
        ("CP 2000", "CP2000"), ("letter #3172", "LTR3172"), ("aviso CP71C", "CP71C"),
    ],
)
def test_canonical_code(raw, canon):
    assert catalog.canonical_code(raw) == canon


@pytest.mark.parametrize("raw", ["", "hello", "LTR", "CP", "2024", "letter"])
def test_canonical_code_rejects_non_codes(raw):
    assert catalog.canonical_code(raw) is None


def test_aliases_map_to_their_entry():
    assert catalog.get("CP2000C").code == "CP2000"
    assert catalog.get("letter 6331C").code == "LTR5071C"
    assert catalog.get("CP14H").code == "CP14"
    assert catalog.get("CP9999") is None


def test_unknown_plan_is_bilingual():
    assert len(catalog.UNKNOWN_PLAN.get("en")) == len(catalog.UNKNOWN_PLAN.get("es")) >= 3
    assert any("date" in line for line in catalog.UNKNOWN_PLAN.get("en"))


def _raw():
    return tomllib.loads(resources.files("notices").joinpath("catalog.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("sources", [], "CP14: field 'sources'"),
        ("title", {"en": "x"}, "CP14: field 'title'"),
        ("window_days", "21", "CP14: field 'window_days'"),
        ("hard", "yes", "CP14: field 'hard'"),
        ("stage", "nowhere", "CP14: field 'stage'"),
        ("next", [{"code": "CP0", "min_days": 1, "max_days": 2, "estimate": True}], "CP14: field 'next'"),
    ],
)
def test_bad_entry_raises_naming_code_and_field(field, value, message):
    data = _raw()
    data["notices"]["CP14"][field] = value
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.parse_catalog(data)


def test_missing_source_fails():
    data = _raw()
    del data["notices"]["LT11"]["sources"]
    with pytest.raises(catalog.CatalogError, match="LT11: field 'sources'"):
        catalog.parse_catalog(data)
