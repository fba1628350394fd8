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
from ..store.idempotency import IdempotencyStore, RememberedAnswer
from ..store.unit_of_work import UnitOfWork
from ..store.write_batch import WriteBatch


class KeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422


def request_hash(path: str, body: BaseModel | None) -> str:
    """What identifies a request under its key: the path and the validated body."""
    digest = hashlib.sha256(path.encode())
    if body is not None:
        digest.update(b"\0" + body.model_dump_json().encode())
    return digest.hexdigest()


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


async def run_once(ctx: ServiceContext, scope: str, key: str | None, fingerprint: str,
                   use_case: Callable[[UnitOfWork], tuple[int, Any]]) -> Response:
    """Run ``use_case`` in one transaction and remember its answer under the key (if given).
    The same key again returns the stored answer; with another request body it is refused.

    The transaction is the request's savepoint in the group commit of the requests that are
    ready with it (``GroupCommit``: on SQLite on the event loop, on PostgreSQL in a thread)."""
    return await ctx.group_commit.run(lambda batch: _run_in_batch(ctx, batch, scope, key, fingerprint, use_case))


def _run_in_batch(ctx: ServiceContext, batch: WriteBatch, scope: str, key: str | None, fingerprint: str,
                  use_case: Callable[[UnitOfWork], tuple[int, Any]]) -> Response:
    # Optimistic: a key is new almost always, so the answer is stored without looking first; the
    # primary key refuses a used key, the work is rolled back and the stored answer returned.
    try:
        with ctx.unit_of_work(batch) as uow:
            return _remembered(uow, scope, key, fingerprint, use_case)
    except IntegrityError:
        if key is None:
            raise
        # Used before, maybe earlier in this very batch: read it in the batch's transaction.
        answer = IdempotencyStore(batch.conn).get(scope, key)
        if answer is None:
            raise
        return _replay(answer, fingerprint)


def _remembered(uow: UnitOfWork, scope: str, key: str | None, fingerprint: str,
                use_case: Callable[[UnitOfWork], tuple[int, Any]]) -> Response:
    """Run the use case in ``uow``, store its answer under the key and commit."""
    try:
        status, payload = use_case(uow)
    except DomainError:
        # A retry of a change that succeeded may now be refused (finish a done ticket).
        answer = uow.idempotency.get(scope, key) if key is not None else None
        if answer is None:
            raise
        return _replay(answer, fingerprint)
    body = _serialise(payload)
    if key is not None:
        uow.idempotency.remember(scope, key, RememberedAnswer(fingerprint, status, body), uow.now)
    uow.commit()
    return _response(status, body, replayed=False)


def _replay(answer: RememberedAnswer, fingerprint: str) -> Response:
    if answer.request_hash != fingerprint:
        raise KeyReused("This Idempotency-Key was already used for another request.")
    return _response(answer.status_code, answer.body, replayed=True)


def json_answer(status: int, payload: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(payload), status_code=status)
