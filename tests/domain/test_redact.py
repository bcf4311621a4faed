"""Identifier removal: SSN/ITIN/EIN go, phone numbers, ZIP+4, dates, amounts and masked forms stay."""

import pytest

from notices.redact import PLACEHOLDER, redact


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("my ssn is 078-05-1120", ("ssn",)),
        ("SSN 078051120", ("ssn",)),
        ("078 05 1120 is my social", ("ssn",)),
        ("ssn: 078.05.1120", ("ssn",)),
        ("EIN 98-7654321", ("ein",)),
        ("ein: 987654321", ("ein",)),
        ("itin 912-70-1234", ("itin",)),
        ("912-70-1234", ("itin",)),
        ("mi seguro social es 123 45 6789", ("ssn",)),
        ("TIN 123456789", ("tin",)),
        ("my social security number 123456789 and EIN 12-3456789", ("ein", "ssn")),
    ],
)
def test_identifiers_are_removed(text, kinds):
    r = redact(text)
    assert r.kinds == kinds and r.redacted
    assert PLACEHOLDER in r.text
    assert not any(ch.isdigit() for ch in r.text.split(PLACEHOLDER)[-1][:1])


@pytest.mark.parametrize(
    "text",
    [
        "call 800-829-1040", "(800) 829-1040", "1 800 829 1040", "+1 202 555 0143", "caller id 202-555-0143",
        "ZIP 20500-0001", "Social Security number XXX-XX-0932", "SSN ***-**-1234", "dated 11-13-2026",
        "2026-11-13", "amount $3,412.18", "$123,456,789.00", "tracking 123456789", "12/31/2026",
        "TIGTA 800-366-4484", "tax years 2019 2020 2021",
    ],
)
def test_non_identifiers_are_kept(text):
    r = redact(text)
    assert r.text == text and r.kinds == () and not r.redacted


def test_regression_currency_sign_before_nine_digits_named_as_social_kept_the_ssn() -> None:
    # Found by the reader's property test: "£ 001010001 is my social" was read as an amount.
    out = redact("£ 001010001 is my social")
    assert "001010001" not in out.text and out.kinds
