"""A Bot API call's parameters, from a query string, a form, multipart or JSON, in one shape."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, ClientResponse, MultipartReader, web

from .records import ApiError, bad_request


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


class Params:
    """Request parameters from a query string, a form, multipart or JSON, in one shape.

    Form values are strings (nested objects as JSON strings); JSON bodies carry native values.
    """

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int:
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def input_file(self, name: str) -> Upload | str:
        """An uploaded file (as the field itself or ``attach://part``), or a file_id string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.get_str(name)
        if value is None:
            raise bad_request(f"there is no {name} in the request")
        if value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if part not in self.uploads:
                raise bad_request(f"file attach://{part} not found in the request")
            return self.uploads[part]
        return value



async def read_params(request: web.Request) -> Params:
    """Merge query string and body (form, multipart or JSON) into Params, files kept apart."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON")
            values.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    values[key] = value
    return Params(values, uploads)


async def webhook_reply_params(resp: ClientResponse) -> tuple[str, Params]:
    """The method call a webhook answered with (aiogram's handle_in_background=False): its name
    ("" when there is none) and parameters, from a JSON or multipart body."""
    values: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    if resp.content_type.startswith("multipart/"):
        reader = MultipartReader.from_response(resp)
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader)  # form-data is flat
            if part.filename:
                uploads[part.name or ""] = Upload(part.filename, await part.read(), part.headers.get("Content-Type"))
            else:
                values[part.name or ""] = await part.text()
    elif resp.content_type == "application/json":
        body = await resp.json()
        values = body if isinstance(body, dict) else {}
    return str(values.pop("method", "")), Params(values, uploads)
