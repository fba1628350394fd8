"""The HTTP side of running a state change once per Idempotency-Key (services/idempotency.py):
what identifies a request under its key, and an answer as a response."""

from __future__ import annotations

import hashlib

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from ..services.idempotency import Answer


def request_hash(request: Request, body: BaseModel | None) -> str:
    """What identifies a request under its key: the path (as ``request.url.path`` spells it, without
    building the whole URL) and the validated body."""
    path = request.scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    digest = hashlib.sha256(path.encode())
    if body is not None:
        digest.update(b"\0" + body.model_dump_json().encode())
    return digest.hexdigest()


def answer(status: int, payload: BaseModel | None = None, *, exclude_none: bool = False) -> Answer:
    """An answer to remember: the status and the payload as JSON text."""
    return Answer(status, payload.model_dump_json(exclude_none=exclude_none) if payload is not None else "")


def response(answered: Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answered.replayed else {}
    if answered.status == 204:
        return Response(status_code=204, headers=headers)
    return Response(answered.body, status_code=answered.status, media_type="application/json", headers=headers)
