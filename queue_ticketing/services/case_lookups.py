"""The kiosk's case look-up: case number + the initiator's postcode and house number → what a
visitor may see of the case (its status timeline and expected end date), nothing more.

"No such case" and "wrong postcode or house number" get the same answer in the same time. At most
``MAX_FAILURES`` failed tries per case number and per device within ``WINDOW``; then the kiosk
answers kindly that a host can help. The attempts are kept in the database, so the limit holds
across server processes."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

from ..domain.cases import CaseForVisitor, address_matches, case_for_visitor, normalise_identificatie
from ..domain.errors import DomainError
from ..store.unit_of_work import UnitOfWork
from . import tries
from .catalogi import CaseTypes
from .context import ServiceContext
from .zaaksysteem import CasesUnavailable, Zaaksysteem

MAX_FAILURES = 5
WINDOW = timedelta(hours=1)


class CaseNotFound(DomainError):
    code = "case_not_found"
    status = 404


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429


NOT_FOUND = ("We cannot find a case with this number for this postcode and house number. Check the case "
             "number on your letter or e-mail, or ask a host.")
ASK_A_HOST = ("This has not worked a few times. A host will gladly look up your case with you; please ask "
              "at the information desk.")


def _subjects(identificatie: str, device_id: str) -> list[str]:
    # The case number is hashed: whatever a visitor typed is kept for an hour, not shown anywhere.
    return [f"case:{hashlib.sha256(identificatie.encode()).hexdigest()[:40]}", f"device:{device_id}"]


async def look_up_case(ctx: ServiceContext, catalogue: CaseTypes, device_id: str, identificatie: str,
                       postcode: str, huisnummer: int, language: str,
                       zaaksysteem: Zaaksysteem | None = None) -> CaseForVisitor:
    number = normalise_identificatie(identificatie)
    subjects = _subjects(number, device_id)
    attempt_ids = await ctx.write(lambda uow: _admit(uow, subjects))
    if zaaksysteem is not None:  # the city's zaaksysteem is the case store: ask it, in a thread
        try:
            found = await asyncio.to_thread(zaaksysteem.case_for_visitor, number, postcode, huisnummer, language)
        except CasesUnavailable:
            await ctx.write(lambda uow: uow.lookup_attempts.forget(attempt_ids))  # not the visitor's failure
            raise
    else:
        # The check (one scrypt per initiator, ~50 ms) runs in a thread, outside the write transaction.
        found = await asyncio.to_thread(_find, ctx, catalogue, number, postcode, huisnummer, language)
    if found is None:
        raise CaseNotFound(NOT_FOUND)
    await ctx.write(lambda uow: uow.lookup_attempts.forget(attempt_ids))
    return found


def _admit(uow: UnitOfWork, subjects: list[str]) -> list[int]:
    """Admit the try and count it as failed until it succeeds (see ``tries``)."""
    return tries.admit(uow, dict.fromkeys(subjects, MAX_FAILURES), TooManyAttempts(ASK_A_HOST))


def _find(ctx: ServiceContext, catalogue: CaseTypes, number: str, postcode: str, huisnummer: int,
          language: str) -> CaseForVisitor | None:
    with ctx.read() as stores:
        store = stores.cases
        candidates = [(zaak, store.rollen_of(zaak.uuid)) for zaak in store.by_identificatie(number)]
        if not candidates:
            address_matches(None, postcode, huisnummer)  # same work, same time as a wrong postcode
        for zaak, rollen in candidates:
            zaaktype = catalogue.zaaktype(zaak.zaaktype)
            initiators = [r for r in rollen if zaaktype and r.address_hash
                          and r.roltype in {i.uuid for i in zaaktype.initiators}]
            if zaaktype and any(address_matches(r.address_hash, postcode, huisnummer) for r in initiators):
                return case_for_visitor(zaak, zaaktype, store.statussen_of(zaak.uuid), language)
            if not initiators:
                address_matches(None, postcode, huisnummer)
    return None
