"""Just enough of Telegram's text rules to catch the bugs that matter in tests.

Telegram rejects malformed HTML (an unescaped ``<`` from user input is the classic) and
over-long texts; the emulator does the same so those bugs surface before production.
"""

from __future__ import annotations

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


def plain_text(text: str, parse_mode: str | None) -> str:
    """Return the text a user would see; raise EntityParseError like Telegram would."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        # Python's parser is lenient about a bare "<" followed by a letter-less char; Telegram is not.
        if re.search(r"<(?![a-zA-Z/])", text):
            raise EntityParseError("Unsupported start tag")
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
