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
    access_log: bool = True
    forwarded_allow_ips: str = Field(default="127.0.0.1,::1",
                                     description="Proxies whose X-Forwarded-Proto/-For are believed "
                                                 "(comma-separated addresses or networks)")
    housekeeping: bool = Field(default=True,
                               description="Forget expired data hourly inside this process; off when a "
                                           "timer runs `python -m queue_ticketing housekeeping` instead")
    log_level: str = "INFO"
