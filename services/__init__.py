"""The use-case layer: every change of state happens in one function here.

A use case takes a ``Unit`` (this update's session plus the reminder engine's waker and clock), the
person's id and plain values; it loads a notice only through ``services.ownership``, commits once,
re-plans reminders and wakes the engine, and returns a plain value the caller renders. Telegram
handlers (bot/), the HTTP app (web/) and the CLI (app/) only translate into these calls.

Imports: storage, scheduler, notices (and app.config / app.logs); never bot, web or app otherwise.
"""

from storage.models import Case, CaseShare, Notice, NoticeEvent, NoticeStatus, User

# The entities the callers render; they come from here so that handlers never import storage.
__all__ = ["Case", "CaseShare", "Notice", "NoticeEvent", "NoticeStatus", "User"]
