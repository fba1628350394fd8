"""A URL in a request body or query → the thing it names, with ZGW's errors (400 ``bad-url``,
``does_not_exist``)."""

from __future__ import annotations

from ...domain.cases import InvalidCase, Zaak
from ...services.cases import CaseStore
from ...services.catalogi import uuid_in


def uuid_of(url: str, kind: str, field: str) -> str:
    """The uuid at the end of ``.../{kind}/{uuid}`` (any host: proxies differ), else 400 ``bad-url``."""
    found = uuid_in(url, kind)
    if found is None:
        raise InvalidCase(field, "bad-url", f"Expected the URL of one of the {kind}.")
    return found


def zaak_at(store: CaseStore, url: str, field: str = "zaak") -> Zaak:
    zaak = store.get(uuid_of(url, "zaken", field))
    if zaak is None:
        raise InvalidCase(field, "does_not_exist", "There is no such case.")
    return zaak


def query_uuid(url: str | None, kind: str) -> str | None:
    """A filter's URL as a uuid; a URL that names nothing of ``kind`` matches nothing (ZGW: empty list)."""
    if url is None:
        return None
    return uuid_in(url, kind) or "-"
