"""Deployment settings, from GASTVRIJ_* environment variables or command-line flags."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .domain.identity import SessionPolicy
from .services.accounts import Lockout
from .store.database import DEFAULT_SQLITE_PATH, sqlite_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GASTVRIJ_", extra="ignore")

    database_url: str = Field(default_factory=lambda: sqlite_url(DEFAULT_SQLITE_PATH),
                              description="SQLAlchemy URL; default a SQLite file under var/")
    config_dir: Path | None = Field(default=None, description="Location configuration folder")
    public_url: str | None = Field(default=None,
                                   description="Base URL printed in QR codes; default the request's own")
    trusted_hosts: str = Field(default="", description=(
        "Comma-separated host names the service answers under (*.example.org, * for any); "
        "default this machine's loopback names and the public URL's host"))
    sse_heartbeat_seconds: float = 15.0
    sse_max_per_client: int = Field(default=100, ge=1, description="Open event streams per client address")
    sse_max_total: int = Field(default=2000, ge=1, description="Open event streams of this process")
    call_debounce_seconds: float = 2.0
    max_body_bytes: int = 64 * 1024
    max_header_bytes: int = Field(default=16 * 1024, ge=1024,
                                  description="Request line and headers together; more gets 431")
    header_timeout_seconds: float = Field(default=10.0, gt=0,
                                          description="A request's head must arrive within this; else 408")
    body_timeout_seconds: float = Field(default=30.0, gt=0,
                                        description="A request's body must arrive within this after its head")
    api_docs: bool = Field(default=False, description="Serve /docs, /redoc and /zaken/api/v1/schema")
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
    auth_cache_seconds: float = Field(default=5.0, gt=0, le=60, description=(
        "How long a good token or staff session is remembered per process: the longest a revoked "
        "token or an ended session still works on another server process"))
    session_idle_minutes: float = Field(default=120, gt=0, description="A staff session ends after this long unused")
    session_hours: float = Field(default=12, gt=0, description="A staff session ends this long after sign-in")
    metrics_port: int | None = Field(default=None, ge=1, le=65535, description=(
        "Serve /metrics on this loopback port (127.0.0.1) to anyone there, and not on the main port; "
        "unset: /metrics on the main port for an ops or admin token"))
    forwarded_allow_ips: str = Field(default="127.0.0.1,::1",
                                     description="Proxies whose X-Forwarded-Proto/-For are believed "
                                                 "(comma-separated addresses or networks)")
    housekeeping: bool = Field(default=True,
                               description="Forget expired data hourly inside this process; off when a "
                                           "timer runs `python -m queue_ticketing housekeeping` instead")
    manager_session_idle_minutes: float = Field(default=30, gt=0, description="A manager's session: idle limit")
    manager_session_hours: float = Field(default=10, gt=0, description="A manager's session: absolute limit")
    admin_session_idle_minutes: float = Field(default=15, gt=0, description="An admin's session: idle limit")
    admin_session_hours: float = Field(default=8, gt=0, description="An admin's session: absolute limit")
    sign_in_attempts: int = Field(default=5, ge=1, description=(
        "Failed sign-ins in a row after which a local account is locked"))
    sign_in_lock_minutes: float = Field(default=15, gt=0, description=(
        "How long the first lock lasts; each further failure doubles it (at most a day)"))
    oidc_issuer: str | None = Field(default=None, description=(
        "The city's OpenID provider (its /.well-known/openid-configuration is read); unset: local accounts only"))
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_roles_claim: str = Field(default="roles", description=(
        "The ID token claim listing a person's roles: host:LOC, desk:LOC, manager:LOC or admin"))
    audit_retention_days: int = Field(default=730, ge=1, description="Audit records older than this are deleted")
    log_level: str = "INFO"
    push_contact: str | None = Field(default=None, description=(
        "Who push services may contact about this service's pushes (VAPID 'sub': mailto: or https:); "
        "default the public URL when it is https"))
    push_allow_http_loopback: bool = Field(default=False, description=(
        "Accept push endpoints at http://127.0.0.1 (tests only; real push services are https)"))

    def push_sender_contact(self) -> str:
        if self.push_contact:
            return self.push_contact
        if self.public_url and self.public_url.startswith("https://"):
            return self.public_url
        return "mailto:gastvrij@localhost"

    def trusted_host_names(self) -> list[str]:
        return [name.strip() for name in self.trusted_hosts.split(",") if name.strip()]

    def session_policy(self) -> SessionPolicy:
        return SessionPolicy(idle=timedelta(minutes=self.session_idle_minutes),
                             absolute=timedelta(hours=self.session_hours))

    def role_session_policies(self) -> dict[str, SessionPolicy]:
        """The roles that can do the most sign in for shorter."""
        return {
            "manager": SessionPolicy(idle=timedelta(minutes=self.manager_session_idle_minutes),
                                     absolute=timedelta(hours=self.manager_session_hours)),
            "admin": SessionPolicy(idle=timedelta(minutes=self.admin_session_idle_minutes),
                                   absolute=timedelta(hours=self.admin_session_hours)),
        }

    def lockout(self) -> Lockout:
        return Lockout(attempts=self.sign_in_attempts, minutes=self.sign_in_lock_minutes)
