"""The demo location on one machine: the central service on SQLite, demo tokens and appointments,
simulated visitors and desks so every screen moves, and the robot host on a simulated Pepper acting
out one visit. Runs until Ctrl-C and stops what it started."""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from location_config import load_all

from .domain.clock import system_clock
from .services import appointments
from .services.devices import create_device
from .settings import Settings
from .store.database import Database, sqlite_url
from .store.migrations import upgrade
from .store.unit_of_work import UnitOfWork
from .store.write_batch import write_alone

DEMO_ROLES = ("kiosk", "robot", "display", "desk", "host", "integration", "ops")
SIMULATED_DESKS = 3
"""The location's first desks, where simulated clerks call visitors."""


def seed_demo(settings: Settings, location_id: str, tokens_file: str | Path) -> dict[str, str]:
    """One token per role and a handful of today's appointments; tokens go to ``tokens_file`` (0600).
    The ``desk`` token is made for no desk (it sits at the desk whose page it opens); each simulated
    desk gets a token made for it, under ``desks`` in the file and ``desk:<id>`` in the answer."""
    location = load_all(settings.config_dir)[location_id]
    db = Database(settings.database_url)
    upgrade(db)
    now = system_clock()
    tokens: dict[str, str] = {}
    desk_tokens: dict[str, str] = {}
    codes: list[str] = []

    def seed(uow: UnitOfWork) -> None:
        for role in DEMO_ROLES:
            tokens[role] = create_device(uow, role, location_id, f"demo-{role}").token
        for desk in location.desks[:SIMULATED_DESKS]:
            desk_tokens[desk.id] = create_device(uow, "desk", location_id, f"demo-{desk.id}", desk.id).token
        bookable = [s for s in location.services if s.appointment]
        for minutes in (-10, 0, 5, 20, 45, 90):
            service = bookable[abs(minutes) % len(bookable)]
            booked = appointments.book(uow, location, service.id, now + timedelta(minutes=minutes), "nl", None,
                                       None)
            codes.append(f"{booked.code} ({service.id}, {minutes:+d} min)")

    write_alone(db, lambda: now, seed)
    db.dispose()
    path = Path(tokens_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"location": location_id, "tokens": tokens, "desks": desk_tokens}, indent=2))
    path.chmod(0o600)
    print(f"demo tokens written to {path}")
    print("demo appointment codes: " + ", ".join(codes))
    return tokens | {f"desk:{desk}": token for desk, token in desk_tokens.items()}


class SimulatedLocation:
    """Visitors drawing tickets at the kiosk and clerks calling them, at a demo pace."""

    def __init__(self, base: str, location: str, tokens: dict[str, str], desks: list[str],
                 walk_in: list[str]) -> None:
        self.base = base
        self.location = location
        self.tokens = tokens
        self.desks = desks
        self.walk_in = walk_in
        self.stop = threading.Event()
        self.session = requests.Session()

    def _post(self, path: str, role: str, body: dict[str, object] | None = None) -> None:
        with contextlib.suppress(requests.RequestException):  # the demo goes on while the server restarts
            self.session.post(f"{self.base}/api/v1{path}", json=body, timeout=5,
                              headers={"Authorization": f"Bearer {self.tokens[role]}",
                                       "Idempotency-Key": str(uuid.uuid4())})

    def run(self) -> None:
        rng = random.Random(7)
        next_visitor = 0.0
        next_call = {desk: 5.0 + 6 * i for i, desk in enumerate(self.desks)}
        started = time.monotonic()
        while not self.stop.wait(0.5):
            elapsed = time.monotonic() - started
            if elapsed >= next_visitor:
                service = rng.choice(self.walk_in)
                self._post(f"/locations/{self.location}/tickets", "kiosk",
                           {"service": service, "language": rng.choice(["nl", "nl", "en", "tr", "ar"])})
                next_visitor = elapsed + rng.uniform(4, 10)
            for desk, due in next_call.items():
                if elapsed >= due:
                    self._post(f"/locations/{self.location}/desks/{desk}/call-next", f"desk:{desk}")
                    next_call[desk] = elapsed + rng.uniform(12, 25)


def _wait_for_health(base: str, process: subprocess.Popen[bytes], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(requests.RequestException):  # not listening yet
            if requests.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return True
        time.sleep(0.2)
    return False


DEMO_TABLET_HOST = "gastvrij-demo.test"
"""The central service's name on the simulated robot tablet's network."""
QI_PORT = 9559
"""NAOqi's port: the simulated Pepper listens there unless it is taken (then on a free one)."""


def _qi_port(host: str) -> int:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the listener will: TIME_WAIT is no owner
        try:
            probe.bind((host, QI_PORT))
            return QI_PORT
        except OSError:
            probe.bind((host, 0))
            return int(probe.getsockname()[1])


def start_robot(base: str, host: str, location_id: str, token: str, folder: Path) -> list[subprocess.Popen[bytes]]:
    """The simulated Pepper (acting out one visit once the host listens) and the robot host on it;
    their output goes to ``robot.log``."""
    qi_url = f"tcp://{host}:{_qi_port(host)}"
    log = (folder / "robot.log").open("ab")
    # The simulated tablet is on its own Wi-Fi, as a real one: it reaches the service by this name only.
    tablet = f"http://{DEMO_TABLET_HOST}:{urlsplit(base).port}"
    try:
        simulator = subprocess.Popen([sys.executable, "-m", "robot_host.sim", "--listen", qi_url, "--scenario",
                                      "--languages", "Dutch,English,Turkish,Polish,Arabic",
                                      "--tablet-host", f"{DEMO_TABLET_HOST}={base}"], stdout=log, stderr=log)
        robot = subprocess.Popen([sys.executable, "-m", "robot_host", "--qi-url", qi_url, "--server", base,
                                  "--tablet-url", tablet, "--location", location_id,
                                  "--outbox", str(folder / "robot-outbox.sqlite")],
                                 env={**os.environ, "GASTVRIJ_TOKEN": token}, stdout=log, stderr=log)
    finally:
        log.close()  # the children keep their own handles
    return [simulator, robot]


def start_kiosk(base: str, location_id: str, token: str, folder: Path) -> tuple[list[subprocess.Popen[bytes]], str]:
    """The touch kiosk in a window next to the service; on a machine without a screen (no DISPLAY) on a
    virtual screen (Xvfb), saving a picture of it every few seconds. Returns the processes and a line
    that says where to look."""
    log = (folder / "kiosk.log").open("ab")
    processes: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "GASTVRIJ_TOKEN": token}
    picture = folder / "kiosk-screen.png"
    command = [sys.executable, "-m", "kiosk_app", "--location", location_id, "--server", base, "--windowed",
               "--camera", "0" if Path("/dev/video0").exists() else "none",
               "--printer", f"file://{folder / 'kiosk-printer.escpos'}",
               "--outbox", str(folder / "kiosk-outbox.sqlite")]
    try:
        if os.environ.get("DISPLAY"):
            where = "a window on this screen"
        elif shutil.which("Xvfb"):
            display = _start_xvfb(processes, log)
            if display is None:
                return processes, f"the kiosk could not start: Xvfb did not start (see {folder / 'kiosk.log'})"
            env["DISPLAY"] = display
            command += ["--screenshot", str(picture), "--screenshot-every", "3"]
            where = f"a virtual screen (no DISPLAY here); its picture, renewed every 3 s: {picture}"
        else:
            return processes, "no kiosk: no screen (DISPLAY) and no Xvfb; `make demo` as root installs xvfb"
        processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
    finally:
        log.close()
    return processes, where


def _start_xvfb(processes: list[subprocess.Popen[bytes]], log: Any) -> str | None:
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_end,), stdout=log, stderr=log)
    os.close(write_end)
    processes.append(xvfb)
    ready, _, _ = select.select([read_end], [], [], 15)
    number = os.read(read_end, 64).decode().strip() if ready else ""
    os.close(read_end)
    return f":{number}" if number else None


def run_demo(location_id: str, host: str, port: int, workdir: str) -> int:
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    database = sqlite_url(folder / "gastvrij.sqlite")
    # The simulated tablet reaches the service by its own name: one of the hosts the service answers under.
    env = {**os.environ, "GASTVRIJ_DATABASE_URL": database, "GASTVRIJ_API_DOCS": "true",
           "GASTVRIJ_TRUSTED_HOSTS": f"localhost,127.0.0.1,::1,{DEMO_TABLET_HOST}"}
    base = f"http://{host}:{port}"
    log = (folder / "server.log").open("ab")
    server = subprocess.Popen([sys.executable, "-m", "queue_ticketing", "serve", "--host", host, "--port", str(port)],
                              env=env, stdout=log, stderr=log)
    processes = [server]
    robot: list[subprocess.Popen[bytes]] = []
    simulation: SimulatedLocation | None = None

    def stop_all(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_all)
    try:
        if not _wait_for_health(base, server):
            print(f"The central service did not start; see {folder / 'server.log'}", file=sys.stderr)
            return 1
        tokens = seed_demo(Settings(database_url=database), location_id, folder / "demo-tokens.json")
        location = load_all()[location_id]
        simulation = SimulatedLocation(base, location_id, tokens, [d.id for d in location.desks[:SIMULATED_DESKS]],
                                       [s.id for s in location.services if s.walk_in])
        own_desk = location.desks[min(SIMULATED_DESKS, len(location.desks) - 1)]  # one no simulated clerk uses
        threading.Thread(target=simulation.run, name="simulated-location", daemon=True).start()
        robot = start_robot(base, host, location_id, tokens["robot"], folder)
        processes += robot
        kiosk, kiosk_where = start_kiosk(base, location_id, tokens["kiosk"], folder)
        processes += kiosk
        print(f"""
Gastvrij demo — {location.name}
  all screens           {base}/
  waiting-room display  {base}/display/{location_id}
  hosts' dashboard      {base}/host/{location_id}   (sign in with the "host" token)
  desk page             {base}/desk/{location_id}/{own_desk.id}   (sign in with the "desk" token)
  API documentation     {base}/docs
  health                {base}/api/v1/health
  live queue (JSON)     {base}/api/v1/locations/{location_id}/queue
  live events (SSE)     {base}/api/v1/locations/{location_id}/events
  metrics               {base}/metrics   (with the "ops" token: Authorization: Bearer ...)
  robot's tablet        {base}/robot/{location_id}/menu
  touch kiosk           {kiosk_where}
  kiosk log             {folder / 'kiosk.log'}   (its printed tickets: {folder / 'kiosk-printer.escpos'})
  device tokens         {folder / 'demo-tokens.json'}
  server log            {folder / 'server.log'}
  robot log             {folder / 'robot.log'}   (the simulated Pepper's visit and the robot host)
Simulated visitors draw tickets and three desks call them; the robot host greets one simulated visitor.
Press Ctrl-C to stop everything.""", flush=True)
        robot_running = True
        while server.poll() is None:
            if robot_running and any(p.poll() is not None for p in robot):
                robot_running = False  # the rest of the demo goes on without it
                print(f"The robot host or the simulated Pepper stopped; see {folder / 'robot.log'}", file=sys.stderr)
            time.sleep(0.5)
        print("The central service stopped unexpectedly; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the demo...")
        return 0
    finally:
        if simulation is not None:
            simulation.stop.set()
        for process in reversed(processes):  # one by one, newest first: the kiosk before its Xvfb, the robot host
            # before the simulated Pepper (it restores the robot's settings)
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
