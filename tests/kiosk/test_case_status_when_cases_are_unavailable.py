"""The kiosk's "status of my case" when the city's zaaksysteem (the case store) does not answer: the
visitor reads that case status is not available right now, and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk_app.viewmodels import CaseStatusViewModel, LanguageViewModel
from kiosk_app.worker import InlineWorker
from queue_ticketing.api.app import create_app
from queue_ticketing.client import Client
from queue_ticketing.domain.clock import FixedClock
from queue_ticketing.settings import Settings
from tests.support.live_server import ThreadServer, free_port


@pytest.fixture
def central(sqlite_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[ThreadServer]:
    """The central service with the city's zaaksysteem as its case store, and that system down."""
    down = f"http://127.0.0.1:{free_port()}"
    settings = Settings(database_url=sqlite_url, access_log=False, zaken_api_url=f"{down}/zaken/api/v1",
                        catalogi_api_url=f"{down}/catalogi/api/v1", zgw_client_id="gastvrij",
                        zgw_client_secret="a-secret-of-at-least-thirty-two-characters")
    live = ThreadServer(create_app(settings, clock=clock)).start()
    yield live
    live.stop()


def test_the_visitor_reads_that_case_status_is_not_available_right_now(client: Client, language: LanguageViewModel,
                                                                       worker: InlineWorker) -> None:
    language.choose("en")
    model = CaseStatusViewModel(client, language, worker)
    model.identificatie, model.postcode, model.huisnummer = "ZAAK-2026-0000000001", "3078AK", "16"
    model.look_up()
    assert model.state == "failed"
    assert model.message == "We cannot look up cases right now. Please try again later or ask a host."
