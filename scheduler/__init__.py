"""The reminder engine: planning (pure + idempotent re-planning) and the delivery service."""

from scheduler.clock import Clock, ShiftedClock, SystemClock
from scheduler.errors import Blocked, RetryAfter, SendError, TransientError
from scheduler.items import DueItem, ReminderSender
from scheduler.planner import plan_for_notice, replan_notice, replan_user, resume_user

__all__ = [
    "Blocked", "Clock", "DueItem", "ReminderSender", "RetryAfter", "SendError", "ShiftedClock",
    "SystemClock", "TransientError", "plan_for_notice", "replan_notice", "replan_user", "resume_user",
]
