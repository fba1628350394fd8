"""The scenario driver: one visitor's visit, acted out over qi through ``GastvrijSimulator``, with
pauses a person would take. For the demo and for watching the robot host by eye, not for tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import qi

from .pepper import CONTROL_SERVICE, SimulatedPepper

STEPS: tuple[tuple[str, str, tuple[object, ...], float], ...] = (
    ("a person enters", "personEnters", (1,), 4.0),
    ("says 'paspoort'", "hear", ("paspoort", 0.8), 5.0),
    ("taps 'where is desk 2'", "tap", ("place:balie-2",), 5.0),
    ("steps back", "personStepsBack", (1,), 2.0),
    ("is out of view", "personLeaves", (1,), 2.0),
    ("the battery drops to 15%", "setBattery", (15,), 2.0),
    ("the battery is charged to 80%", "setBattery", (80,), 2.0),
)


def run_scenario(pepper: SimulatedPepper, report: Callable[[str], object], pace: float = 1.0,
                 wait_for_host: float = 60.0) -> None:
    """Once a robot host has taken the robot over (Autonomous Life disabled, people perceived; or
    after ``wait_for_host`` seconds), play ``STEPS`` against ``pepper``, then restart it; report each
    step and the calls it caused."""
    deadline = time.monotonic() + wait_for_host
    while not (pepper.life.state == "disabled" and pepper.people.perceiving()) and time.monotonic() < deadline:
        time.sleep(0.1)
    session = qi.Session()
    session.connect(pepper.url)
    control = session.service(CONTROL_SERVICE)
    seen = 0
    for what, method, args, pause in STEPS:
        report(f"-- {what}")
        getattr(control, method)(*args)
        time.sleep(pause * pace)
        calls = json.loads(control.calls())
        for _, service, name, call_args in calls[seen:]:
            report(f"   {service}.{name}({', '.join(map(repr, call_args))})")
        seen = len(calls)
    session.close()
    report("-- the robot restarts")
    pepper.restart()
