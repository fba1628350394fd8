"""Domain objects → ZGW bodies: URLs on the public address, times in Europe/Amsterdam, every field of
the 1.5.1 schema (empty lists for sub-resources this service does not hold)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request

from location_config.zaaktypes import Zaaktype

from ...domain.cases import Resultaat, Rol, Status, Zaak
from ...domain.errors import NotFound
from ...domain.numbering import BUSINESS_TIMEZONE
from ...services.cases import Page
from ...services.catalogi import CaseTypes
from .dependencies import PAGE_SIZE, PREFIX
from .schemas import Paginated, ResultaatOut, RolOut, StatusOut, ZaakOut

T = TypeVar("T")

BETALINGSINDICATIE_WEERGAVE = {"": "", "nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
                               "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
                               "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
                               "geheel": "De met de zaak gemoeide kosten zijn geheel betaald."}


@dataclass(frozen=True)
class Links:
    """Where things live: this Zaken API (``base``), the service's root (its embedded Catalogi API)."""

    base: str
    root: str
    types: CaseTypes

    def zaak(self, zaak_uuid: str) -> str:
        return f"{self.base}/zaken/{zaak_uuid}"

    def of(self, kind: str, uuid_: str) -> str:
        return f"{self.base}/{kind}/{uuid_}"

    def zaaktype(self, key: str) -> str:
        zaaktype = self.types.zaaktype(key)
        if zaaktype is None:
            return key
        return self.types.zaaktype_url(zaaktype, self.root)

    def type_url(self, zaaktype: Zaaktype | None, kind: str, uuid_: str) -> str:
        if zaaktype is None:
            return f"{self.root}/catalogi/api/v1/{kind}/{uuid_}"
        return self.types.url(zaaktype, kind, uuid_, self.root)


@dataclass(frozen=True)
class ZaakView:
    """A case with what its body lists of its sub-resources."""

    zaak: Zaak
    deelzaken: Sequence[str] = ()
    rollen: Sequence[str] = ()


def zaak_out(links: Links, view: ZaakView, expand: dict[str, Any] | None = None) -> ZaakOut:
    zaak, a = view.zaak, view.zaak.attributes
    return ZaakOut(
        url=links.zaak(zaak.uuid), uuid=zaak.uuid, identificatie=zaak.identificatie,
        bronorganisatie=zaak.bronorganisatie, omschrijving=zaak.omschrijving, toelichting=zaak.toelichting,
        zaaktype=links.zaaktype(zaak.zaaktype), registratiedatum=zaak.registratiedatum,
        verantwoordelijkeOrganisatie=zaak.verantwoordelijke_organisatie, startdatum=zaak.startdatum,
        einddatum=zaak.einddatum, einddatumGepland=zaak.einddatum_gepland,
        uiterlijkeEinddatumAfdoening=zaak.uiterlijke_einddatum_afdoening,
        publicatiedatum=a.get("publicatiedatum"), communicatiekanaal=a.get("communicatiekanaal") or "",
        productenOfDiensten=list(a.get("productenOfDiensten") or []),
        vertrouwelijkheidaanduiding=zaak.vertrouwelijkheidaanduiding,
        betalingsindicatie=a.get("betalingsindicatie") or "",
        betalingsindicatieWeergave=BETALINGSINDICATIE_WEERGAVE.get(a.get("betalingsindicatie") or "", ""),
        laatsteBetaaldatum=a.get("laatsteBetaaldatum"), zaakgeometrie=a.get("zaakgeometrie"),
        verlenging=a.get("verlenging"), opschorting=a.get("opschorting") or {"indicatie": False, "reden": ""},
        selectielijstklasse=a.get("selectielijstklasse") or "",
        hoofdzaak=links.zaak(zaak.hoofdzaak) if zaak.hoofdzaak else None,
        deelzaken=[links.zaak(u) for u in view.deelzaken],
        relevanteAndereZaken=list(a.get("relevanteAndereZaken") or []), eigenschappen=[],
        rollen=[links.of("rollen", u) for u in view.rollen],
        status=links.of("statussen", zaak.status) if zaak.status else None,
        zaakinformatieobjecten=[], zaakobjecten=[], kenmerken=list(a.get("kenmerken") or []),
        archiefnominatie=zaak.archiefnominatie or None, archiefstatus=zaak.archiefstatus,
        archiefactiedatum=zaak.archiefactiedatum, resultaat=links.of("resultaten", zaak.resultaat)
        if zaak.resultaat else None, opdrachtgevendeOrganisatie=a.get("opdrachtgevendeOrganisatie") or "",
        processobjectaard=a.get("processobjectaard"), startdatumBewaartermijn=a.get("startdatumBewaartermijn"),
        processobject=a.get("processobject"), _expand=expand,
    )


def status_out(links: Links, zaaktype: Zaaktype | None, status: Status, current: str | None) -> StatusOut:
    return StatusOut(url=links.of("statussen", status.uuid), uuid=status.uuid, zaak=links.zaak(status.zaak),
                     statustype=links.type_url(zaaktype, "statustypen", status.statustype),
                     datumStatusGezet=status.datum_status_gezet.astimezone(BUSINESS_TIMEZONE),
                     statustoelichting=status.statustoelichting, indicatieLaatstGezetteStatus=status.uuid == current,
                     gezetdoor=status.gezetdoor, zaakinformatieobjecten=[])


def resultaat_out(links: Links, zaaktype: Zaaktype | None, resultaat: Resultaat) -> ResultaatOut:
    return ResultaatOut(url=links.of("resultaten", resultaat.uuid), uuid=resultaat.uuid,
                        zaak=links.zaak(resultaat.zaak),
                        resultaattype=links.type_url(zaaktype, "resultaattypen", resultaat.resultaattype),
                        toelichting=resultaat.toelichting)


def rol_out(links: Links, zaaktype: Zaaktype | None, rol: Rol) -> RolOut:
    """A role as the client gave it. Roles made before all of ``betrokkeneIdentificatie`` was kept show
    the initiator's postcode masked (``3078**``), never a house number."""
    roltype = next((r for r in zaaktype.roltypen if r.uuid == rol.roltype), None) if zaaktype else None
    a = rol.attributes
    identificatie = a.get("betrokkeneIdentificatie")
    if identificatie is None and rol.postcode_digits:
        identificatie = {"verblijfsadres": {"aoaPostcode": f"{rol.postcode_digits}**", "aoaHuisnummer": None}}
    contact = a.get("contactpersoonRol")
    if contact is None and rol.emailadres:
        contact = {"emailadres": rol.emailadres, "functie": "", "telefoonnummer": "", "naam": ""}
    return RolOut(url=links.of("rollen", rol.uuid), uuid=rol.uuid, zaak=links.zaak(rol.zaak),
                  betrokkene=rol.betrokkene, betrokkeneType=rol.betrokkene_type,
                  afwijkendeNaamBetrokkene=a.get("afwijkendeNaamBetrokkene") or "",
                  roltype=links.type_url(zaaktype, "roltypen", rol.roltype),
                  omschrijving=roltype.omschrijving if roltype else "",
                  omschrijvingGeneriek=roltype.omschrijving_generiek if roltype else "",
                  roltoelichting=rol.roltoelichting,
                  registratiedatum=rol.registratiedatum.astimezone(BUSINESS_TIMEZONE),
                  indicatieMachtiging=a.get("indicatieMachtiging") or "", contactpersoonRol=contact,
                  statussen=[], betrokkeneIdentificatie=identificatie)


def page_out(request: Request, base: str, page: int, found: Page, present: Callable[[Any], T]) -> Paginated[T]:
    """One page of a list, with ``next`` and ``previous`` on the public address."""
    if page > 1 and (page - 1) * PAGE_SIZE >= found.count:
        raise NotFound("There is no such page.")
    query = dict(request.query_params)
    path = request.url.path.removeprefix(request.scope.get("root_path", "")).removeprefix(PREFIX)

    def link(number: int) -> str:
        return f"{base}{path}?" + urlencode({**query, "page": number})

    return Paginated[T](count=found.count, next=link(page + 1) if page * PAGE_SIZE < found.count else None,
                        previous=link(page - 1) if page > 1 else None, results=[present(i) for i in found.items])


def etag(body: Any) -> str:
    """A strong validator of a body: the same representation gives the same ETag."""
    text = json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'
