"""Run a state change at most once per (device, Idempotency-Key): a retry gets the first answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from ..domain.errors import DomainError
from ..services.context import ServiceContext
from ..store.idempotency import RememberedAnswer
from ..store.unit_of_work import UnitOfWork


class KeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422


def request_hash(path: str, body: Any) -> str:
    canonical = json.dumps({"path": path, "body": jsonable_encoder(body)}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _serialise(payload: Any) -> str:
    if payload is None:
        return ""
    if isinstance(payload, BaseModel):
        return payload.model_dump_json()
    return json.dumps(jsonable_encoder(payload), separators=(",", ":"), ensure_ascii=False)


def _response(status: int, body: str, replayed: bool) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if status == 204:
        return Response(status_code=204, headers=headers)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def run_once(ctx: ServiceContext, scope: str, key: str | None, fingerprint: str,
             use_case: Callable[[UnitOfWork], tuple[int, Any]]) -> Response:
    """Run ``use_case`` in one transaction and remember its answer under the key (if given).
    The same key again returns the stored answer; with another request body it is refused."""
    for attempt in range(3):
        try:
            with ctx.unit_of_work() as uow:
                if key is not None:
                    remembered = uow.idempotency.get(scope, key)
                    if remembered is not None:
                        if remembered.request_hash != fingerprint:
                            raise KeyReused("This Idempotency-Key was already used for another request.")
                        return _response(remembered.status_code, remembered.body, replayed=True)
                status, payload = use_case(uow)
                body = _serialise(payload)
                if key is not None:
                    uow.idempotency.remember(scope, key, RememberedAnswer(fingerprint, status, body), uow.now)
                uow.commit()
                return _response(status, body, replayed=False)
        except IntegrityError:
            # Two requests with the same key at once (PostgreSQL): the loser retries and finds the answer.
            if attempt == 2 or key is None:
                raise
    raise AssertionError("unreachable")


def json_answer(status: int, payload: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(payload), status_code=status)
