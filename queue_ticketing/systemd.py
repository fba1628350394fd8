"""systemd's notify protocol without a library (``sd_notify(3)``): a service started with
``Type=notify`` says READY=1 once it does its work, and WATCHDOG=1 from its main loop, so a hung
process is restarted by ``WatchdogSec`` in its unit. The kiosk and the central service both use it."""

from __future__ import annotations

import os
import socket


def notify(state: str) -> bool:
    """Send ``state`` to $NOTIFY_SOCKET; False when not run by systemd (nothing to tell)."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(address)
            sock.sendall(state.encode())
        except OSError:
            return False
    return True


def watchdog_interval() -> float | None:
    """Half the unit's WatchdogSec, in seconds, when systemd watches this process; else None."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2_000_000
