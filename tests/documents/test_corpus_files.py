"""The notice corpus as files: every layout as a generated PDF, and a representative subset as
Telegram-like photos (OCR is slow; bench/reader_accuracy.py reads the whole corpus as photos)."""

import pytest

from documents import images, pdf
from notices.reader import read, read_all
from tests.corpus import load, score
from tests.documents import files

SAMPLES = load()
# the two layouts with verbatim IRS sample text, and two reconstructed letter layouts (LT11, Letter 3172)
PHOTO_SUBSET = ["cp14", "cp3219n", "lt11", "ltr3172"]


def test_every_layout_as_a_pdf_is_read_right():
    wrong = []
    for s in SAMPLES:
        draft = read(pdf.pdf_text(files.text_pdf(s.text)), s.today)
        wrong += [(s.name, field) for field, ok in score(draft, s.expect, s.today).items() if not ok]
    assert not wrong


@pytest.mark.skipif(not images.ocr_available(), reason="tesseract is not installed")
@pytest.mark.parametrize("name", PHOTO_SUBSET)
def test_layout_as_a_telegram_photo_is_read_right(name):
    s = next(x for x in SAMPLES if x.name == name)
    draft = read(images.image_text(files.photo(s.text)), s.today)
    assert all(score(draft, s.expect, s.today).values()), draft.to_json(s.today)


def test_a_pdf_with_two_notices_gives_two_drafts():
    first, second = (next(x for x in SAMPLES if x.name == n) for n in ("cp14", "cp501"))
    text = pdf.pdf_text(files.text_pdf(first.text + "\n\f" + second.text))
    drafts = read_all(text, first.today)
    assert [d.notice for d in drafts] == ["CP14", "CP501"]
    for draft, sample in zip(drafts, (first, second), strict=True):
        assert all(score(draft, sample.expect, sample.today).values()), draft.to_json(sample.today)
