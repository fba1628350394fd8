"""The tablet's address for the central service: a loopback one is the tablet itself, never the service."""

from __future__ import annotations

import pytest

from robot_host.naoqi_adapter import is_loopback_url, local_address_towards


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000", "https://[::1]/",
                                 "http://127.1.2.3", "http://app.localhost:8000"])
def test_loopback_addresses_are_recognised(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize("url", ["http://192.168.1.10:8000", "https://gastvrij.test", "http://10.0.0.5"])
def test_a_lan_address_or_a_name_only_the_tablet_s_network_knows_is_accepted(url: str) -> None:
    assert not is_loopback_url(url)


def test_the_callback_address_towards_a_local_robot_is_loopback() -> None:
    assert local_address_towards("tcp://127.0.0.1:9559") == "127.0.0.1"
