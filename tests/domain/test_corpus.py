"""Real IRS notice layouts (tests/fixtures/notices): every field read from the text as an expert would."""

import pytest

from notices.reader import read, read_all
from tests.corpus import load, score

SAMPLES = load()


def test_corpus_has_at_least_25_codes():
    assert len({s.expect["notice"] for s in SAMPLES}) >= 25


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_text_of_a_real_layout_is_read_right(sample):
    draft = read(sample.text, sample.today)
    wrong = {f: (draft.to_json(sample.today)[f], sample.expect[f]) for f, ok in
             score(draft, sample.expect, sample.today).items() if not ok}
    assert not wrong
    assert draft.scam_signals == ()  # a real notice is never called a scam
    assert draft.not_notice is None
    assert len(read_all(sample.text, sample.today)) == 1  # reprinted codes do not make a second notice
