"""Bad input, hypothesis-driven.

The whole dispatcher (tests/dispatcher/inproc.py: the middlewares, throttling, the errors router
and every feature router, as `serve` composes them) is fed random updates with ``dp.feed_update``:
random and huge texts, control characters, emoji, commands with junk, random documents (PDF
headers on garbage, wrong MIME types), random "photos", and malformed or forged callback data.
For every input: nothing raises out of the dispatcher, nothing reaches the errors router (counted,
must stay 0), a message gets at least one reply and a button press gets an answer.

The reader is fuzzed beyond tests/notices: huge and adversarial inputs in bounded time (no
catastrophic backtracking), determinism, and identifiers hidden in noise never coming back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices import reader
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import record, scaled

EXAMPLES = scaled(120, 1500)
COUNTS: dict[str, int] = {"messages": 0, "documents": 0, "photos": 0, "presses": 0, "inputs": 0}

wild = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300)
controls = st.text(st.sampled_from([chr(c) for c in range(32)] + ["\u200b", "\u202e", "\ufeff", "\x7f"]),
                   min_size=1, max_size=40)
emoji = st.text(st.sampled_from(list("😀🔥💸🧾📅⚠️✅👍🏽🇺🇸") + ["\u200d"]), min_size=1, max_size=50)
notice_like = st.builds(
    lambda code, amount, junk: f"{code} tax year 2024 owe ${amount:,} dated 3/1/2026 {junk}",
    st.sampled_from(["CP14", "CP501", "CP503", "CP504", "LT11", "CP90", "CP2000", "ZZ99"]),
    st.integers(0, 10**9), st.text(max_size=50),
)
huge = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "9", "$", "CP14 ", "1/", "\n", "é", "😀"]),
                 st.integers(3000, 20000))
command = st.builds(lambda c, rest: f"/{c}{rest}", st.sampled_from(
    ["start", "help", "notices", "settings", "tz", "time", "language", "export", "calendar", "feed", "checklist",
     "letter", "timeline", "scam", "cancel", "privacy", "forget", "nosuch"]), st.text(max_size=40))
text_input = st.one_of(wild, controls, emoji, notice_like, huge, command)
document = st.tuples(
    st.sampled_from(["notice.pdf", "x.PDF", "scan.jpg", "a.txt", "noext", "../../etc/passwd", "😀.pdf"]),
    st.sampled_from([None, "application/pdf", "image/png", "text/plain", "application/octet-stream"]),
    st.one_of(st.binary(max_size=2000), st.builds(lambda b: b"%PDF-1.4\n" + b, st.binary(max_size=2000))),
)
photo = st.binary(min_size=1, max_size=3000)
callback = st.one_of(
    st.text(max_size=64),
    st.builds(lambda p, a, n: f"{p}:{a}:{n}", st.sampled_from(["n", "rm", "ck", "ed", "lg", "dr", "st", "lang", "set",
                                                                "fg", "ls", "zz"]),
              st.text(max_size=12), st.one_of(st.integers(-10**20, 10**20).map(str), st.text(max_size=12))),
)
inputs = st.one_of(
    st.tuples(st.just("text"), text_input),
    st.tuples(st.just("document"), document),
    st.tuples(st.just("photo"), photo),
    st.tuples(st.just("press"), callback),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asyncio.AbstractEventLoop, Stack]]:
    loop = asyncio.new_event_loop()
    cm = dispatcher_stack(tmp_path_factory.mktemp("fuzz"))
    stack = loop.run_until_complete(cm.__aenter__())
    try:
        yield loop, stack
    finally:
        loop.run_until_complete(cm.__aexit__(None, None, None))
        loop.close()


_uid = iter(range(10_000_000, 10**9))


async def one(stack: Stack, kind: str, value: Any) -> None:
    uid = next(_uid)  # a new person each time: the flood limit is not what this tests
    since = stack.emu.cursor
    if kind == "press":
        [anchor] = await stack.say(uid, "/privacy")
        answer, _ = await stack.press(uid, anchor, value)
        assert answer["answered"], value
    else:
        if kind == "text":
            update = stack.message_update(uid, text=value)
        elif kind == "document":
            name, mime, content = value
            stack.emu.inject_document(uid, name, content, mime_type=mime, language_code="en")
            update = stack.pending_update()
        else:
            stack.emu.inject_photo(uid, value, language_code="en")
            update = stack.pending_update()
        await stack.feed(update)
        assert stack.emu.sent(uid, since), (kind, repr(value)[:200])
    COUNTS[{"text": "messages", "document": "documents", "photo": "photos", "press": "presses"}[kind]] += 1


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(batch=st.lists(inputs, min_size=1, max_size=4))
def test_whole_dispatcher_survives_random_updates(world: tuple[asyncio.AbstractEventLoop, Stack],
                                                   batch: list[tuple[str, Any]]) -> None:
    loop, stack = world

    async def run() -> None:  # concurrently, as polling runs updates
        await asyncio.gather(*(one(stack, k, v) for k, v in batch))

    loop.run_until_complete(run())
    COUNTS["inputs"] += len(batch)
    assert stack.errors.summary() == []


def test_zz_fuzz_figures(world: tuple[asyncio.AbstractEventLoop, Stack]) -> None:
    """Runs after the fuzz test (alphabetical order in the module): report what was fed."""
    _, stack = world
    assert stack.errors.summary() == []
    record("fuzz_dispatcher", errors=0, **COUNTS)


# --- the reader ---------------------------------------------------------------------------------

TODAY = date(2026, 3, 15)
adversarial = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["1/1/", "$1,", "CP1", "tax year ", "dated ", "2024 ", "12-", "12-34-", "9" * 9 + " ",
                     "notice ", "no sé ", "\u00a0", "1 000 ", "Nov ", "de enero de "]),
    st.integers(500, 5000),
)


@settings(max_examples=scaled(40, 300), deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(text=adversarial)
def test_reader_time_is_bounded_on_huge_adversarial_text(text: str) -> None:
    start = time.process_time()
    reader.read(text, TODAY)
    spent = time.process_time() - start
    assert spent < 0.5 + len(text) / 20_000, (spent, len(text), text[:40])


@settings(max_examples=scaled(100, 1000), deadline=None, derandomize=True)
@given(noise=st.text(max_size=400), more=st.text(max_size=400),
       ident=st.sampled_from(["123-45-6789", "912-70-1234", "12-3456789", "123 45 6789"]))
def test_reader_is_deterministic_and_identifiers_in_noise_never_return(noise: str, more: str, ident: str) -> None:
    text = f"{noise} {ident} {more}"
    a, b = reader.read(text, TODAY), reader.read(text, TODAY)
    assert a == b
    assert ident not in a.text
