"""Health: is the service up and its database reachable?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..dependencies import Ctx

router = APIRouter(tags=["operations"])


@router.get("/health")
def health_route(ctx: Ctx) -> JSONResponse:
    """``{"status": "ok"}``; 503 with ``{"status": "unavailable"}`` when the database is unreachable."""
    try:
        ctx.db.ping()
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "sqlite" if ctx.db.is_sqlite else "postgresql",
                         "locations": sorted(ctx.locations), "time": ctx.now().isoformat()})
