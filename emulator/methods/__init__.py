"""Bot API methods: each takes the state, the request parameters and the token, returns ``result``.

Error wording follows Telegram's so that code matching on descriptions behaves the same. One module
per kind of method; importing this package registers them all in ``METHODS``.
"""

from . import messages, profile, updates
from .registry import METHODS, Handler, method

__all__ = ["METHODS", "Handler", "method", "messages", "profile", "updates"]
