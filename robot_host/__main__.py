"""``python -m robot_host --qi-url tcp://ROBOT:9559 --server URL --tablet-url URL --token T --location ijsselmonde``:
the Pepper robot host, until Ctrl-C or SIGTERM (which restore the robot's settings)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

import qi
import qi.logging

from location_config import load_location
from queue_ticketing import structured_logging
from queue_ticketing.client import Client

from .behaviour import initial_state
from .central_service import CentralService
from .host import RobotHost
from .naoqi_adapter import Pepper, is_loopback_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m robot_host", description=__doc__)
    parser.add_argument("--qi-url", default=None,
                        help="NAOqi address, e.g. tcp://192.168.1.20:9559 (default: the robot's qi_url in the "
                             "location's device config)")
    parser.add_argument("--server", default=os.environ.get("GASTVRIJ_SERVER", "http://127.0.0.1:8000"),
                        help="central service base URL (GASTVRIJ_SERVER)")
    parser.add_argument("--token", default=os.environ.get("GASTVRIJ_TOKEN"),
                        help="this robot's device token, role 'robot' (GASTVRIJ_TOKEN)")
    parser.add_argument("--location", default=os.environ.get("GASTVRIJ_LOCATION", "ijsselmonde"))
    parser.add_argument("--config-dir", default=os.environ.get("GASTVRIJ_CONFIG_DIR"),
                        help="location configuration folder (default: the packaged one)")
    parser.add_argument("--device", default=None, help="the robot's device id in the location config")
    parser.add_argument("--outbox", default=None, help="SQLite file for the client's durable outbox")
    parser.add_argument("--tablet-url", default=os.environ.get("GASTVRIJ_TABLET_URL"),
                        help="the central service's address as the robot's tablet reaches it over its own Wi-Fi "
                             "(GASTVRIJ_TABLET_URL; default: the robot's tablet_url in the location's device config, "
                             "else --server); never a loopback address")
    parser.add_argument("--listen-address", default=None,
                        help="where this program listens for the robot's event callbacks, e.g. tcp://192.168.1.10:0 "
                             "(default: this machine's address on the way to the robot)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.token:
        print("A robot token is needed: --token or GASTVRIJ_TOKEN.", file=sys.stderr)
        return 2
    structured_logging.configure()
    qi.logging.setLevel(qi.logging.WARNING)  # libqi's own info lines are not ours to print
    location = load_location(args.location, config_dir=Path(args.config_dir) if args.config_dir else None)
    robots = [d for d in location.devices if d.kind == "robot" and (args.device in (None, d.id))]
    settings = dict(robots[0].settings) if robots else {}
    qi_url = args.qi_url or str(settings.get("qi_url", "tcp://127.0.0.1:9559"))
    server = args.server.rstrip("/")
    tablet_base = str(args.tablet_url or settings.get("tablet_url") or server).rstrip("/")
    if is_loopback_url(tablet_base):
        print(f"The robot's tablet cannot reach {tablet_base}: it is a separate device on its own Wi-Fi, and a "
              "loopback address is the tablet itself. Give the central service's address on the robot's network "
              "with --tablet-url or GASTVRIJ_TABLET_URL (see robot_host/README.md, 'Network').", file=sys.stderr)
        return 2

    def tablet_url(page: str, language: str) -> str:
        return f"{tablet_base}/robot/{location.id}/{page}?lang={language}"

    host = RobotHost(initial_state(location))
    client = Client(server, args.token, args.outbox)
    central = CentralService(client, location.id, host.emit)
    pepper = Pepper(qi_url, host.emit, tablet_url=tablet_url, listen_address=args.listen_address,
                    placement=robots[0].placement if robots else None)
    host.connect(pepper.execute, central.execute)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    host.start()
    pepper.start()
    print(f"robot host for {location.name} on {qi_url}, central service {server}, tablet pages from {tablet_base}",
          flush=True)
    stopping.wait()
    host.stop()
    pepper.close()
    central.close()
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
