"""Where the robot points, from where it stands in the hall (pure: no qi).

The hall's frame is the location configuration's: metres, x to the right and y into the hall as
seen from the main entrance. The robot's ``heading`` is the way it faces in degrees clockwise from
"into the hall" (+y): 0 into the hall, 90 to the right, 180 towards the entrance, 270 to the left.

``ALTracker.pointAt(..., FRAME_ROBOT, ...)`` takes a target in the robot's own frame (x forward,
y to its left, z up) and refuses one that is not in front of it; for such a target the robot
first turns its base (``ALMotion.moveTo(0, 0, theta)``, theta counter-clockwise)."""

from __future__ import annotations

import math
from dataclasses import dataclass

POINTING_HEIGHT = 1.0
"""Metres above the floor the arm points at (a desk's counter, a sign)."""
MIN_AHEAD = 0.5
"""A target less than this far ahead is turned to first: the arms cannot point beside or behind."""


@dataclass(frozen=True)
class Aim:
    turn: float
    """Radians to turn the base first, counter-clockwise (0: no turn)."""
    target: tuple[float, float, float]
    """The target in the robot's frame after the turn: x ahead (> 0), y to its left, z up."""


def in_robot_frame(robot: tuple[float, float], heading_degrees: float,
                   target: tuple[float, float]) -> tuple[float, float]:
    """``target`` (hall metres) as the robot standing at ``robot`` facing ``heading`` sees it."""
    dx, dy = target[0] - robot[0], target[1] - robot[1]
    heading = math.radians(heading_degrees)
    ahead = dx * math.sin(heading) + dy * math.cos(heading)
    left = -dx * math.cos(heading) + dy * math.sin(heading)
    return ahead, left


def aim(robot: tuple[float, float], heading_degrees: float, target: tuple[float, float]) -> Aim:
    """How to point at ``target``: turn first when it is not well in front of the robot."""
    ahead, left = in_robot_frame(robot, heading_degrees, target)
    if ahead >= MIN_AHEAD:
        return Aim(0.0, (ahead, left, POINTING_HEIGHT))
    distance = max(math.hypot(ahead, left), MIN_AHEAD)  # a target underfoot: point just ahead after turning
    return Aim(math.atan2(left, ahead) if (ahead, left) != (0.0, 0.0) else 0.0, (distance, 0.0, POINTING_HEIGHT))
