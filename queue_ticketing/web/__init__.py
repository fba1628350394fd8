"""The web screens, served by the central service with no build step: the waiting-room display,
the hosts' dashboard, the desk page, the mobile ticket, the visitor's appointment and the robot's tablet
pages (Jinja2 templates, CSS and small JavaScript modules fed by the location's Server-Sent Events).

``install(app)`` adds them to the FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import (
    appointment_page,
    desk_page,
    display,
    host_dashboard,
    manage,
    mobile_ticket,
    robot_tablet,
    sign_in,
    start_page,
)
from .rendering import STATIC_DIR, STATIC_PREFIX
from .staff_session import FORM_PATHS as STAFF_FORM_PATHS

FORM_PATHS = f"{STAFF_FORM_PATHS}|{appointment_page.FORM_PATH}"
"""The pages that post HTML forms; every other request body is JSON."""


def install(app: FastAPI) -> None:
    for module in (start_page, sign_in, display, host_dashboard, desk_page, manage, mobile_ticket, appointment_page,
                   robot_tablet):
        app.include_router(module.router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
