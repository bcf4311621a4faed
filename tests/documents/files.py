"""Files for the tests: PDFs with fpdf2/pypdf, photos with Pillow, hostile files by hand."""

from __future__ import annotations

import io
import struct
import textwrap
import zlib
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

# DejaVu comes with Tesseract's Debian packages; Pillow's own font is the fallback.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def text_pdf(text: str) -> bytes:
    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.set_font("helvetica", size=10)  # the core fonts cover Latin-1: all Spanish letters
    for line in text.splitlines():
        if line.startswith("\f"):
            pdf.add_page()
            line = line[1:]
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def page_image(text: str, long_side: int = 1280) -> Image.Image:
    """A letter-size page with ``text`` on it, ``long_side`` pixels tall (a Telegram photo is 1280): about
    10-point print, in two columns when one does not hold it (as on the IRS notices' first page)."""
    height = long_side
    width = int(height * 8.5 / 11)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = max(12, height // 75)
    font = _font(size)
    margin, step = size * 2, int(size * 1.25)
    per_column = (height - 2 * margin) // step
    lines = text.splitlines()
    columns = 1 if len(lines) <= per_column else 2
    column_width = (width - 2 * margin) // columns
    chars = max(20, int(column_width / (size * 0.56)))
    wrapped = [piece for line in lines for piece in (textwrap.wrap(line, chars) or [""])]
    for i, line in enumerate(wrapped[: per_column * columns]):
        column, row = divmod(i, per_column)
        draw.text((margin + column * column_width, margin + row * step), line, fill=0, font=font)
    return image


def photo(text: str, long_side: int = 1280) -> bytes:
    """A Telegram-like photo: JPEG, long side 1280 px."""
    buffer = io.BytesIO()
    page_image(text, long_side).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def scanned_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages are only images (no text layer), like a scanner's."""
    pdf = FPDF(format="letter", unit="pt")
    for text in pages:
        pdf.add_page()
        buffer = io.BytesIO()
        page_image(text, 2200).save(buffer, "PNG")
        buffer.seek(0)
        pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def encrypted_pdf(text: str, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(text))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width: int = 15_000, height: int = 15_000) -> bytes:
    """A tiny PNG that declares 225 megapixels (only the header is real)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")


def _raw_pdf(content: bytes, filters: str = "") -> bytes:
    """A one-page PDF around a content stream, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        f"<< /Length {len(content)} {filters}>>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def flate_bomb_pdf() -> bytes:
    """~80 KB that inflates past pypdf's 75 MB stream limit."""
    return _raw_pdf(zlib.compress(b" " * 80_000_000, 9), "/Filter /FlateDecode ")


def text_bomb_pdf(repeat: int = 200_000) -> bytes:
    """About 1 KB whose one content stream draws a line of text ``repeat`` times (a loop in a PDF)."""
    ops = b"BT /F1 12 Tf 72 700 Td (CP14 amount due $1) Tj ET\n" * repeat
    return _raw_pdf(zlib.compress(ops, 9), "/Filter /FlateDecode ")
