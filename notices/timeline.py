"""A PNG of the escalation ladder: every step, the notices of the case received on their steps,
"you are here", the respond-by date and the notices expected next with their date ranges. Pure:
data and words in, PNG bytes out (Pillow).

No label is ever cut: a long one (Spanish is often a third longer than English) wraps onto more
lines and the picture grows taller (``layout`` works the places out before anything is drawn)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WIDTH = 900
TOP = 110
MARGIN = 40
GAP = 14  # below each step

INK = (33, 37, 41)
MUTED = (134, 142, 150)
DONE = (173, 181, 189)
HERE = (214, 51, 108)
NEXT = (253, 126, 20)
GOT = (52, 58, 64)
LINE = (206, 212, 218)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


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
    received: tuple[Upcoming, ...] = ()  # the case's notices already received, on their rungs


@dataclass(frozen=True)
class Placed:
    """One line of text where it is drawn."""

    x: int
    y: int
    text: str
    size: int
    bold: bool
    color: tuple[int, int, int]


@dataclass
class Layout:
    height: int = 0
    texts: list[Placed] = field(default_factory=list)
    dots: list[tuple[int, int, int, tuple[int, int, int]]] = field(default_factory=list)  # x, y, radius, color
    spine: tuple[int, int] | None = None  # the ladder's vertical line, from y to y


@cache
def _font(size: int, bold: bool = False) -> Font:
    names = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)  # Pillow's bundled font (FreeType builds)


_MEASURE = ImageDraw.Draw(Image.new("RGB", (1, 1)))


def wrap(text: str, font: Font, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words (a single word wider than
    the line is broken inside it); every character is kept."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _MEASURE.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while _MEASURE.textlength(word, font=font) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _MEASURE.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def layout(t: Timeline) -> Layout:
    """Where every line goes; the height follows from the wrapped text."""
    out = Layout()

    def put(x: int, y: int, text: str, size: int, color: tuple[int, int, int], bold: bool = False) -> int:
        """Wrapped text from (x, y) to the right margin; returns the y below it."""
        step = size + 6
        for line in wrap(text, _font(size, bold), WIDTH - x - MARGIN):
            out.texts.append(Placed(x, y, line, size, bold, color))
            y += step
        return y

    y = max(TOP, put(MARGIN, 30, t.title, 28, INK, bold=True) + 16)
    x = MARGIN + 24
    text_x = x + 36
    first = last = y + 12
    for rung in t.rungs:
        upcoming = [u for u in t.upcoming if u.number == rung.number]
        got = [r for r in t.received if r.number == rung.number]
        is_here = rung.number == t.current
        passed = t.current is not None and rung.number < t.current
        color = HERE if is_here else NEXT if upcoming else GOT if got else DONE if passed else MUTED
        last = y + 12
        out.dots.append((x, y + 12, 13 if is_here else 9, color))
        y = put(text_x, y, f"{rung.number}. {rung.name}", 20, INK if not passed else DONE, bold=True)
        y = put(text_x, y, rung.codes, 16, MUTED)
        for r in got:
            y = put(text_x, y, "✓ " + r.label, 16, GOT)
        if is_here:
            y = put(text_x, y, "➜ " + t.here_label, 16, HERE)
        for u in upcoming:
            y = put(text_x, y, u.label, 16, NEXT)
        y += GAP
    if t.rungs:
        out.spine = (first, last)
    if t.footer:
        y = put(MARGIN, y + 10, t.footer, 16, MUTED)
    out.height = y + 24
    return out


def render(t: Timeline) -> bytes:
    """The ladder top (first bill) to bottom (enforcement), as PNG bytes."""
    placed = layout(t)
    image = Image.new("RGB", (WIDTH, placed.height), "white")
    draw = ImageDraw.Draw(image)
    if placed.spine is not None:
        x = MARGIN + 24
        draw.line((x, placed.spine[0], x, placed.spine[1]), fill=LINE, width=4)
    for cx, cy, r, color in placed.dots:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    for p in placed.texts:
        draw.text((p.x, p.y), p.text, fill=p.color, font=_font(p.size, p.bold))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
