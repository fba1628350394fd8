"""Where case types come from: the configured ``zaaktypes.toml`` (served by this service's own
read-only Catalogi API) and, when ``GASTVRIJ_CATALOGI_API_URL`` is set, an external Catalogi API whose
types are fetched by URL and kept for a while.

ZGW names a type by its URL. A case keeps its zaaktype's key: the id of a configured type
(``publieksreactie``) or the URL of an external one; status, result and role types are kept by uuid."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from location_config.zaaktypes import (
    Resultaattype,
    Roltype,
    Statustype,
    ZaakCatalogue,
    Zaaktype,
    duration_days,
)

from ..domain.cases import InvalidCase
from .context import TimedCache

log = logging.getLogger("queue_ticketing.catalogi")

CATALOGI_PREFIX = "/catalogi/api/v1"
KINDS = ("zaaktypen", "statustypen", "resultaattypen", "roltypen")

Fetch = Callable[[str], "dict[str, Any] | None"]
"""GET a Catalogi URL: its JSON, None for a 404; raises ``CatalogiUnavailable`` when it cannot say."""


class CatalogiUnavailable(Exception):
    """The external Catalogi API did not answer in time or answered with an error."""


def uuid_in(url: str, kind: str) -> str | None:
    """The uuid at the end of ``.../{kind}/{uuid}``, or None."""
    parts = urlsplit(url).path.rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != kind:
        return None
    candidate = parts[-1].lower()
    return candidate if len(candidate) == 36 and candidate.count("-") == 4 else None


@dataclass(frozen=True)
class CaseTypes:
    """The case types the Zaken API knows: the configured ones and, optionally, an external API's."""

    local: ZaakCatalogue
    remote_url: str | None = None
    fetch: Fetch | None = None
    cache_seconds: float = 300.0
    reference_urls: tuple[str, ...] = ()
    """Other ZGW APIs (a Referentielijsten API, ...) whose URLs in a case are resolved and checked."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cache", TimedCache(self.cache_seconds))

    # -- names

    def url(self, zaaktype: Zaaktype, kind: str, uuid_: str, local_base: str) -> str:
        """The URL of a type of ``zaaktype`` (``kind`` is zaaktypen, statustypen, ...)."""
        base = zaaktype.catalogus_url or f"{local_base}{CATALOGI_PREFIX}"
        return f"{base}/{kind}/{uuid_}"

    def zaaktype_url(self, zaaktype: Zaaktype, local_base: str) -> str:
        return zaaktype.id if zaaktype.catalogus_url else self.url(zaaktype, "zaaktypen", zaaktype.uuid, local_base)

    def key_of(self, url: str) -> str | None:
        """The key a case keeps for the zaaktype at ``url`` (without fetching anything), or None."""
        found = self.local.by_uuid(uuid_in(url, "zaaktypen") or "")
        if found is not None:  # a configured type, wherever its URL points (its uuid names it)
            return found.id
        return url if self._is_remote(url) else None

    # -- look-ups

    def zaaktype(self, key: str) -> Zaaktype | None:
        """A case's zaaktype by its key; None when it is no longer known (or the external API is down)."""
        if not self._is_remote(key):
            return self.local.zaaktype(key)
        try:
            return self._remote_zaaktype(key)
        except (CatalogiUnavailable, InvalidCase):
            return None

    def resolve(self, url: str, field: str = "zaaktype") -> Zaaktype:
        """The zaaktype at ``url``, checked as ZGW does: ``bad-url`` when nothing is there,
        ``invalid-resource`` when it is not a zaaktype, ``not-published`` for a draft."""
        uuid_ = uuid_in(url, "zaaktypen")
        found = self.local.by_uuid(uuid_) if uuid_ else None
        if found is not None:
            zaaktype = found
        elif self._is_remote(url):
            try:
                zaaktype = self._remote_zaaktype(url)
            except CatalogiUnavailable:
                raise InvalidCase(field, "bad-url", "The Catalogi API did not answer; try again.") from None
        else:
            raise InvalidCase(field, "bad-url", "There is no zaaktype at this URL.")
        if zaaktype.concept:
            raise InvalidCase(field, "not-published", "This zaaktype is a draft (concept); publish it first.")
        return zaaktype

    def type_uuid(self, zaaktype: Zaaktype, url: str, kind: str, field: str) -> str:
        """The uuid of a statustype/resultaattype/roltype URL; ``bad-url`` when it is not one."""
        uuid_ = uuid_in(url, kind)
        if uuid_ is None:
            raise InvalidCase(field, "bad-url", f"Expected the URL of one of the {kind}.")
        return uuid_

    def check_reference(self, url: str, field: str, keys: tuple[str, ...]) -> None:
        """A URL a case points at (``communicatiekanaal``, ...) resolves to a resource with ``keys``:
        ``bad-url`` when nothing is there, ``invalid-resource`` when it is something else. Only URLs on
        the configured ZGW APIs are fetched (never arbitrary hosts); others are kept as given."""
        if not url or self.fetch is None or not any(self._same_origin(url, base) for base in
                                                     (self.remote_url or "", *self.reference_urls) if base):
            return
        try:
            body = self.fetch(url)
        except CatalogiUnavailable:
            raise InvalidCase(field, "bad-url", "The API at this URL did not answer; try again.") from None
        if body is None:
            raise InvalidCase(field, "bad-url", "There is nothing at this URL.")
        if not all(key in body for key in keys):
            raise InvalidCase(field, "invalid-resource", "The resource at this URL is not of the right kind.")

    def fetch_json(self, url: str) -> dict[str, Any] | None:
        """A resource of the external Catalogi API (for ``expand``), cached; None when unknown or down."""
        if not self._is_remote(url) or self.fetch is None:
            return None
        cache: TimedCache[dict[str, Any] | None] = self._cache  # type: ignore[attr-defined]
        try:
            return cache.get(f"json:{url}", lambda: self._get(url))
        except CatalogiUnavailable:
            return None

    # -- the external API

    @staticmethod
    def _same_origin(url: str, base: str) -> bool:
        there, here = urlsplit(base), urlsplit(url)
        return (here.scheme, here.netloc) == (there.scheme, there.netloc)

    def _is_remote(self, url: str) -> bool:
        """On the external Catalogi API's server (never any other host: no requests to arbitrary URLs)."""
        return bool(self.remote_url) and self._same_origin(url, str(self.remote_url))

    def _remote_zaaktype(self, url: str) -> Zaaktype:
        cache: TimedCache[Zaaktype] = self._cache  # type: ignore[attr-defined]
        return cache.get(url, lambda: self._fetch_zaaktype(url))

    def _get(self, url: str) -> dict[str, Any] | None:
        assert self.fetch is not None
        return self.fetch(url)

    def _fetch_zaaktype(self, url: str) -> Zaaktype:
        body = self._get(url)
        if body is None:
            raise InvalidCase("zaaktype", "bad-url", "There is no zaaktype at this URL.")
        if uuid_in(url, "zaaktypen") is None or "statustypen" not in body or "identificatie" not in body:
            raise InvalidCase("zaaktype", "invalid-resource", "The resource at this URL is not a zaaktype.")
        statustypen = []
        for statustype_url in body.get("statustypen") or []:
            found = self._get(statustype_url)
            if found is not None:
                statustypen.append(found)
        statustypen.sort(key=lambda s: int(s.get("volgnummer") or 0))
        resultaattypen = [r for r in (self._get(u) for u in body.get("resultaattypen") or []) if r is not None]
        roltypen = [r for r in (self._get(u) for u in body.get("roltypen") or []) if r is not None]
        last = len(statustypen) - 1
        omschrijving = str(body.get("omschrijving") or body.get("identificatie"))
        return Zaaktype(
            id=url, uuid=str(uuid_in(url, "zaaktypen")), identificatie=str(body.get("identificatie")),
            omschrijving=omschrijving[:80],
            doorlooptijd_days=duration_days(str(body.get("doorlooptijd") or "")) or 0, servicenorm_days=None,
            names={"nl": omschrijving},
            statustypen=tuple(Statustype(
                uuid=str(uuid_in(str(s.get("url")), "statustypen")), volgnummer=int(s.get("volgnummer") or 0),
                omschrijving=str(s.get("omschrijving") or ""),
                statustekst={"nl": str(s.get("statustekst") or s.get("omschrijving") or "")},
                is_eindstatus=bool(s.get("isEindstatus", index == last))) for index, s in enumerate(statustypen)),
            resultaattypen=tuple(Resultaattype(
                uuid=str(uuid_in(str(r.get("url")), "resultaattypen")), omschrijving=str(r.get("omschrijving") or ""),
                archiefnominatie=r.get("archiefnominatie") or None,
                archiefactietermijn_days=duration_days(str(r.get("archiefactietermijn") or "")))
                for r in resultaattypen),
            roltypen=tuple(Roltype(uuid=str(uuid_in(str(r.get("url")), "roltypen")),
                                   omschrijving=str(r.get("omschrijving") or ""),
                                   omschrijving_generiek=str(r.get("omschrijvingGeneriek") or ""))
                           for r in roltypen),
            vertrouwelijkheidaanduiding=str(body.get("vertrouwelijkheidaanduiding") or "zaakvertrouwelijk"),
            concept=bool(body.get("concept", False)),
            producten_of_diensten=tuple(body.get("productenOfDiensten") or ()),
            catalogus_url=self.remote_url)


def http_fetch(get: Callable[[str, float], Any], timeout: float = 5.0) -> Fetch:
    """A ``Fetch`` on a ``requests``-like ``get(url, timeout=...)`` (the session carries the JWT)."""

    def fetch(url: str) -> dict[str, Any] | None:
        started = time.monotonic()
        try:
            response = get(url, timeout)
        except Exception as error:  # requests' errors: connection refused, timeout, ...
            log.warning("catalogi_unavailable", extra={"error": type(error).__name__})
            raise CatalogiUnavailable(type(error).__name__) from None
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            log.warning("catalogi_error", extra={"status": response.status_code,
                                                 "ms": round((time.monotonic() - started) * 1000)})
            if response.status_code >= 500:
                raise CatalogiUnavailable(str(response.status_code))
            return None
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    return fetch
