"""ZGW's ``expand``: ``?expand=zaaktype.catalogus,rollen.zaak`` puts the resources a body points at into
its ``_expand``, each with its own ``_expand`` for the rest of the path.

URLs of this Zaken API are read from the store (only cases the client may read), those of the embedded
Catalogi API from the configured types, those of an external Catalogi API through its cached client;
lists of sub-resources this service does not hold stay empty. At most ``BUDGET`` resources and
``DEPTH`` levels per request: an expansion can never grow without bound."""

from __future__ import annotations

from typing import Any

from ...services import zgw_permissions as permissions
from ...services.cases import CaseStore
from ...services.catalogi import CATALOGI_PREFIX, uuid_in
from ...services.zgw_auth import ZgwClient
from ..catalogi_bodies import RESOURCES
from .presenters import Links, ZaakView, resultaat_out, rol_out, status_out, zaak_out

BUDGET = 200
DEPTH = 5


class Expander:
    def __init__(self, links: Links, store: CaseStore, client: ZgwClient) -> None:
        self.links = links
        self.store = store
        self.client = client
        self.left = BUDGET

    def expand(self, body: dict[str, Any], expand: str | None) -> dict[str, Any]:
        paths = [p.strip().split(".")[:DEPTH] for p in (expand or "").split(",") if p.strip()]
        if paths:
            self._expand(body, paths)
        return body

    def _expand(self, body: dict[str, Any], paths: list[list[str]]) -> None:
        fields: dict[str, list[list[str]]] = {}
        for path in paths:
            fields.setdefault(path[0], [])
            if len(path) > 1:
                fields[path[0]].append(path[1:])
        found: dict[str, Any] = {}
        for field, rest in fields.items():
            value = body.get(field)
            if isinstance(value, list):
                # a list of URLs, or of relations naming one (relevanteAndereZaken: url; a zaaktype's
                # gerelateerdeZaaktypen: zaaktype)
                items = [self._resolve((v.get("url") or v.get("zaaktype")) if isinstance(v, dict) else v)
                         for v in value]
                resolved: Any = [i for i in items if i is not None]
                for item in resolved:
                    if rest:
                        self._expand(item, rest)
            elif isinstance(value, str) and value:
                resolved = self._resolve(value)
                if resolved is not None and rest:
                    self._expand(resolved, rest)
            else:
                resolved = [] if field in ("zaakinformatieobjecten", "zaakobjecten", "eigenschappen") else None
            found[field] = resolved
        body["_expand"] = found

    def _resolve(self, url: Any) -> dict[str, Any] | None:
        if not isinstance(url, str) or self.left <= 0:
            return None
        self.left -= 1
        if url.startswith(self.links.base):
            return self._own(url)
        catalogi = f"{self.links.root}{CATALOGI_PREFIX}"
        if url.startswith(catalogi):
            kind = url.removeprefix(catalogi).strip("/").split("/")[0]
            items = RESOURCES.get(kind)
            if items is None:
                return None
            return next((dict(i) for i in items(catalogi, self.links.types.local) if i["url"] == url), None)
        fetched = self.links.types.fetch_json(url)
        return dict(fetched) if fetched is not None else None

    def _own(self, url: str) -> dict[str, Any] | None:
        store, links = self.store, self.links
        if (zaak_uuid := uuid_in(url, "zaken")) is not None:
            zaak = store.get(zaak_uuid)
            if zaak is None or not permissions.may(self.client, "zaken.lezen", zaak):
                return None
            view = ZaakView(zaak, store.deelzaken_of(zaak.uuid), [r.uuid for r in store.rollen_of(zaak.uuid)])
            return zaak_out(links, view).model_dump(mode="json", exclude={"expand"})
        for kind in ("statussen", "resultaten", "rollen"):
            item_uuid = uuid_in(url, kind)
            if item_uuid is None:
                continue
            item = {"statussen": store.status, "resultaten": store.resultaat, "rollen": store.rol}[kind](item_uuid)
            zaak = store.get(item.zaak) if item is not None else None
            if item is None or zaak is None or not permissions.may(self.client, "zaken.lezen", zaak):
                return None
            zaaktype = links.types.zaaktype(zaak.zaaktype)
            if kind == "statussen":
                return status_out(links, zaaktype, item, zaak.status).model_dump(mode="json")  # type: ignore[arg-type]
            if kind == "resultaten":
                return resultaat_out(links, zaaktype, item).model_dump(mode="json")  # type: ignore[arg-type]
            return rol_out(links, zaaktype, item).model_dump(mode="json")  # type: ignore[arg-type]
        return None
