"""The FastAPI application of the central service, and its composition root: the one module of
``api/`` that touches the store (the database, its migrations), wiring it, the event bus and the
housekeeper to the services; routes reach the database only through the services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import anyio.to_thread
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from location_config import Location, load_all

from ..domain.clock import Clock, system_clock
from ..events.bus import EventBus
from ..events.postgres_listener import PostgresListener
from ..push_sender import WebPushSender, generate_vapid_keys
from ..services.auth import Authenticator
from ..services.context import ServiceContext
from ..services.housekeeping import Housekeeper
from ..services.oidc import OidcClient, OidcConfig
from ..services.push import ensure_vapid_keys
from ..services.push_notifier import PushNotifier
from ..settings import Settings
from ..store.database import WRITER_THREADS, Database
from ..store.migrations import upgrade
from ..web import FORM_PATHS
from ..web import install as install_web_screens
from ..web.languages import gettext_for
from . import problems
from .cases import install as install_cases
from .metrics import LoopbackMetrics, QueueCollector
from .metrics import router as metrics_router
from .middleware import BodyLimit, Observability, RequestEdge, SecurityHeaders, TrustedHosts
from .routes import (
    appointments,
    assist,
    audit,
    devices,
    events,
    health,
    offline,
    push,
    reports,
    ticket_timeline,
    tickets,
)
from .routes import locations as location_routes

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock,
               locations: dict[str, Location] | None = None, migrate: bool = True) -> FastAPI:
    settings = settings or Settings()
    db = Database(settings.database_url)
    if migrate:
        upgrade(db)
    ctx = ServiceContext(db=db, locations=locations if locations is not None else load_all(settings.config_dir),
                         clock=clock, call_debounce=timedelta(seconds=settings.call_debounce_seconds))
    bus = EventBus(db, max_per_client=settings.sse_max_per_client, max_total=settings.sse_max_total)
    db.after_commit.append(bus.committed)
    listener = None if db.is_sqlite else PostgresListener(db.url, bus)
    housekeeper = Housekeeper(ctx.group_commit, clock,
                              audit_retention=timedelta(days=settings.audit_retention_days))
    registry = CollectorRegistry()
    registry.register(QueueCollector(ctx, bus))
    loopback_metrics = LoopbackMetrics(registry, settings.metrics_port) if settings.metrics_port else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        bus.start(asyncio.get_running_loop())
        if not db.is_sqlite:
            anyio.to_thread.current_default_thread_limiter().total_tokens = WRITER_THREADS
        if listener is not None:
            listener.start()
        if settings.housekeeping:
            housekeeper.start()
        if loopback_metrics is not None:
            loopback_metrics.start()
        vapid = await ctx.write(lambda uow: ensure_vapid_keys(uow, generate_vapid_keys))
        notifier = PushNotifier(ctx, bus, WebPushSender(vapid[0], settings.push_sender_contact()), gettext_for)
        app.state.push_notifier = notifier
        notifier.start()
        yield
        await notifier.stop()
        if loopback_metrics is not None:
            loopback_metrics.stop()
        await housekeeper.stop()
        bus.close()
        if listener is not None:
            listener.stop()
        db.dispose()

    app = FastAPI(
        title="Gastvrij central ticket and case service",
        version="1.0",
        description="Queues, tickets, desks, appointments, assist requests and live events for city service "
                    "centres. Errors are application/problem+json with a stable `code`.",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    app.state.settings = settings
    app.state.ctx = ctx
    app.state.bus = bus
    app.state.db = db
    app.state.registry = registry
    app.state.authenticator = Authenticator(db, ctx.group_commit, clock, settings.session_policy(),
                                            cache_seconds=settings.auth_cache_seconds,
                                            by_role=settings.role_session_policies(), lockout=settings.lockout())
    app.state.housekeeper = housekeeper
    app.state.oidc = (OidcClient(OidcConfig(settings.oidc_issuer, settings.oidc_client_id,
                                            settings.oidc_client_secret, settings.oidc_roles_claim))
                      if settings.oidc_issuer and settings.oidc_client_id else None)
    problems.install(app)
    # push before tickets: its /tickets/{id}/push-subscriptions would otherwise be taken for an action
    for module in (health, location_routes, push, ticket_timeline, tickets, appointments, assist, devices, events):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(offline.router, prefix=API_PREFIX)
    install_cases(app, ctx, settings, API_PREFIX)  # cases (ZGW Zaken API, kiosk look-up, reactions)
    app.include_router(reports.router, prefix=API_PREFIX)
    app.include_router(audit.router, prefix=API_PREFIX)
    if loopback_metrics is None:
        app.include_router(metrics_router)
    install_web_screens(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, form_paths=FORM_PATHS)
    app.add_middleware(RequestEdge, trusted_hosts=TrustedHosts.of(settings.trusted_host_names(), settings.public_url),
                       max_header_bytes=settings.max_header_bytes)
    app.add_middleware(Observability, registry=registry, access_log=settings.access_log)
    app.add_middleware(SecurityHeaders)
    return app
