"""A simulated Pepper: a real libqi standalone session with NAOqi-named services (see ``pepper.py``),
for tests and the demo. ``python -m robot_host.sim --listen tcp://127.0.0.1:9559``."""

from .pepper import CONTROL_SERVICE, SimulatedPepper

__all__ = ["CONTROL_SERVICE", "SimulatedPepper"]
