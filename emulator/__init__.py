"""Local Bot API emulator: an aiohttp server that answers like api.telegram.org, plus a control side
to act as users and inspect what the bot did.

Bot side (what aiogram talks to): ``/bot<token>/<method>`` and ``/file/bot<token>/<file_path>``.

Control side, HTTP under ``/_emu/`` (JSON bodies; EmulatorClient wraps it, EmulatorServer has the same
operations as Python methods):

    POST   message       {user_id, text, first_name?, language_code?, username?, entities?,
                          reply_to_message_id?}                        -> the update
    POST   callback      {user_id, message_id, data, chat_id?}         -> {callback_query_id}
    GET    callback/<id>                                               -> {answered, text, show_alert, url, cache_time}
    POST   document      {user_id, filename, content_b64, mime_type?, caption?}  -> the update
    POST   photo         {user_id, content_b64, caption?}              -> the update
    POST   update        {<any update body>}                           -> the update (update_id assigned)
    GET    sent          ?chat_id&since&changed                        -> {messages, cursor}
    GET    wait_sent     ?chat_id&count=1&timeout=10&since             -> {messages, cursor} | 408 {error}
    GET    file/<file_id>                                              -> the bytes
    POST   fault         {method, status?, times=1, retry_after?, chat_id?, stall?, description?} -> {fault_id}
    DELETE fault         ?method                                       -> {ok}
    GET    calls         ?method                                       -> {calls: [{method, chat_id, t, wall, status}], counts}
    POST   reset                                                       -> {ok}
    GET    info                                                        -> bot, webhook, pending_updates, commands, cursor
"""

from .client import EmulatorClient, EmulatorError
from .records import ApiError
from .server import EmulatorServer
from .state import DEMO_TOKEN

__all__ = ["DEMO_TOKEN", "ApiError", "EmulatorClient", "EmulatorError", "EmulatorServer"]
