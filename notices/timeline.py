"""A PNG of the escalation ladder: every step, "you are here", the respond-by date and the notices
expected next with their date ranges. Pure: data and words in, PNG bytes out (Pillow)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WIDTH = 900
ROW = 64
TOP = 110
MARGIN = 40

INK = (33, 37, 41)
MUTED = (134, 142, 150)
DONE = (173, 181, 189)
HERE = (214, 51, 108)
NEXT = (253, 126, 20)
LINE = (206, 212, 218)


@dataclass(frozen=True)
class Rung:
    number: int  # stage number on the ladder (1 = first bill ... 7 = enforcement)
    name: str
    codes: str  # e.g. "CP14, CP161"


@dataclass(frozen=True)
class Upcoming:
    number: int  # the rung it belongs to
    label: str  # e.g. "CP501 expected Dec 1 – Dec 22, 2026 (estimate)"


@dataclass(frozen=True)
class Timeline:
    title: str
    rungs: tuple[Rung, ...]
    current: int | None  # rung number of the notice in hand (None when not on the ladder)
    here_label: str  # "You are here: CP14, respond by Nov 24, 2026"
    upcoming: tuple[Upcoming, ...] = ()
    footer: str = ""


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)  # Pillow's bundled font (FreeType builds)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def render(t: Timeline) -> bytes:
    """The ladder top (first bill) to bottom (enforcement), as PNG bytes."""
    extra = sum(1 for _ in t.upcoming)
    height = TOP + ROW * len(t.rungs) + 22 * extra + 70
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, big, small = _font(28, bold=True), _font(20, bold=True), _font(16)
    draw.text((MARGIN, 30), _fit(draw, t.title, title_font, WIDTH - 2 * MARGIN), fill=INK, font=title_font)

    x = MARGIN + 24
    y = TOP
    text_x = x + 36
    text_w = WIDTH - text_x - MARGIN
    if t.rungs:
        draw.line((x, TOP + 12, x, TOP + ROW * (len(t.rungs) - 1) + 12 + 22 * extra), fill=LINE, width=4)
    for rung in t.rungs:
        upcoming = [u for u in t.upcoming if u.number == rung.number]
        is_here = rung.number == t.current
        passed = t.current is not None and rung.number < t.current
        color = HERE if is_here else NEXT if upcoming else DONE if passed else MUTED
        r = 13 if is_here else 9
        draw.ellipse((x - r, y + 12 - r, x + r, y + 12 + r), fill=color)
        label = f"{rung.number}. {rung.name}"
        draw.text((text_x, y), _fit(draw, label, big, text_w), fill=INK if not passed else DONE, font=big)
        draw.text((text_x, y + 26), _fit(draw, rung.codes, small, text_w), fill=MUTED, font=small)
        y += ROW
        if is_here:
            draw.text((text_x, y - 16), _fit(draw, "➜ " + t.here_label, small, text_w), fill=HERE, font=small)
            y += 6
        for u in upcoming:
            draw.text((text_x, y - 16), _fit(draw, u.label, small, text_w), fill=NEXT, font=small)
            y += 22
    if t.footer:
        draw.text((MARGIN, height - 40), _fit(draw, t.footer, small, WIDTH - 2 * MARGIN), fill=MUTED, font=small)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
