"""Locations: their public configuration and the live queue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from location_config.public import public_view

from ...domain.permissions import permits
from ...services.queue_overview import queue_overview
from ..dependencies import Ctx, LocationDep, OptionalCaller
from ..presenters import queue_out
from ..schemas import QueueOut

router = APIRouter(tags=["locations"])


@router.get("/locations")
def list_locations_route(ctx: Ctx) -> list[dict[str, Any]]:
    """Every location with its public configuration."""
    return [public_view(loc) for loc in ctx.locations.values()]


@router.get("/locations/{location}", responses={404: {}})
def location_route(location: LocationDep) -> dict[str, Any]:
    """Services, desks, opening hours, languages and wayfinding of one location."""
    return public_view(location)


@router.get("/locations/{location}/queue", response_model=QueueOut,
            responses={404: {}})
def queue_route(location: LocationDep, ctx: Ctx, caller: OptionalCaller) -> QueueOut:
    """Waiting per service with estimates, recent calls and desks. Public (what a waiting-room
    display shows); a desk, host or admin token also gets the waiting tickets one by one."""
    detailed = permits(caller, "queue.detail", location.id)
    return queue_out(queue_overview(ctx, location, with_tickets=detailed), detailed)
