"""Fixtures of the abuse tests: a Zaken API client and a JWT of it on the live server."""

from __future__ import annotations

import jwt
import pytest

from location_config.zaaktypes import load_zaaktypes
from queue_ticketing.services.zgw_auth import SCOPES, put_client
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.support.live_server import ThreadServer

SECRET = "a-secret-of-at-least-thirty-two-characters"


@pytest.fixture
def zgw_token(settings: Settings, server: ThreadServer) -> str:
    """A JWT of client ``behandelaar``, which has every scope for every zaaktype."""
    db = Database(settings.database_url)
    upgrade(db)
    zaaktypes = list(load_zaaktypes().zaaktypes)
    write_alone(db, server.app.state.ctx.clock,
                lambda uow: put_client(uow, "behandelaar", SECRET, list(SCOPES), None, zaaktypes))
    db.dispose()
    now = server.app.state.ctx.now().timestamp()
    return jwt.encode({"iss": "behandelaar", "client_id": "behandelaar", "iat": int(now)}, SECRET, algorithm="HS256")
