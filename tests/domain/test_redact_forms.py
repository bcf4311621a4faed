"""Issue 18: identifier forms that slipped through redaction, and properties over generated formats.

Removed: en/em dashes (copied from a PDF), 3-3-3 right after "SSN", spaces around the dashes, a
zero-width character inside, a number split across lines, spaced digits of an ITIN, nine bare digits
in identifier-prone fields (strict). Kept: amounts, phone numbers, ZIP+4, dates, notice numbers.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notices.redact import PLACEHOLDER, normalize, redact

SSN = "078051120"


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "my ssn 078\u201305\u20131120 thanks",  # en dash, as copied from a PDF
        "ssn 078\u201405\u20141120",  # em dash
        "078\u221205\u22121120",  # minus sign
        "SSN 078 051 120",  # 3-3-3 right after SSN
        "SSN: 078-051-120",
        "078 - 05 - 1120",  # spaces around the dashes
        "078-05-11\u200b20",  # zero-width space inside
        "078\u200d-05-1120",  # zero-width joiner
        "078-05-\n1120",  # split across lines
        "078-05\n-1120",
        "my social is 07805\n1120",
        "itin 9 1 2 7 0 1 2 3 4",  # spaced digits of an ITIN
        "9 1 2 7 0 1 2 3 4",
        "9 1 2 - 7 0 - 1 2 3 4",
        "\uff10\uff17\uff18-\uff10\uff15-\uff11\uff11\uff12\uff10",  # full-width digits
        "EIN 12\u20133456789",
        "12-3456789",
        "call 800-829-1040 about 078-05-1120",
        "CP14 078-05-1120",
        "123 45 6789 0",  # an SSN shape inside a longer run of spaced groups is still one
        "078-05-1120-7",
        "seguro social: 078 05 1120",
        "£ 078-05-1120",  # a currency sign before an SSN shape does not make it an amount
    ],
)
def test_issue_18_identifier_forms_are_removed(text: str) -> None:
    r = redact(text)
    assert r.redacted, text
    assert PLACEHOLDER in r.text
    assert not re.search(r"\d{4}", digits_of(r.text).replace("8008291040", "")), r.text


@pytest.mark.parametrize("text", ["078051120", "my number 078051120 ok", "0780 51120", "07805\n1120"])
def test_nine_bare_digits_are_removed_in_identifier_prone_fields(text: str) -> None:
    assert redact(text, strict=True).redacted
    assert SSN not in digits_of(redact(text, strict=True).text)


def test_nine_bare_digits_stay_in_letter_text_without_a_keyword() -> None:
    assert not redact("tracking 123456789").redacted  # a letter's own reference numbers
    assert redact("ssn 123456789").redacted


def test_redacted_text_is_normalised_and_untouched_text_is_not() -> None:
    assert redact("a\u200bb \u2013 $3,412.18").text == "a\u200bb \u2013 $3,412.18"
    assert redact("n\u200bote 078\u201305\u20131120").text == f"note {PLACEHOLDER}"


# ---- properties -------------------------------------------------------------------------------

WORDS = st.sampled_from(["call", "the", "IRS", "on", "about", "notice", "paid", "llamé", "al", "y", "owe",
                         "Mr. Smith", "re:", "(agent)", "#", "badge", "at", "dijo", "que"])
FILLER = st.lists(WORDS, max_size=4).map(" ".join)
DASH = st.sampled_from(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"])
ZW = st.sampled_from(["", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@st.composite
def identifiers(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(text, the nine digits, needs strict): an identifier in one of the forms people type."""
    form = draw(st.sampled_from(["324", "324nl", "ein", "spaced", "keyword_any", "bare"]))
    if form == "ein":
        digits = draw(st.from_regex(r"\A[1-9][0-9]{8}\Z"))
    elif form == "spaced":
        digits = "9" + draw(st.sampled_from(["50", "65", "70", "88", "90", "94", "99"])) + draw(
            st.from_regex(r"\A[0-9]{6}\Z"))
    else:
        digits = draw(st.from_regex(r"\A[0-8][0-9]{8}\Z"))
    a, b, c = digits[:3], digits[3:5], digits[5:]
    if form == "324":
        sep = draw(st.sampled_from(["{d}", " {d} ", " ", ".", "{d}\n", "\n{d}"])).format(d=draw(DASH))
        text = a + sep + b + sep + c
    elif form == "324nl":  # broken somewhere by a line break
        cut = draw(st.integers(1, 8))
        d = draw(DASH)
        whole = f"{a}{d}{b}{d}{c}"
        pos = [i for i, ch in enumerate(whole) if ch.isdigit()][cut]
        text = whole[:pos] + "\n" + whole[pos:]
    elif form == "ein":
        text = f"{digits[:2]}{draw(DASH)}{digits[2:]}"
    elif form == "spaced":
        text = " ".join(digits)
    elif form == "keyword_any":
        sizes = draw(st.sampled_from([(3, 3, 3), (9,), (4, 5), (3, 6), (2, 3, 4), (3, 2, 4)]))
        parts, i = [], 0
        for n in sizes:
            parts.append(digits[i:i + n])
            i += n
        word = draw(st.sampled_from(["SSN", "ssn:", "SSN #", "ITIN", "EIN", "TIN", "social security no.",
                                     "mi seguro social es", "Tax ID"]))
        text = word + " " + draw(st.sampled_from([" ", "-", " - "])).join(parts)
    else:
        text = digits
    zw = draw(ZW)
    if zw:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + zw + text[at:]
    return text, digits, form == "bare"


@settings(max_examples=400, deadline=None)
@given(identifiers(), FILLER, FILLER, st.booleans())
@example(("SSN 078 051 120", SSN, False), "", "", False)
def test_property_every_identifier_form_is_removed(ident: tuple[str, str, bool], before: str, after: str,
                                                    strict: bool) -> None:
    text, digits, needs_strict = ident
    r = redact(f"{before} {text} {after}", strict=strict or needs_strict)
    assert r.redacted
    assert digits not in digits_of(r.text)
    assert digits[-4:] not in digits_of(r.text), r.text  # no piece left behind


def _d(n: int) -> st.SearchStrategy[str]:
    return st.from_regex(rf"\A[0-9]{{{n}}}\Z")


KEPT = st.one_of(
    st.builds("({}) {}-{}".format, _d(3), _d(3), _d(4)),
    st.builds("{}-{}-{}".format, _d(3), _d(3), _d(4)),
    st.builds("{}.{}.{}".format, _d(3), _d(3), _d(4)),
    st.builds("+1 {} {} {}".format, _d(3), _d(3), _d(4)),
    st.builds("1 {} {} {}".format, _d(3), _d(3), _d(4)),
    st.builds("1-{}-{}-{}".format, _d(3), _d(3), _d(4)),
    st.builds("+52 55 {} {}".format, _d(4), _d(4)),
    st.builds("+52 1 55 {} {}".format, _d(4), _d(4)),  # 2+1+2+4 = 9 digits inside a longer number
    st.builds("tax years {} {} {}".format, _d(4), _d(4), _d(4)),
    st.builds("{}-{}".format, _d(3), _d(4)),  # local phone number
    st.builds("ZIP {}-{}".format, _d(5), _d(4)),
    st.builds("{}-{}".format, _d(5), _d(4)),
    st.builds("{:02d}/{:02d}/{}".format, st.integers(1, 12), st.integers(1, 31), _d(4)),
    st.builds("{:02d}-{:02d}-{}".format, st.integers(1, 12), st.integers(1, 31), _d(4)),
    st.builds("{}-{:02d}-{:02d}".format, _d(4), st.integers(1, 12), st.integers(1, 31)),
    st.builds("November {}, {}".format, st.integers(1, 30), _d(4)),
    st.builds("${:,}.{:02d}".format, st.integers(0, 999_999_999), st.integers(0, 99)),
    st.builds("${:,}".format, st.integers(0, 999_999_999)),
    st.builds("{} dollars".format, st.integers(0, 999_999_999)),
    st.builds("US$ {}".format, st.integers(0, 999_999_999)),
    st.sampled_from(["CP14", "CP 14", "CP501", "CP503", "CP504", "LT11", "LT 1058", "Letter 1058",
                     "Notice CP14 ", "Form 9465", "Publication 594", "XXX-XX-1234", "***-**-1234"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEPT, FILLER), min_size=1, max_size=4), st.sampled_from([" ", ", ", "\n", "; "]))
def test_property_amounts_phones_zips_dates_and_notice_numbers_are_kept(
    items: list[tuple[str, str]], joiner: str
) -> None:
    text = joiner.join(f"{kept} {words}x" for kept, words in items)
    for strict in (False, True):
        r = redact(text, strict=strict)
        assert r.text == text and not r.redacted, (text, r.text)
