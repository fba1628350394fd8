"""Cases in the central service: the Zaken API subset mounted at /zaken/api/v1, and the
kiosk's case look-up and public reactions under /api/v1. ``install`` adds them to the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from location_config.loader import default_config_dir
from location_config.zaaktypes import PACKAGED_ZAAKTYPES, ZAAKTYPES_FILE, load_zaaktypes

from ..services.context import ServiceContext
from ..settings import Settings
from .routes import case_lookups, public_reactions
from .zaken import PREFIX as ZAKEN_PREFIX
from .zaken import create_zaken_app


def install(app: FastAPI, ctx: ServiceContext, settings: Settings, api_prefix: str) -> None:
    configured = Path(settings.config_dir or default_config_dir()) / ZAAKTYPES_FILE
    # A configuration folder made before cases existed has no zaaktypes.toml: use the packaged one.
    catalogue = load_zaaktypes(configured if configured.is_file() else PACKAGED_ZAAKTYPES)
    app.state.zaak_catalogue = catalogue
    for module in (case_lookups, public_reactions):
        app.include_router(module.router, prefix=api_prefix)
    app.mount(ZAKEN_PREFIX, create_zaken_app(ctx, catalogue, settings.public_url, docs=settings.api_docs))
