"""``python -m robot_host.sim --listen tcp://127.0.0.1:9559 [--scenario]``: a simulated Pepper."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

import qi
import qi.logging

from .pepper import SimulatedPepper
from .scenario import run_scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m robot_host.sim", description=__doc__)
    parser.add_argument("--listen", default="tcp://127.0.0.1:9559", help="qi address to listen on")
    parser.add_argument("--seconds-per-character", type=float, default=0.02,
                        help="how long simulated speech takes per character (default 0.02)")
    parser.add_argument("--scenario", action="store_true",
                        help="run the visitor scenario (enters, says 'paspoort', taps, leaves, battery drops, "
                             "restart) against this robot and print the call log")
    args = parser.parse_args(argv)
    qi.logging.setLevel(qi.logging.WARNING)  # libqi's own info lines are not ours to print
    pepper = SimulatedPepper(args.listen, args.seconds_per_character).start()
    print(f"simulated Pepper listening on {pepper.url}", flush=True)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    if args.scenario:
        run_scenario(pepper, print)
    stopping.wait()
    pepper.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
