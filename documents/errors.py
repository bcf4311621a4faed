"""Why a file could not be read: one reason per friendly answer the bot gives."""

from __future__ import annotations

REASONS = (
    "damaged",  # not a PDF or image we can open
    "password",  # the PDF needs a password to open
    "too_big",  # over the pixel or PDF-structure limits (a decompression bomb or a huge file)
    "too_much_text",  # more text than any real notice has
    "timeout",  # reading took longer than the time limit
    "no_ocr",  # the server has no Tesseract, so photos and scans cannot be read
)


class Unreadable(Exception):
    """The file could not be read; ``reason`` is one of REASONS (never the file's content)."""

    def __init__(self, reason: str) -> None:
        assert reason in REASONS, reason
        super().__init__(reason)
        self.reason = reason
