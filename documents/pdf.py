"""Text of a PDF: the text layer with pypdf; pages without one (scans, the IRS "view notice" print)
are rendered with pypdfium2 and read by Tesseract."""

from __future__ import annotations

import io
import logging
import math
from typing import TYPE_CHECKING

from documents import images
from documents.errors import Unreadable

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 10  # a notice is a few pages; more is not a notice and would be slow
RENDER_DPI = 300  # Tesseract's preferred resolution for print
MAX_TEXT_CHARS = 60_000  # a real notice has under 30 KB of text; twice that is not a notice
_SCANNED_PAGE_CHARS = 20  # a page with less text than this is a scan (or a blank page)

# pypdf logs warnings about malformed objects with the file's details; they are not ours to keep.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _open(data: bytes) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    pdf = PdfReader(io.BytesIO(data))
    if pdf.is_encrypted:
        try:
            if not pdf.decrypt(""):  # many "encrypted" PDFs have an empty user password
                raise Unreadable("password")
        except (FileNotDecryptedError, DependencyError, NotImplementedError):
            raise Unreadable("password") from None
    return pdf


def _render(data: bytes, index: int) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[index]
        width, height = page.get_size()  # points: the pixel budget is checked before any bitmap exists
        scale = min(RENDER_DPI / 72, math.sqrt(images.MAX_PIXELS / max(width * height, 1.0)))
        if scale < 100 / 72:  # a page so large that it would be read below 100 dpi is not a notice
            raise Unreadable("too_big")
        image = page.render(scale=scale, grayscale=True).to_pil()
        return images.ocr(image.convert("L"))
    finally:
        doc.close()


def pdf_text(data: bytes) -> str:
    """Text of the first MAX_PAGES pages; scanned pages are read by OCR."""
    from pypdf.errors import DependencyError, LimitReachedError, PyPdfError
    from pypdfium2 import PdfiumError

    parts: list[str] = []
    size = 0
    try:
        pdf = _open(data)
        for index, page in enumerate(pdf.pages[:MAX_PAGES]):
            text = page.extract_text() or ""
            if len(text.strip()) < _SCANNED_PAGE_CHARS and images.ocr_available():
                text = _render(data, index)
            size += len(text)
            if size > MAX_TEXT_CHARS:
                raise Unreadable("too_much_text")
            parts.append(text)
    except LimitReachedError:
        raise Unreadable("too_big") from None
    except DependencyError:
        raise Unreadable("password") from None
    except Unreadable:
        raise
    except (PyPdfError, PdfiumError, ValueError, KeyError, TypeError, IndexError, NotImplementedError, OSError):
        raise Unreadable("damaged") from None  # what pypdf and pdfium raise on malformed files
    return "\n".join(parts)
