"""``python -m kiosk_app --location ijsselmonde --server URL --token T``: the kiosk, full screen in
kiosk mode (no cursor, no exit by Escape or by closing, one touch at a time), or ``--windowed`` for
development. The token and server may also come from GASTVRIJ_TOKEN and GASTVRIJ_SERVER."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from queue_ticketing import structured_logging

from .x_screen import x_screen_size


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kiosk_app", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--location", required=True, help="the location id, e.g. ijsselmonde (location_config)")
    p.add_argument("--server", default=os.environ.get("GASTVRIJ_SERVER"),
                   help="the central service's base URL (default: $GASTVRIJ_SERVER)")
    p.add_argument("--token", default=os.environ.get("GASTVRIJ_TOKEN"),
                   help="this kiosk's device token, role kiosk (default: $GASTVRIJ_TOKEN)")
    p.add_argument("--device", default="kiosk-1", help="this kiosk's device id in the location's configuration "
                   "(its printer setting is used); default kiosk-1")
    p.add_argument("--windowed", action="store_true",
                   help="a 1280x800 window with a cursor that Escape closes, for development")
    p.add_argument("--size", default="1280x800", help="window size with --windowed (default 1280x800)")
    p.add_argument("--camera", default="0",
                   help="camera index, a video file to use as the camera, or 'none' (default 0)")
    p.add_argument("--printer", default=None,
                   help="printer override: tcp://HOST:9100, usb://VID:PID, file:///dev/usb/lp0 or 'none' "
                        "(default: the device's setting)")
    p.add_argument("--outbox", default=None, help="the durable outbox file (default var/kiosk-DEVICE-outbox.sqlite)")
    p.add_argument("--screenshot", default=None, metavar="PNG",
                   help="save a picture of the screen to PNG once it shows (for machines without a screen)")
    p.add_argument("--screenshot-every", type=float, default=0, metavar="SECONDS",
                   help="with --screenshot: save the picture again every SECONDS (the demo on a virtual screen)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.server or not args.token:
        print("The kiosk needs --server and --token (or GASTVRIJ_SERVER and GASTVRIJ_TOKEN).", file=sys.stderr)
        return 2
    structured_logging.configure()
    configure_window(windowed=args.windowed, size=args.size)
    from .startup import build_app

    try:
        app = build_app(location=args.location, server=args.server, token=args.token, device=args.device,
                        camera=args.camera, printer=args.printer, outbox=args.outbox, kiosk_mode=not args.windowed,
                        screenshot=Path(args.screenshot) if args.screenshot else None,
                        screenshot_every=args.screenshot_every)
    except LookupError as error:
        print(str(error), file=sys.stderr)
        return 2
    stop_on_signals(app)
    try:
        app.run()
    finally:
        app.parts.client.close()  # what is still in the outbox stays there for the next start
    return 0


def stop_on_signals(app: object) -> None:
    """SIGTERM (systemd stopping the service) and SIGINT end the kiosk cleanly: camera released, the
    outbox left as it is (it is durable and sent after the next start)."""
    from kivy.clock import Clock

    def stop(_signum: int, _frame: object) -> None:
        Clock.schedule_once(lambda _dt: app.stop(), 0)  # type: ignore[attr-defined]

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def configure_window(windowed: bool, size: str = "1280x800", screen: tuple[int, int] | None = None) -> None:
    """Kivy's window settings; must run before anything imports ``kivy.core.window``. Kiosk mode fills
    ``screen`` (default: the X screen's size, see ``x_screen``) with a borderless window at its corner;
    without an X server (SDL on KMS or native Wayland) it asks SDL for its own full screen."""
    from kivy.config import Config

    width, _, height = size.partition("x")
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red multitouch dots on right click
    Config.set("kivy", "exit_on_escape", "1" if windowed else "0")
    Config.set("graphics", "resizable", "1" if windowed else "0")
    if windowed:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", width or "1280")
        Config.set("graphics", "height", height or "800")
        Config.set("graphics", "show_cursor", "1")
        return
    Config.set("graphics", "borderless", "1")
    Config.set("graphics", "show_cursor", "0")
    screen = screen or x_screen_size()
    if screen is None:
        Config.set("graphics", "fullscreen", "auto")
        return
    Config.set("graphics", "fullscreen", "0")
    Config.set("graphics", "position", "custom")
    Config.set("graphics", "left", "0")
    Config.set("graphics", "top", "0")
    Config.set("graphics", "width", str(screen[0]))
    Config.set("graphics", "height", str(screen[1]))


if __name__ == "__main__":
    sys.exit(main())
