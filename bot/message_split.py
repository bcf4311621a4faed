"""Long replies cut into Telegram-sized messages (4,096 characters) at paragraph, line, then word
boundaries, so no HTML tag is split."""

from __future__ import annotations

LIMIT = 4096


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, line, then word boundaries.

    Our markup never spans lines, so a cut between lines keeps tags balanced; an over-long line is
    cut at spaces (never inside an HTML entity).
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for chunk in _cut_line(line, limit):
            candidate = f"{current}\n{chunk}" if current else chunk
            if len(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    pieces.append(current)
                current = chunk
    if current.strip():
        pieces.append(current)
    return pieces


def _cut_line(line: str, limit: int) -> list[str]:
    out = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
            amp = line.rfind("&", 0, cut)
            if amp != -1 and ";" not in line[amp:cut]:
                cut = amp or limit  # do not split "&amp;"
        out.append(line[:cut])
        line = line[cut:].lstrip(" ")
    out.append(line)
    return out
