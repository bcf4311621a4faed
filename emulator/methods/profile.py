"""The bot's identity and profile: getMe, commands, descriptions, name, menu button, close, logOut."""

from __future__ import annotations

import json
import re
from typing import Any

from ..params import Params
from ..records import bad_request
from ..state import EmulatorState
from .registry import method


@method("getMe")
async def get_me(state: EmulatorState, params: Params, token: str) -> Any:
    return state.bot_user(token)

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def _commands_key(params: Params) -> str:
    scope = params.get_json("scope") or {"type": "default"}
    return json.dumps(
        {"scope": scope, "language_code": params.get_str("language_code") or ""}, sort_keys=True
    )


@method("setMyCommands")
async def set_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    commands = params.get_json("commands")
    if not isinstance(commands, list):
        raise bad_request("commands is empty")
    for item in commands:
        if not _COMMAND.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", ""))) <= 256:
            raise bad_request(
                "command description is empty"
                if not item.get("description")
                else "BOT_COMMAND_DESCRIPTION_INVALID"
            )
    state.commands[_commands_key(params)] = commands
    return True


@method("getMyCommands")
async def get_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    return state.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
async def delete_my_commands(state: EmulatorState, params: Params, token: str) -> Any:
    state.commands.pop(_commands_key(params), None)
    return True

# Profile settings: stored as sent, readable back through the matching getter.
_SETTINGS = {
    "setMyDescription": ("getMyDescription", "description"),
    "setMyShortDescription": ("getMyShortDescription", "short_description"),
    "setMyName": ("getMyName", "name"),
}


def _setting_methods(setter: str, getter: str, field_name: str) -> None:
    async def set_value(state: EmulatorState, params: Params, token: str) -> Any:
        state.settings.setdefault(setter, {})[params.get_str("language_code") or ""] = (
            params.get_str(field_name) or ""
        )
        return True

    async def get_value(state: EmulatorState, params: Params, token: str) -> Any:
        return {field_name: state.settings.get(setter, {}).get(params.get_str("language_code") or "", "")}

    method(setter)(set_value)
    method(getter)(get_value)


for _setter, (_getter, _field) in _SETTINGS.items():
    _setting_methods(_setter, _getter, _field)


@method("setChatMenuButton")
async def set_chat_menu_button(state: EmulatorState, params: Params, token: str) -> Any:
    state.settings["setChatMenuButton"] = {"menu_button": params.get_json("menu_button")}
    return True


@method("close")
async def close(state: EmulatorState, params: Params, token: str) -> Any:
    return True


@method("logOut")
async def log_out(state: EmulatorState, params: Params, token: str) -> Any:
    return True
