"""Robot host latency on loopback: a person detected → the first speech call, and the word
"paspoort" heard → the ticket number spoken (targets: under 200 ms and under 1 s).

Runs the central service, the simulated Pepper and ``python -m robot_host`` as child processes,
plays ``--visits`` visits through the simulator's control service, and reads both times from the
simulator's call log (one process, one monotonic clock).

    .venv/bin/python -m bench.robot_latency --visits 30
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import qi

from bench.harness import ROOT, BenchDatabase, ServerProcess, create_token, free_port, latency_summary, workdir
from robot_host.sim import CONTROL_SERVICE

GREETING = "welkom bij"
NUMBER = "Uw nummer is"


def _wait(condition: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.005)
    return value


def _control(url: str, seconds: float = 30) -> tuple[Any, Any]:
    def connect() -> Any:
        session = qi.Session()
        try:
            session.connect(url)
            return session, session.service(CONTROL_SERVICE)
        except RuntimeError:
            session.close()
            return None
    return _wait(connect, seconds, "the simulated Pepper")


def _after(calls: list[list[Any]], start: float, method: str, fragment: str) -> float | None:
    return next((c[0] for c in calls if c[0] >= start and c[2] == method and fragment in c[3][0]), None)


def run(visits: int, folder: Path) -> dict[str, Any]:
    with BenchDatabase("sqlite", folder) as db:
        server = ServerProcess(db.url, folder / "server.log").start()
        token = create_token(db.url, "robot", "robot-bench")
        qi_url = f"tcp://127.0.0.1:{free_port()}"
        logs = (folder / "sim.log").open("ab"), (folder / "robot.log").open("ab")
        # The strict simulated Pepper; its tablet reaches the service by name, as on a robot's Wi-Fi.
        sim = subprocess.Popen([sys.executable, "-m", "robot_host.sim", "--listen", qi_url,
                                "--seconds-per-character", "0", "--tablet-host", f"gastvrij-bench.test={server.url}"],
                               cwd=ROOT, stdout=logs[0], stderr=logs[0])
        session, control = _control(qi_url)
        robot = subprocess.Popen([sys.executable, "-m", "robot_host", "--qi-url", qi_url, "--server", server.url,
                                  "--tablet-url", "http://gastvrij-bench.test"],
                                 env={**os.environ, "GASTVRIJ_TOKEN": token},  # a token may start with "-"
                                 cwd=ROOT, stdout=logs[1], stderr=logs[1])
        greet, number = [], []
        try:
            _wait(lambda: json.loads(control.settings())["engagement_zones"], 30, "the robot host to connect")
            for visit in range(1, visits + 1):
                control.personEnters(visit)
                entered = max(c[0] for c in json.loads(control.calls()) if c[2] == "personEnters")
                said = _wait(lambda e=entered: _after(json.loads(control.calls()), e, "say", GREETING), 10, "greeting")
                greet.append(said - entered)
                _wait(lambda: control.hear("paspoort", 0.9), 10, "the robot to listen")
                heard = max(c[0] for c in json.loads(control.calls()) if c[2] == "hear")
                spoken = _wait(lambda h=heard: _after(json.loads(control.calls()), h, "say", NUMBER), 10, "number")
                number.append(spoken - heard)
                control.personLeaves(visit)
                _wait(lambda: not json.loads(control.settings())["asr_subscribers"], 10, "the robot to stop listening")
        finally:
            session.close()
            for process in (robot, sim):
                process.terminate()
                process.wait(timeout=15)
            server.stop()
            for log in logs:
                log.close()
    return {"visits": visits, "person_detected_to_first_speech": latency_summary(greet),
            "utterance_to_ticket_number_spoken": latency_summary(number), "targets_ms": [200, 1000]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.robot_latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the work folder with the logs")
    args = parser.parse_args(argv)
    with workdir(args.keep) as folder:
        print(json.dumps(run(args.visits, folder), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
