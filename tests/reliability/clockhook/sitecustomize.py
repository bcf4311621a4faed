"""Test-only clock hook for a real `noticebot run` subprocess (imported by Python at start-up when
this directory is on PYTHONPATH; see tests/reliability/support.py).

``NOTICEBOT_CLOCK_OFFSET_S`` shifts the reminder engine's clock (scheduler.clock.SystemClock, the
clock ReminderService and the reminder buttons use) by that many seconds, so a test can say "the
process comes back three days later" or "after the dead worker's lease ran out" without waiting.
Rate limiting keeps real time (it uses the loop's monotonic clock), exactly as in production.
Without the variable this file does nothing.
"""

import os

_offset = os.environ.get("NOTICEBOT_CLOCK_OFFSET_S")
if _offset:
    from datetime import timedelta

    import scheduler.clock as _clock

    _delta = timedelta(seconds=float(_offset))
    _real_now = _clock.SystemClock.now

    def _shifted_now(self):  # type: ignore[no-untyped-def]
        return _real_now(self) + _delta

    _clock.SystemClock.now = _shifted_now  # type: ignore[method-assign]
