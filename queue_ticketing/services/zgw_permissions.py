"""What a Zaken API client may do with a case, as ZGW's Autorisaties API defines it: scopes per zaaktype,
each with a ``maxVertrouwelijkheidaanduiding`` (cases more confidential than that are invisible to the
client, as if they did not exist), ``zaken.heropenen`` to open a closed case again, and
``zaken.geforceerd-bijwerken`` for any other change to a closed case.

Who the client is (its JWT) is decided in ``services.zgw_auth``; these functions only judge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from location_config.zaaktypes import VERTROUWELIJKHEIDAANDUIDINGEN

from ..domain.cases import Zaak, levels_up_to, vertrouwelijkheid_rank
from ..domain.errors import DomainError, NotFound
from ..store.cases import ZaakFilter
from ..store.unit_of_work import UnitOfWork
from ..store.zgw_clients import ALL_ZAAKTYPES, ZgwClient, ZgwClientStore
from .zgw_auth import (
    AANMAKEN,
    GEFORCEERD_BIJWERKEN,
    HEROPENEN,
    MIN_SECRET_LENGTH,
    SCOPES,
    STATUSSEN_TOEVOEGEN,
    PermissionDenied,
)


@dataclass(frozen=True)
class Autorisatie:
    """Scopes for one zaaktype (its key: our id or an external type's URL; ``*`` for all)."""

    zaaktype: str
    scopes: frozenset[str]
    max_vertrouwelijkheidaanduiding: str = "zeer_geheim"


def put_client_autorisaties(uow: UnitOfWork, client_id: str, secret: str,
                            autorisaties: Sequence[Autorisatie]) -> ZgwClient:
    """Add a client (or replace it) with a different set of scopes per zaaktype, as an Autorisaties
    API hands them out."""
    if not client_id or len(client_id) > 128:
        raise DomainError("A client id has 1 to 128 characters.")
    if len(secret) < MIN_SECRET_LENGTH:
        raise DomainError(f"The secret needs at least {MIN_SECRET_LENGTH} characters.")
    for autorisatie in autorisaties:
        unknown = sorted(autorisatie.scopes - set(SCOPES))
        if unknown:
            raise DomainError(f"Unknown scope(s) {', '.join(unknown)}; choose from {', '.join(SCOPES)}.")
        if autorisatie.max_vertrouwelijkheidaanduiding not in VERTROUWELIJKHEIDAANDUIDINGEN:
            raise DomainError(f"Unknown level '{autorisatie.max_vertrouwelijkheidaanduiding}'.")
    client = ZgwClient(client_id, secret, {a.zaaktype: a.scopes for a in autorisaties},
                       {a.zaaktype: a.max_vertrouwelijkheidaanduiding for a in autorisaties})
    ZgwClientStore(uow.conn).put(client, uow.now)
    return client


def _maximum(client: ZgwClient, zaaktype: str) -> str:
    if zaaktype in client.scopes:
        return client.max_vertrouwelijkheid.get(zaaktype, "zeer_geheim")
    return client.max_vertrouwelijkheid.get(ALL_ZAAKTYPES, "zeer_geheim")


def may(client: ZgwClient, scope: str, zaak: Zaak) -> bool:
    """The scope for the case's zaaktype, and the case no more confidential than that allows."""
    return client.may(scope, zaak.zaaktype) and vertrouwelijkheid_rank(
        zaak.vertrouwelijkheidaanduiding) <= vertrouwelijkheid_rank(_maximum(client, zaak.zaaktype))


def readable(client: ZgwClient, scope: str = "zaken.lezen") -> ZaakFilter:
    """The cases the client may list: of the zaaktypes it has ``scope`` for, each within its level."""
    keys = [zaaktype for zaaktype, scopes in client.scopes.items() if scope in scopes]
    levels = {zaaktype: levels_up_to(_maximum(client, zaaktype)) for zaaktype in keys}
    zaaktypes = None if ALL_ZAAKTYPES in keys else [k for k in keys if k != ALL_ZAAKTYPES]
    return ZaakFilter(zaaktypes=zaaktypes, allowed_levels=levels)


def may_list(client: ZgwClient, scope: str = "zaken.lezen") -> bool:
    return any(scope in scopes for scopes in client.scopes.values())


def require_list(client: ZgwClient) -> None:
    """ZGW answers 403 to a client that may read no zaaktype at all."""
    if not may_list(client):
        raise PermissionDenied("This client may not read cases of any zaaktype (zaken.lezen).")


def require_read(client: ZgwClient, zaak: Zaak) -> None:
    if not may(client, "zaken.lezen", zaak):
        raise PermissionDenied(f"This client lacks scope zaken.lezen for this case's zaaktype '{zaak.zaaktype}' "
                               "or its level of confidentiality.")


def require_create(client: ZgwClient, zaaktype: str, vertrouwelijkheidaanduiding: str) -> None:
    probe = Zaak(uuid="", identificatie="", bronorganisatie="", zaaktype=zaaktype, verantwoordelijke_organisatie="",
                 registratiedatum=None, startdatum=None,  # type: ignore[arg-type]
                 vertrouwelijkheidaanduiding=vertrouwelijkheidaanduiding)
    if not may(client, AANMAKEN, probe):
        raise PermissionDenied(f"This client lacks scope {AANMAKEN} for zaaktype '{zaaktype}' at this level of "
                               "confidentiality.")


def require_change(client: ZgwClient, zaak: Zaak, *scopes: str) -> None:
    """One of ``scopes`` for the case; on a closed case only ``zaken.geforceerd-bijwerken``."""
    if may(client, GEFORCEERD_BIJWERKEN, zaak):
        return
    if zaak.is_closed:
        raise PermissionDenied(f"This case is closed; changing it needs scope {GEFORCEERD_BIJWERKEN}.")
    if not any(may(client, scope, zaak) for scope in scopes):
        raise PermissionDenied(f"This client lacks scope {' or '.join(scopes)} for zaaktype '{zaak.zaaktype}'.")


def require_status_change(client: ZgwClient, zaak: Zaak, reopens: bool) -> None:
    """``zaken.statussen.toevoegen`` (``zaken.aanmaken`` suffices for the first status); opening a closed
    case again needs ``zaken.heropenen`` (or ``zaken.geforceerd-bijwerken``)."""
    if reopens:
        if not (may(client, HEROPENEN, zaak) or may(client, GEFORCEERD_BIJWERKEN, zaak)):
            raise PermissionDenied(f"Opening a closed case again needs scope {HEROPENEN}.")
        return
    if zaak.status is None and not zaak.is_closed:
        require_change(client, zaak, STATUSSEN_TOEVOEGEN, AANMAKEN)
    else:
        require_change(client, zaak, STATUSSEN_TOEVOEGEN)


def require_delete(client: ZgwClient, zaak: Zaak) -> None:
    if not may(client, "zaken.verwijderen", zaak):
        raise PermissionDenied("Deleting a case needs scope zaken.verwijderen.")


def visible_or_not_found(client: ZgwClient, zaak: Zaak | None, what: str = "case") -> Zaak:
    """The case when it exists; a case the client may not read at all is answered with 403."""
    if zaak is None:
        raise NotFound(f"There is no such {what}.")
    require_read(client, zaak)
    return zaak

