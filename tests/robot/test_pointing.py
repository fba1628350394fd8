"""Pointing from where the robot stands and faces: every place of the hall ends up in front of it."""

from __future__ import annotations

import math

import pytest

from location_config import Placement, load_location
from robot_host.pointing import MIN_AHEAD, aim, in_robot_frame

LOCATION = load_location("ijsselmonde")


def _robot_placement() -> Placement:
    placement = next(d.placement for d in LOCATION.devices if d.kind == "robot")
    assert placement is not None
    return placement


PLACEMENT = _robot_placement()
PLACES = {**{d.id: d.position for d in LOCATION.desks}, **{m.id: m.position for m in LOCATION.landmarks}}


def test_the_robot_s_placement_comes_from_the_location_configuration() -> None:
    assert (PLACEMENT.position.x, PLACEMENT.position.y, PLACEMENT.heading) == (3.0, 4.0, 180.0)


@pytest.mark.parametrize(("heading", "target", "seen"), [
    (0, (0.0, 1.0), (1.0, 0.0)),     # facing into the hall: a spot further in is ahead
    (0, (-1.0, 0.0), (0.0, 1.0)),    # ... and one to the hall's left is on the robot's left
    (90, (1.0, 0.0), (1.0, 0.0)),    # facing right
    (180, (0.0, -1.0), (1.0, 0.0)),  # facing the entrance
    (180, (-1.0, 0.0), (0.0, -1.0)),  # ... the hall's left is then on the robot's right
])
def test_a_place_is_seen_in_the_robot_s_own_frame(heading: float, target: tuple[float, float],
                                                   seen: tuple[float, float]) -> None:
    ahead, left = in_robot_frame((0.0, 0.0), heading, target)
    assert (round(ahead, 6), round(left, 6)) == seen


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_place_of_the_hall_is_pointed_at_in_front_of_the_robot(place: str) -> None:
    position = PLACES[place]
    where = aim((PLACEMENT.position.x, PLACEMENT.position.y), PLACEMENT.heading, (position.x, position.y))
    assert where.target[0] >= MIN_AHEAD  # ALTracker.pointAt refuses x <= 0
    # After the turn the arm points where the place really is.
    ahead, left = in_robot_frame((PLACEMENT.position.x, PLACEMENT.position.y),
                                 PLACEMENT.heading + math.degrees(-where.turn), (position.x, position.y))
    assert math.isclose(math.atan2(left, ahead), math.atan2(where.target[1], where.target[0]), abs_tol=1e-6)


def test_a_desk_behind_the_robot_is_turned_to_and_one_in_front_is_not() -> None:
    robot = (PLACEMENT.position.x, PLACEMENT.position.y)
    behind = aim(robot, PLACEMENT.heading, (2.0, 14.0))  # balie-4, deep in the hall; the robot faces the entrance
    assert math.isclose(abs(behind.turn), math.radians(174.3), abs_tol=0.01)
    assert aim(robot, PLACEMENT.heading, (0.0, 0.0)).turn == 0.0  # the exit is ahead
    assert aim(robot, PLACEMENT.heading, (-6.0, 4.0)).turn < 0  # balie-1 is on its right: clockwise
