"""Photos and rendered pages to text with Tesseract (English and Spanish when both are installed)."""

from __future__ import annotations

import io
import shutil
import warnings
from functools import cache

from PIL import Image, ImageOps, UnidentifiedImageError

from documents.errors import Unreadable

# A phone photo is ~12 megapixels; an A4 page at 300 dpi ~9. Past this Pillow refuses to decode
# (DecompressionBombError), so a 225-megapixel PNG never fills the memory.
MAX_PIXELS = 40_000_000
OCR_SECONDS = 30
_MIN_SIDE = 1500  # Tesseract reads small print better when enlarged to about this size


@cache
def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


@cache
def _languages() -> str:
    import pytesseract

    try:
        found = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractError:
        found = set()
    return "eng+spa" if {"eng", "spa"} <= found else "eng"


def open_image(data: bytes) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
            return ImageOps.exif_transpose(image).convert("L")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable("too_big") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):  # Pillow's plugins raise all of these
        raise Unreadable("damaged") from None


def ocr(image: Image.Image) -> str:
    """Text of one greyscale image."""
    import pytesseract

    if not ocr_available():
        raise Unreadable("no_ocr")
    if max(image.size) < _MIN_SIDE:
        scale = _MIN_SIDE / max(image.size)
        image = image.resize((int(image.width * scale), int(image.height * scale)), Image.Resampling.LANCZOS)
    try:
        return str(pytesseract.image_to_string(image, lang=_languages(), timeout=OCR_SECONDS))
    except RuntimeError:  # pytesseract's timeout
        raise Unreadable("timeout") from None
    except pytesseract.TesseractError:
        raise Unreadable("damaged") from None


def image_text(data: bytes) -> str:
    return ocr(open_image(data))
