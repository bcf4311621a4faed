"""Just enough of Telegram's text rules to catch the bugs that matter in tests.

Telegram rejects malformed HTML (an unescaped ``<`` from user input is the classic) and
over-long texts; the emulator does the same so those bugs surface before production.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}

_BARE_LT = re.compile(r"<(?![a-zA-Z/])")

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class EntityParseError(ValueError):
    """Raised with Telegram's wording: "can't parse entities: ..."."""


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityParseError(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityParseError(f'Unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# The common shape of bot HTML: bare tags (no attributes) and text. Such a text is checked here
# with one regex pass; anything else (attributes, "</" oddities, comments) goes to HTMLParser.
# Both give the same answer on the texts the fast path takes (tests/emulator checks the two agree).
_SIMPLE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)>")


def _simple_html(text: str) -> str | None:
    """The visible text of ``text`` if every "<" in it opens a bare tag, else None (no verdict)."""
    parts: list[str] = []
    stack: list[str] = []
    pos = 0
    for match in _SIMPLE_TAG.finditer(text):
        data = text[pos : match.start()]
        if "<" in data:
            return None
        parts.append(data)
        pos = match.end()
        tag = match.group(2).lower()
        if match.group(1):
            if not stack or stack[-1] != tag:
                raise EntityParseError(f'Unexpected end tag "{tag}"')
            stack.pop()
        else:
            if tag not in _ALLOWED_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}"')
            stack.append(tag)
    tail = text[pos:]
    if "<" in tail:
        return None
    parts.append(tail)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    # HTMLParser unescapes each run of text between tags on its own: so do we ("&amp<b>;" stays "&;").
    return "".join(html.unescape(p) if "&" in p else p for p in parts)


def plain_text(text: str, parse_mode: str | None) -> str:
    """Return the text a user would see; raise EntityParseError like Telegram would."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        # Python's parser is lenient about a bare "<" followed by a letter-less char; Telegram is not.
        if _BARE_LT.search(text):
            raise EntityParseError("Unsupported start tag")
        simple = _simple_html(text)
        if simple is not None:
            return simple
        parser = _TelegramHTML()
        parser.feed(text)
        parser.close()
        if parser.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
        return "".join(parser.parts)
    if mode in ("markdown", "markdownv2"):
        # Not validated: only strip the markup characters for display.
        return re.sub(r"\\(.)|[*_`~|]", lambda m: m.group(1) or "", text)
    return text


def utf16_len(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
