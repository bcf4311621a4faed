"""Files people send (PDFs, photos, scans) to text, bounded and isolated from the bot's event loop.

``await documents.read(data, kind)`` returns the text or raises ``Unreadable(reason)``; the bot turns
the reason into a friendly answer. Files are read in memory and dropped; nothing here is stored.
"""

from __future__ import annotations

from documents import isolation
from documents.errors import REASONS, Unreadable
from documents.images import image_text, ocr_available
from documents.pdf import MAX_TEXT_CHARS, pdf_text

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "REASONS", "Unreadable", "ocr_available", "read", "start"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # Telegram's getFile limit for bots
KINDS = ("pdf", "photo")
start = isolation.start  # the bot calls this at start-up so the first file does not wait for the workers


async def read(data: bytes, kind: str, time_limit: float | None = None) -> str:
    """Text of a PDF (``kind="pdf"``) or a photo (``"photo"``), read in a worker process."""
    if kind == "photo" and not ocr_available():
        raise Unreadable("no_ocr")
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable("too_big")
    return await isolation.run(pdf_text if kind == "pdf" else image_text, data, time_limit)
