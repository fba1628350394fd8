"""The offline badge follows the client's ``online`` state, delivered through the scheduler."""

from __future__ import annotations

from kiosk_app.viewmodels import ConnectionViewModel, WalkInViewModel


def test_the_badge_shows_offline_when_the_server_cannot_be_reached(client, language, worker, central):
    delivered = []
    badge = ConnectionViewModel(client, schedule=lambda call: (delivered.append(call), call()))
    assert badge.online
    model = WalkInViewModel(client, "ijsselmonde", language, worker)
    central.stop()
    model.draw("paspoort")
    assert not badge.online
    assert delivered  # the change came through the scheduler, as Kivy's Clock will deliver it
    badge.close()
