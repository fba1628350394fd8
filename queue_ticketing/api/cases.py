"""Cases in the central service: the Zaken API mounted at /zaken/api/v1, the read-only Catalogi API at
/catalogi/api/v1, and the kiosk's case look-up and public reactions under /api/v1. ``install`` adds
them to the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from location_config.loader import default_config_dir
from location_config.zaaktypes import PACKAGED_ZAAKTYPES, ZAAKTYPES_FILE, load_zaaktypes

from ..services.catalogi import CaseTypes, http_fetch
from ..services.context import ServiceContext
from ..services.zaaksysteem import Zaaksysteem
from ..services.zgw_http import ZgwSession, ZgwUnavailable
from ..settings import Settings
from .catalogi import CATALOGI_PREFIX, create_catalogi_app
from .routes import case_lookups, public_reactions
from .zaken import PREFIX as ZAKEN_PREFIX
from .zaken import create_zaken_app


def zgw_session(settings: Settings) -> ZgwSession | None:
    """This service as a client of other ZGW APIs, when it has an id and secret there."""
    if not (settings.zgw_client_id and settings.zgw_client_secret):
        return None
    return ZgwSession(settings.zgw_client_id, settings.zgw_client_secret)


def case_types(settings: Settings) -> CaseTypes:
    configured = Path(settings.config_dir or default_config_dir()) / ZAAKTYPES_FILE
    # A configuration folder made before cases existed has no zaaktypes.toml: use the packaged one.
    local = load_zaaktypes(configured if configured.is_file() else PACKAGED_ZAAKTYPES)
    session = zgw_session(settings)
    if not settings.catalogi_api_url:
        return CaseTypes(local)  # a Referentielijsten API is only consulted together with an external Catalogi
    if session is None:
        raise SystemExit("GASTVRIJ_CATALOGI_API_URL needs GASTVRIJ_ZGW_CLIENT_ID and GASTVRIJ_ZGW_CLIENT_SECRET.")

    def get(url: str, timeout: float) -> object:
        try:
            return session.get(url, timeout=timeout)
        except ZgwUnavailable as error:
            raise ConnectionError(str(error)) from None

    references = (settings.referentielijsten_api_url,) if settings.referentielijsten_api_url else ()
    return CaseTypes(local, settings.catalogi_api_url.rstrip("/"), http_fetch(get), reference_urls=references)


def zaaksysteem(settings: Settings, types: CaseTypes) -> Zaaksysteem | None:
    """The city's own Zaken API as the case store, when ``GASTVRIJ_ZAKEN_API_URL`` names one."""
    if not settings.zaken_api_url:
        return None
    session = zgw_session(settings)
    if session is None or not settings.catalogi_api_url:
        raise SystemExit("GASTVRIJ_ZAKEN_API_URL needs GASTVRIJ_CATALOGI_API_URL, GASTVRIJ_ZGW_CLIENT_ID and "
                         "GASTVRIJ_ZGW_CLIENT_SECRET.")
    return Zaaksysteem(settings.zaken_api_url, settings.catalogi_api_url, session, types)


def install(app: FastAPI, ctx: ServiceContext, settings: Settings, api_prefix: str) -> None:
    types = case_types(settings)
    app.state.zaak_catalogue = types.local
    app.state.case_types = types
    app.state.zaaksysteem = zaaksysteem(settings, types)
    for module in (case_lookups, public_reactions):
        app.include_router(module.router, prefix=api_prefix)
    app.mount(ZAKEN_PREFIX, create_zaken_app(ctx, types, settings.public_url, docs=settings.api_docs))
    app.mount(CATALOGI_PREFIX, create_catalogi_app(types.local, settings.public_url))
