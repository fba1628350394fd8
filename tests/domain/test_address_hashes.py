"""A case initiator's address is kept only as a salted scrypt of postcode and house number, at a cost
that makes trying every address of the city slow (the case tests use a cheaper one: tests/cases/conftest.py)."""

from __future__ import annotations

from queue_ticketing.domain import cases
from queue_ticketing.domain.cases import address_hash, address_matches


def test_an_address_hash_matches_its_own_address_only() -> None:
    stored = address_hash("3078AK", 16)
    assert address_matches(stored, "3078AK", 16)
    assert not address_matches(stored, "3078AK", 18) and not address_matches(stored, "3011AA", 16)
    assert not address_matches(None, "3078AK", 16)
    assert address_hash("3078AK", 16) != stored  # salted: the same address never hashes the same twice


def test_addresses_are_hashed_at_a_cost_of_two_to_the_fourteenth() -> None:
    assert cases._SCRYPT == {"n": 2**14, "r": 8, "p": 1}
