"""The HTML check's fast path (bare tags, text) gives exactly HTMLParser's answer."""

import random
from collections.abc import Callable

import pytest

from emulator import formatting
from emulator.formatting import EntityParseError, plain_text


def reference(text: str) -> str:
    """The check through HTMLParser alone, as it was before the fast path."""
    if formatting._BARE_LT.search(text):
        raise EntityParseError("Unsupported start tag")
    parser = formatting._TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.parts)


def outcome(check: Callable[[str], str], text: str) -> tuple[str, str]:
    try:
        return "ok", check(text)
    except EntityParseError as exc:
        return "error", str(exc)


ATOMS = [
    "<b>", "</b>", "<i>", "</i>", "<B>", "</B>", "<code>", "</code>", "<x>", "</x>", "<br/>", '<a href="x">',
    "</a>", "<tg-spoiler>", "</tg-spoiler>", "&amp;", "&amp", "&lt;", "&#39;", "&#x41;", "&", ";", "a", " ",
    "é", "⏰", "<", ">", "</", "<!-- c -->", "\n", "&notit;", "&not", "<b >", "</b >", "<span class='x'>",
    "</span>", "<1>",
]  # fmt: skip


def test_fast_path_agrees_with_htmlparser_on_random_texts() -> None:
    rng = random.Random(5)
    fast = 0
    for _ in range(30_000):
        text = "".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 8)))
        assert outcome(lambda t: plain_text(t, "HTML"), text) == outcome(reference, text), text
        try:
            fast += not formatting._BARE_LT.search(text) and formatting._simple_html(text) is not None
        except EntityParseError:
            fast += 1
    assert fast > 10_000  # the fast path really answered a good share of them


@pytest.mark.parametrize(("text", "plain"), [
    ("⏰ <b>Reminder: CP14</b> — &amp; <i>now</i>", "⏰ Reminder: CP14 — & now"),
    ("&amp<b>;</b>", "&;"),  # each run of text is unescaped on its own, as HTMLParser does
    ("<B>x</B>", "x"),
])  # fmt: skip
def test_fast_path_texts(text: str, plain: str) -> None:
    assert formatting._simple_html(text) == plain == plain_text(text, "html")


@pytest.mark.parametrize(("text", "error"), [
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b>x</i>", 'Unexpected end tag "i"'),
    ("<script>x</script>", 'Unsupported start tag "script"'),
    ("a < b", "Unsupported start tag"),
])  # fmt: skip
def test_fast_path_errors(text: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        plain_text(text, "HTML")
    assert str(caught.value) == error
