"""The touch kiosk at the door of a service centre: view-models (plain Python on Kivy properties,
testable without a window), ticket printing, and, next, the Kivy screens."""

import os

# Kivy parses sys.argv, logs to the console and takes over the root logger on import unless told
# not to; the kiosk has its own command line and structured logs. Set before any ``import kivy``.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
# SDL turns SIGTERM and SIGINT into a window-close request, which a kiosk refuses: systemd could not stop
# it. The kiosk handles those signals itself (``kiosk_app.__main__``).
os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
