"""systemd's notify protocol for the kiosk: the one implementation, shared with the central service."""

from queue_ticketing.systemd import notify, watchdog_interval

__all__ = ["notify", "watchdog_interval"]
