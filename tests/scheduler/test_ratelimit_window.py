"""Issue 18: the global limiter never overshoots (it sent 32 in the first second of a burst at 30/s).

On a fake clock (an event loop whose time jumps to the next timer when nothing is ready), random arrival patterns: no one-second window holds more
than ``rate`` grants, no two grants come closer than the spacing when nobody was late, and the
limiter does not hold anyone back longer than the spacing and the window require.
"""

from __future__ import annotations

import asyncio
import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.ratelimit import GlobalLimiter

EPS = 1e-9


class FakeClockLoop(asyncio.SelectorEventLoop):
    """Time stands still while callbacks run and jumps to the next timer when nothing is ready."""

    def __init__(self) -> None:
        super().__init__()
        self._now = 1000.0

    def time(self) -> float:
        return self._now

    def _run_once(self) -> None:
        # asyncio internals (stable since 3.4): _ready callbacks to run, _scheduled a heap of timers
        ready, scheduled = self._ready, self._scheduled  # type: ignore[attr-defined]
        if not ready and scheduled:
            self._now = max(self._now, scheduled[0].when())
        super()._run_once()  # type: ignore[misc]


def run_arrivals(rate: float, gaps: list[float], tolerance: float = 0.02) -> tuple[list[float], list[float]]:
    """Arrival ``i`` comes ``gaps[i]`` s after arrival ``i-1``; returns (arrival times, grant times)."""
    loop = FakeClockLoop()
    limiter = GlobalLimiter(rate, tolerance)
    arrivals: list[float] = []
    grants: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        grants.append(loop.time())

    async def main() -> None:
        tasks = []
        for gap in gaps:
            await asyncio.sleep(gap)
            arrivals.append(loop.time())
            tasks.append(asyncio.create_task(one()))
            await asyncio.sleep(0)  # let it join the queue in arrival order
        await asyncio.gather(*tasks)

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    return arrivals, grants


def worst_second(times: list[float]) -> int:
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u < t + 1.0) for i, t in enumerate(times)), default=0)


def test_a_burst_from_idle_sends_at_most_the_rate_in_its_first_second() -> None:
    _, grants = run_arrivals(30.0, [0.0] * 100)
    assert worst_second(grants) == 30
    assert grants[1] - grants[0] >= 1 / 30 - EPS, "idle start must not grant two sends at once"


def test_after_idle_the_next_burst_is_spaced_too() -> None:
    _, grants = run_arrivals(30.0, [0.0] * 40 + [5.0] + [0.0] * 40)
    assert worst_second(grants) <= 30
    assert min(b - a for a, b in zip(grants, grants[1:], strict=False)) >= 1 / 30 - EPS


GAPS = st.lists(
    st.one_of(st.just(0.0), st.floats(0.0, 0.05), st.floats(0.0, 2.0), st.sampled_from([1 / 30, 0.999, 1.0])),
    min_size=1, max_size=150,
)


@settings(max_examples=150, deadline=None)
@given(rate=st.sampled_from([1.0, 2.5, 10.0, 30.0, 40.0]), gaps=GAPS)
@example(rate=30.0, gaps=[0.0] * 64)
def test_property_no_one_second_window_holds_more_than_the_rate(rate: float, gaps: list[float]) -> None:
    arrivals, grants = run_arrivals(rate, gaps)
    cap = max(1, math.floor(rate))
    assert len(grants) == len(gaps)
    assert worst_second(grants) <= cap
    assert grants == sorted(grants)
    interval = 1 / rate
    for k, g in enumerate(grants):
        assert g >= arrivals[k] - EPS
        if k:  # nobody waits longer than the spacing and the one-second window require
            bound = max(arrivals[k], grants[k - 1] + interval, grants[k - cap] + 1.0 if k >= cap else 0.0)
            assert g <= bound + EPS, (k, g, bound)
            assert g - grants[k - 1] >= interval - EPS  # no lateness on a fake clock: never closer
