"""A kiosk process for the kill -9 test: opens the outbox, drains it once, prints the report.

    python -m tests.client.kiosk_process --server URL --token TOKEN --outbox PATH --now ISO-TIME
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from queue_ticketing.client import Client
from queue_ticketing.domain.clock import FixedClock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.client.kiosk_process", description=__doc__)
    parser.add_argument("--server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--now", required=True, help="the kiosk's clock, fixed (ISO 8601 with offset)")
    args = parser.parse_args(argv)
    with Client(args.server, args.token, args.outbox, clock=FixedClock(datetime.fromisoformat(args.now)),
                background=False) as client:
        print("syncing", flush=True)
        report = client.sync()
    print(json.dumps({"replayed": report.replayed, "rejected": report.rejected, "remaining": report.remaining,
                      "stopped": report.stopped}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
