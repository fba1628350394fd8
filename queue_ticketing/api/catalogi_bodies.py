"""The bodies of the embedded Catalogi API (ZGW Catalogi 1.x field names) for the configured case
types, shared by its routes and the Zaken API's ``expand``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from location_config.zaaktypes import ZaakCatalogue, Zaaktype


def catalogus_uuid(catalogue: ZaakCatalogue) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, catalogue.catalogus))


def _days(days: int | None) -> str | None:
    return f"P{days}D" if days else None


def _zaaktype(root: str, catalogue: ZaakCatalogue, z: Zaaktype) -> dict[str, Any]:
    return {
        "url": f"{root}/zaaktypen/{z.uuid}", "identificatie": z.identificatie, "omschrijving": z.omschrijving,
        "omschrijvingGeneriek": "", "vertrouwelijkheidaanduiding": z.vertrouwelijkheidaanduiding,
        "doel": z.names.get("nl", z.omschrijving), "aanleiding": "", "toelichting": "",
        "indicatieInternOfExtern": "extern", "handelingInitiator": "", "onderwerp": z.omschrijving,
        "handelingBehandelaar": "", "doorlooptijd": _days(z.doorlooptijd_days), "servicenorm":
        _days(z.servicenorm_days), "opschortingEnAanhoudingMogelijk": False, "verlengingMogelijk": False,
        "verlengingstermijn": None, "trefwoorden": [], "publicatieIndicatie": False, "publicatietekst": "",
        "verantwoordingsrelatie": [], "productenOfDiensten": list(z.producten_of_diensten),
        "selectielijstProcestype": "", "referentieproces": {"naam": "", "link": ""},
        "catalogus": f"{root}/catalogussen/{catalogus_uuid(catalogue)}",
        "statustypen": [f"{root}/statustypen/{s.uuid}" for s in z.statustypen],
        "resultaattypen": [f"{root}/resultaattypen/{r.uuid}" for r in z.resultaattypen],
        "eigenschappen": [], "informatieobjecttypen": [],
        "roltypen": [f"{root}/roltypen/{r.uuid}" for r in z.roltypen],
        "besluittypen": [], "deelzaaktypen": [], "gerelateerdeZaaktypen": [], "beginGeldigheid": "2017-01-01",
        "eindeGeldigheid": None, "versiedatum": "2017-01-01", "concept": False,
    }


def _statustypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for s in z.statustypen:
            yield {"url": f"{root}/statustypen/{s.uuid}", "omschrijving": s.omschrijving,
                   "omschrijvingGeneriek": "", "statustekst": s.tekst("nl"),
                   "zaaktype": f"{root}/zaaktypen/{z.uuid}", "volgnummer": s.volgnummer,
                   "isEindstatus": s.is_eindstatus, "informeren": False, "doorlooptijd": _days(s.doorlooptijd_days)}


def _resultaattypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for r in z.resultaattypen:
            yield {"url": f"{root}/resultaattypen/{r.uuid}", "zaaktype": f"{root}/zaaktypen/{z.uuid}",
                   "omschrijving": r.omschrijving, "resultaattypeomschrijving": "", "omschrijvingGeneriek": "",
                   "selectielijstklasse": "", "toelichting": "", "archiefnominatie": r.archiefnominatie or "",
                   "archiefactietermijn": _days(r.archiefactietermijn_days), "brondatumArchiefprocedure": None}


def _roltypen(root: str, catalogue: ZaakCatalogue) -> Iterable[dict[str, Any]]:
    for z in catalogue.zaaktypes.values():
        for r in z.roltypen:
            yield {"url": f"{root}/roltypen/{r.uuid}", "zaaktype": f"{root}/zaaktypen/{z.uuid}",
                   "omschrijving": r.omschrijving, "omschrijvingGeneriek": r.omschrijving_generiek}


def _catalogus(root: str, catalogue: ZaakCatalogue) -> dict[str, Any]:
    return {"url": f"{root}/catalogussen/{catalogus_uuid(catalogue)}", "domein": "GASTV",
            "rsin": catalogue.bronorganisatie, "contactpersoonBeheerNaam": "", "contactpersoonBeheerTelefoonnummer": "",
            "contactpersoonBeheerEmailadres": "",
            "zaaktypen": [f"{root}/zaaktypen/{z.uuid}" for z in catalogue.zaaktypes.values()],
            "besluittypen": [], "informatieobjecttypen": []}


RESOURCES: dict[str, Callable[[str, ZaakCatalogue], Iterable[dict[str, Any]]]] = {
    "catalogussen": lambda root, c: [_catalogus(root, c)],
    "zaaktypen": lambda root, c: [_zaaktype(root, c, z) for z in c.zaaktypes.values()],
    "statustypen": _statustypen, "resultaattypen": _resultaattypen, "roltypen": _roltypen,
}
