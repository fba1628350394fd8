"""The city's own zaaksysteem (Open Zaak or another conformant Zaken API) as the case store, for what
the kiosk needs: a case by its number with its statuses and the initiator's address (the look-up), and a
new case with its first status and initiator (a public reaction).

Talks ZGW through ``ZgwSession`` (JWT, timeouts, retries for reads, circuit breaker). When the
zaaksysteem is down or too slow, ``CasesUnavailable`` says so kindly; nothing waits for long. The types
are named by uuid: ``zaaktypes.toml`` holds the city's zaaktypes with the uuids they have in its
Catalogi API (``GASTVRIJ_CATALOGI_API_URL``), and adds what the kiosk says about them in each language."""

from __future__ import annotations

import hmac
import logging
from datetime import date, datetime
from typing import Any

from location_config.zaaktypes import Zaaktype

from ..domain.cases import CaseForVisitor, Status, Zaak, case_for_visitor, normalise_postcode
from ..domain.errors import DomainError
from ..domain.numbering import BUSINESS_TIMEZONE
from .catalogi import CaseTypes, uuid_in
from .zgw_http import ZgwSession, ZgwUnavailable

log = logging.getLogger("queue_ticketing.zaaksysteem")


class CasesUnavailable(DomainError):
    code = "cases_unavailable"
    status = 503


UNAVAILABLE = "Case status is not available right now. Please try again later, or ask a host."


class Zaaksysteem:
    def __init__(self, zaken_api_url: str, catalogi_api_url: str, session: ZgwSession, types: CaseTypes) -> None:
        self.zaken = zaken_api_url.rstrip("/")
        self.catalogi = catalogi_api_url.rstrip("/")
        self.session = session
        self.types = types

    # -- plumbing

    def _json(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        try:
            response = self.session.request(method, url, json=body, params=params or None)
        except ZgwUnavailable as error:
            log.warning("zaaksysteem_unavailable", extra={"reason": str(error)})  # never the case or person
            raise CasesUnavailable(UNAVAILABLE) from None
        if response.status_code >= 400:
            log.warning("zaaksysteem_refused", extra={"status": response.status_code, "path": url.split("?")[0]
                                                      .removeprefix(self.zaken)[:60]})
            raise CasesUnavailable(UNAVAILABLE)
        try:
            return response.json()
        except ValueError:
            raise CasesUnavailable(UNAVAILABLE) from None

    def _all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list (ZGW pages of 100), at most 10 pages."""
        found: list[dict[str, Any]] = []
        url: str | None = f"{self.zaken}{path}"
        for _ in range(10):
            if url is None:
                break
            page = self._json("GET", url, **params)
            found += page.get("results", []) if isinstance(page, dict) else []
            url, params = (page.get("next") if isinstance(page, dict) else None), {}
        return found

    def _zaaktype(self, url: str) -> Zaaktype | None:
        key = self.types.key_of(url)
        return self.types.zaaktype(key) if key else None

    # -- the look-up

    def case_for_visitor(self, identificatie: str, postcode: str, huisnummer: int,
                         language: str) -> CaseForVisitor | None:
        """The visitor's view of the case with this number whose initiator lives at postcode + house
        number, or None (the same None for "no such case" and "another address")."""
        for found in self._all("/zaken", identificatie=identificatie):
            zaaktype = self._zaaktype(str(found.get("zaaktype")))
            if zaaktype is None:
                continue
            rollen = self._all("/rollen", zaak=found["url"], omschrijvingGeneriek="initiator")
            if not any(_lives_at(rol, postcode, huisnummer) for rol in rollen):
                continue
            statussen = [_status(s) for s in self._all("/statussen", zaak=found["url"])]
            return case_for_visitor(_zaak(found, zaaktype), zaaktype, statussen, language)
        return None

    # -- a public reaction

    def open_case(self, zaaktype: Zaaktype, bronorganisatie: str, today: date, now: datetime, omschrijving: str,
                  toelichting: str, statustoelichting: str, emailadres: str | None) -> Zaak:
        """A new case with its first status, and its initiator when an e-mail address was given."""
        zaak = self._json("POST", f"{self.zaken}/zaken", {
            "bronorganisatie": bronorganisatie, "verantwoordelijkeOrganisatie": bronorganisatie,
            "zaaktype": f"{self.catalogi}/zaaktypen/{zaaktype.uuid}", "startdatum": today.isoformat(),
            "omschrijving": omschrijving, "toelichting": toelichting})
        self._json("POST", f"{self.zaken}/statussen", {
            "zaak": zaak["url"], "statustype": f"{self.catalogi}/statustypen/{zaaktype.first_status.uuid}",
            "datumStatusGezet": now.isoformat(), "statustoelichting": statustoelichting})
        if emailadres:
            self._json("POST", f"{self.zaken}/rollen", {
                "zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon",
                "roltype": f"{self.catalogi}/roltypen/{zaaktype.initiator.uuid}", "roltoelichting": "Indiener (kiosk)",
                "contactpersoonRol": {"emailadres": emailadres, "naam": ""}})
        return _zaak(zaak, zaaktype)


def _lives_at(rol: dict[str, Any], postcode: str, huisnummer: int) -> bool:
    address = ((rol.get("betrokkeneIdentificatie") or {}).get("verblijfsadres") or {})
    given = normalise_postcode(str(address.get("aoaPostcode") or ""))
    return given is not None and hmac.compare_digest(given, postcode) and address.get("aoaHuisnummer") == huisnummer


def _day(text: Any) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def _zaak(body: dict[str, Any], zaaktype: Zaaktype) -> Zaak:
    return Zaak(uuid=str(body.get("uuid") or uuid_in(str(body.get("url")), "zaken")),
                identificatie=str(body.get("identificatie")), bronorganisatie=str(body.get("bronorganisatie")),
                zaaktype=zaaktype.id, verantwoordelijke_organisatie=str(body.get("verantwoordelijkeOrganisatie")),
                registratiedatum=_day(body.get("registratiedatum")) or date.min,
                startdatum=_day(body.get("startdatum")) or date.min, einddatum=_day(body.get("einddatum")),
                einddatum_gepland=_day(body.get("einddatumGepland")),
                uiterlijke_einddatum_afdoening=_day(body.get("uiterlijkeEinddatumAfdoening")))


def _status(body: dict[str, Any]) -> Status:
    moment = datetime.fromisoformat(str(body.get("datumStatusGezet")).replace("Z", "+00:00"))
    return Status(uuid=str(uuid_in(str(body.get("url")), "statussen")), zaak="",
                  statustype=str(uuid_in(str(body.get("statustype")), "statustypen")),
                  datum_status_gezet=moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TIMEZONE))
