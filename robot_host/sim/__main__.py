"""``python -m robot_host.sim --listen tcp://127.0.0.1:9559 [--scenario]``: a simulated Pepper, as
strict as a NAOqi 2.5 robot reached from pip ``qi`` unless told otherwise."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

import qi
import qi.logging

from .naoqi_services import ALL_LANGUAGES, Strictness
from .pepper import SimulatedPepper
from .scenario import run_scenario


def _tablet_host(text: str) -> tuple[str, str]:
    name, _, base = text.partition("=")
    if not name or not base.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected NAME=http://ADDRESS:PORT, got {text!r}")
    return name, base


def _languages(text: str) -> tuple[str, ...]:
    languages = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [language for language in languages if language not in ALL_LANGUAGES]
    if unknown or not languages:
        raise argparse.ArgumentTypeError(f"languages are among {', '.join(ALL_LANGUAGES)}; got {text!r}")
    return languages


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m robot_host.sim", description=__doc__)
    parser.add_argument("--listen", default="tcp://127.0.0.1:9559", help="qi address to listen on")
    parser.add_argument("--seconds-per-character", type=float, default=0.02,
                        help="how long simulated speech takes per character (default 0.02)")
    parser.add_argument("--languages", type=_languages, default=Strictness().languages,
                        help="installed language packs, comma-separated (default: English,Dutch)")
    parser.add_argument("--tablet-host", type=_tablet_host, action="append", default=[], metavar="NAME=URL",
                        help="a host name the tablet's Wi-Fi reaches and the address that serves it "
                             "(e.g. gastvrij.test=http://127.0.0.1:8000); nothing else is reachable")
    parser.add_argument("--no-tablet", action="store_true", help="a robot whose tablet service is missing")
    parser.add_argument("--subscriber-works", action="store_true",
                        help="ALMemory.subscriber works (NAOqi 2.7+); by default it fails with 'Invalid signature'")
    parser.add_argument("--callbacks-unreachable", action="store_true",
                        help="subscribeToEvent never calls the client back (a client the robot cannot reach)")
    parser.add_argument("--scenario", action="store_true",
                        help="run the visitor scenario (enters, says 'paspoort', taps, leaves, battery drops, "
                             "restart) against this robot and print the call log")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    qi.logging.setLevel(qi.logging.WARNING)  # libqi's own info lines are not ours to print
    strictness = Strictness(subscriber_fails=not args.subscriber_works,
                            callbacks_reach_client=not args.callbacks_unreachable, languages=args.languages,
                            tablet_hosts=dict(args.tablet_host), tablet=not args.no_tablet)
    pepper = SimulatedPepper(args.listen, args.seconds_per_character, strictness).start()
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
