"""Failed tries per subject (a device, a case number, a typed appointment code) within an hour:
the limit on guessing at the kiosk's case look-up and check-in. A try is admitted and counted as
failed in one transaction, before the check (tries at the same moment cannot all slip under the
limit, and a crash mid-check still counts); a try that succeeds is forgotten. The tries are kept
in the database, so the limit holds across server processes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import timedelta

from ..domain.errors import DomainError
from ..store.unit_of_work import UnitOfWork

WINDOW = timedelta(hours=1)
"""How long a failed try counts (and is kept)."""


def hashed(kind: str, typed: str) -> str:
    """A subject for what a visitor typed: kept for an hour, shown nowhere, so stored as a hash."""
    return f"{kind}:{hashlib.sha256(typed.encode()).hexdigest()[:40]}"


def admit(uow: UnitOfWork, limits: Mapping[str, int], refusal: DomainError) -> list[int]:
    """Admit a try of each subject of ``limits`` (subject → most failed tries in ``WINDOW``) and
    count it as failed; raise ``refusal`` when a subject already had its most. The ids to
    ``forget`` when the try succeeds."""
    subjects = sorted(limits)
    attempts = uow.lookup_attempts
    attempts.lock(subjects)
    since = uow.now - WINDOW
    if any(attempts.count_since(subject, since) >= limits[subject] for subject in subjects):
        raise refusal
    ids = attempts.add(subjects, uow.now)
    attempts.expire(since)
    return ids


def forget(uow: UnitOfWork, ids: Sequence[int]) -> None:
    """The tries succeeded: they no longer count."""
    uow.lookup_attempts.forget(ids)
