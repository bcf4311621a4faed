"""Real IRS notice layouts (tests/fixtures/notices): every field read from the text as an expert would."""

import gc
import time

import pytest

from notices.reader import read, read_all
from tests.corpus import load, score

SAMPLES = load()


def test_corpus_has_at_least_25_codes():
    assert len({s.expect["notice"] for s in SAMPLES}) >= 25


def test_corpus_has_the_collection_letters_layouts():
    # LT11, LT16, Letter 1058, Letter 3172: read as text here, as PDFs in tests/documents, as photos
    # there and in bench/reader_accuracy.py (which reads every sample of this corpus)
    assert {"LT11", "LT16", "LTR1058", "LTR3172"} <= {s.expect["notice"] for s in SAMPLES}


def test_corpus_has_irs_letters_that_are_not_about_money_owed():
    letters = {s.expect["notice"] for s in SAMPLES if s.expect.get("not_notice") == "irs_letter"}
    assert {"CP01A", "CP09", "CP12", "CP27"} <= letters


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_text_of_a_real_layout_is_read_right(sample):
    draft = read(sample.text, sample.today)
    wrong = {f: (draft.to_json(sample.today)[f], sample.expect[f]) for f, ok in
             score(draft, sample.expect, sample.today).items() if not ok}
    assert not wrong
    assert draft.scam_signals == ()  # a real notice is never called a scam
    assert draft.not_notice == sample.expect.get("not_notice")  # scored too; said here for the reader
    assert len(read_all(sample.text, sample.today)) == 1  # reprinted codes do not make a second notice


def _cpu(text: str) -> float:
    """Best of five CPU times, with the garbage collector paused (as timeit does): in a full test
    session a collection of everything the other tests loaded can land inside one measurement."""
    best = 1e9
    gc.disable()
    try:
        for _ in range(5):
            start = time.process_time()
            read_all(text, SAMPLES[0].today)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def test_reading_is_linear_not_quadratic_in_the_text_length():
    # issue 13: the amount search compared every amount with every label; 2 KB of PDF text froze the bot
    corpus = "\n".join(s.text for s in SAMPLES)
    small, big = (corpus * 40)[:30_000], (corpus * 40)[:120_000]
    assert _cpu(big) < 4 * _cpu(small) * 2.5  # linear: x4, slack for a loaded machine (quadratic would be x16)
    chat = ("I got a CP14 for 2024, owe $1,234.56 dated Nov 2 2026 pay by 11/23/2026. " * 2000)
    assert _cpu(chat[:120_000]) < 4 * _cpu(chat[:30_000]) * 2.5
