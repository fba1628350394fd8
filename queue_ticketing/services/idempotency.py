"""Run a state change at most once per (device, Idempotency-Key): a retry gets the first answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from ..domain.errors import DomainError
from ..store.idempotency import RememberedAnswer
from ..store.write_batch import WriteBatch
from .group_commit import GroupCommit, UseCase


class KeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422


@dataclass(frozen=True)
class Answer:
    """What a state change answers, as it is remembered under its key: a status and the body's
    JSON text (empty for none)."""

    status: int
    body: str = ""
    replayed: bool = False
    """True when this is the remembered answer of an earlier request with the same key."""


@dataclass(frozen=True)
class Once:
    """Who asks (``scope``, the device), under which ``key`` (None: no key, run it anyway), and
    what identifies the request under it (``fingerprint``: the same key with another is refused)."""

    scope: str
    key: str | None
    fingerprint: str


async def run_once(writer: GroupCommit, once: Once, use_case: UseCase[Answer]) -> Answer:
    """Run ``use_case`` in a unit of work and remember its answer under the key, in the same
    transaction. The same key again returns the remembered answer; with another request it is
    refused (``KeyReused``)."""
    return await writer.run(lambda batch: _in_batch(batch, once, use_case))


def _in_batch(batch: WriteBatch, once: Once, use_case: UseCase[Answer]) -> Answer:
    # Optimistic: a key is new almost always, so the answer is stored without looking first; the
    # primary key refuses a used key, the work is rolled back and the stored answer returned.
    try:
        with batch.unit() as uow:
            answer = use_case(uow)
            if once.key is not None:
                uow.idempotency.remember(once.scope, once.key,
                                         RememberedAnswer(once.fingerprint, answer.status, answer.body), uow.now)
            return answer
    except (IntegrityError, DomainError):
        # IntegrityError: the key was used before, maybe earlier in this very batch. DomainError: a
        # retry of a change that succeeded may now be refused (finish a done ticket). Either way the
        # remembered answer, read in the batch's transaction, is the answer.
        if once.key is None:
            raise
        with batch.unit() as uow:
            remembered = uow.idempotency.get(once.scope, once.key)
        if remembered is None:
            raise
        return _replay(remembered, once)


def _replay(remembered: RememberedAnswer, once: Once) -> Answer:
    if remembered.request_hash != once.fingerprint:
        raise KeyReused("This Idempotency-Key was already used for another request.")
    return Answer(remembered.status_code, remembered.body, replayed=True)
