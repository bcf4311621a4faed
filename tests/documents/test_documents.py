"""Files to text: text PDFs, scans, photos, and every hostile or broken file gets a reason, not a crash."""

import asyncio
import logging
import time

import pytest

import documents
from documents import images, isolation, pdf
from tests.documents import files

pytestmark = pytest.mark.timeout(120)
needs_ocr = pytest.mark.skipif(not images.ocr_available(), reason="tesseract is not installed")
NOTICE = "Notice CP14\nTax year 2025\nNotice date November 2, 2026\nAmount due: $1,234.56\nPay by November 23, 2026"


@pytest.fixture(scope="module", autouse=True)
def _pool():
    yield
    isolation.shutdown()


def read(data: bytes, kind: str, time_limit: float | None = None) -> str:
    return asyncio.run(documents.read(data, kind, time_limit))


def reason(data: bytes, kind: str, time_limit: float | None = None) -> str:
    with pytest.raises(documents.Unreadable) as caught:
        read(data, kind, time_limit)
    return caught.value.reason


def test_text_pdf_is_read_in_a_worker():
    assert "Amount due: $1,234.56" in read(files.text_pdf(NOTICE), "pdf")


def test_damaged_pdf_and_image():
    assert reason(b"not a pdf", "pdf") == "damaged"
    if images.ocr_available():
        assert reason(b"not an image", "photo") == "damaged"


def test_decompression_bomb_image_is_too_big_not_a_traceback(caplog):
    # Pillow raises DecompressionBombError (not OSError) for a 225-megapixel PNG
    with pytest.raises(documents.Unreadable) as caught:
        images.open_image(files.png_bomb())
    assert caught.value.reason == "too_big"
    assert "Traceback" not in caplog.text


def test_pdf_over_pypdf_limits_is_too_big():
    # pypdf raises LimitReachedError for a stream that inflates past its limit
    assert reason(files.flate_bomb_pdf(), "pdf") == "too_big"


def test_aes_encrypted_pdf_with_a_password_asks_for_an_unencrypted_copy():
    assert reason(files.encrypted_pdf(NOTICE, "s3cret"), "pdf") == "password"


def test_aes_encrypted_pdf_without_a_user_password_is_read():
    assert "CP14" in pdf.pdf_text(files.encrypted_pdf(NOTICE, ""))  # needs the cryptography package


def test_text_bomb_pdf_is_capped_with_a_reason():
    data = files.text_bomb_pdf(4000)
    assert len(data) < 2048
    started = time.perf_counter()
    assert reason(data, "pdf") == "too_much_text"
    assert time.perf_counter() - started < 10


def _sleepy(data: bytes) -> str:
    time.sleep(30)
    return ""


def test_a_stuck_reader_is_stopped_at_the_time_limit():
    started = time.perf_counter()
    with pytest.raises(documents.Unreadable) as caught:
        asyncio.run(isolation.run(_sleepy, b"", time_limit=1.0))
    assert caught.value.reason == "timeout"
    assert time.perf_counter() - started < 10
    assert "CP14" in read(files.text_pdf(NOTICE), "pdf")  # the pool still works after a kill


def test_unexpected_parser_error_is_damaged_and_logs_the_kind_only(caplog):
    caplog.set_level(logging.WARNING, "noticebot.documents")
    with pytest.raises(documents.Unreadable) as caught:
        asyncio.run(isolation.run(bytes.decode, b"\xff secret text"))
    assert caught.value.reason == "damaged"
    assert "secret" not in caplog.text and "Traceback" not in caplog.text


@needs_ocr
def test_photo_as_telegram_sends_it_is_read():
    text = read(files.photo(NOTICE), "photo")
    assert "CP14" in text and "1,234.56" in text


@needs_ocr
def test_scanned_pdf_without_text_layer_is_read_by_ocr():
    text = read(files.scanned_pdf([NOTICE]), "pdf")
    assert "CP14" in text and "1,234.56" in text


@needs_ocr
def test_a_scanned_page_too_large_to_render_is_too_big_before_any_bitmap():
    from fpdf import FPDF

    pdf_file = FPDF(unit="pt", format=(14_000, 14_000))  # 194 x 194 inches, no text layer
    pdf_file.add_page()
    pdf_file.rect(10, 10, 100, 100)
    assert reason(bytes(pdf_file.output()), "pdf") == "too_big"
