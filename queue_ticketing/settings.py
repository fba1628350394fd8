"""Deployment settings, from GASTVRIJ_* environment variables or command-line flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .store.database import DEFAULT_SQLITE_PATH, sqlite_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GASTVRIJ_", extra="ignore")

    database_url: str = Field(default_factory=lambda: sqlite_url(DEFAULT_SQLITE_PATH),
                              description="SQLAlchemy URL; default a SQLite file under var/")
    config_dir: Path | None = Field(default=None, description="Location configuration folder")
    public_url: str | None = Field(default=None,
                                   description="Base URL printed in QR codes; default the request's own")
    sse_heartbeat_seconds: float = 15.0
    call_debounce_seconds: float = 2.0
    max_body_bytes: int = 64 * 1024
    zaken_api_url: str | None = Field(default=None, description="The city's own Zaken API (e.g. Open Zaak): "
                                      "then it is the case store instead of the embedded one")
    catalogi_api_url: str | None = Field(default=None, description="An external Catalogi API whose case types "
                                         "the Zaken API accepts next to zaaktypes.toml")
    referentielijsten_api_url: str | None = Field(default=None, description="A Referentielijsten API whose URLs "
                                                  "in a case (communicatiekanaal, ...) are resolved and checked")
    zgw_client_id: str | None = Field(default=None, description="This service's client id at those ZGW APIs")
    zgw_client_secret: str | None = Field(default=None, repr=False,
                                          description="The secret it signs its JWTs with (never logged)")
    access_log: bool = True
    log_level: str = "INFO"
