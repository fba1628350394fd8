"""A broken location file is refused with every problem named by file and key path."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from location_config import CallPolicy, CheckInWindow, ConfigError, Placement, Position, Problem, load_all

from .conftest import edited

if TYPE_CHECKING:
    from conftest import ConfigFiles

DESK_3 = """
[[desks]]
id = "balie-3"
number = 3
floor = 0
services = ["paspoort"]
position = { x = 0.0, y = 6.0 }
wayfinding = { nl = "Achterin.", en = "At the back." }
"""


def messages(problems: list[Problem]) -> list[str]:
    return [f"{problem.key_path}: {problem.message}" for problem in problems]


def test_the_test_location_loads_with_services_resolved_from_the_catalogue(config: ConfigFiles) -> None:
    location = config.location()

    assert [service.id for service in location.services] == ["paspoort", "informatie"]
    assert location.services[0] == config.catalogue()["paspoort"]
    assert [desk.services for desk in location.desks] == [("paspoort",), ("informatie", "paspoort")]


def test_a_desk_serving_an_unknown_service_is_named_with_file_and_key_path(config: ConfigFiles) -> None:
    text = config.edited_location(
        'services = ["informatie", "paspoort"]', 'services = ["informatie", "paspoot"]'
    )

    [problem] = config.location_problems(text)

    assert problem.file == str(config.location_file)
    assert problem.key_path == "desks[1].services[1]"
    assert problem.message == (
        "unknown service 'paspoot' on desk 'balie-2'; not in the catalogue; did you mean 'paspoort'?"
    )
    assert str(problem) == f"{config.location_file}: desks[1].services[1]: {problem.message}"


def test_an_unknown_service_offered_by_the_location_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location(
        'services = ["paspoort", "informatie"]', 'services = ["paspoort", "informatie", "rijbewijs"]'
    )

    assert messages(config.location_problems(text)) == [
        "services[2]: unknown service 'rijbewijs'; not in the catalogue"
    ]


def test_a_desk_serving_a_service_the_location_does_not_offer_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('services = ["paspoort"]\n', 'services = ["paspoort", "huwelijk"]\n')

    [problem] = config.location_problems(text)

    assert problem.key_path == "desks[0].services[1]"
    assert "'huwelijk' on desk 'balie-1' is not offered at this location" in problem.message


def test_a_service_offered_but_served_by_no_desk_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('services = ["informatie", "paspoort"]', 'services = ["paspoort"]')

    assert messages(config.location_problems(text)) == [
        "services[1]: service 'informatie' is offered but no desk serves it; add it to a desk's services"
    ]


def test_a_duplicate_desk_id_is_reported(config: ConfigFiles) -> None:
    text = config.location_text + DESK_3.replace('"balie-3"', '"balie-1"')

    assert messages(config.location_problems(text)) == [
        "desks[2].id: desk id 'balie-1' is already used by desks[0]"
    ]


def test_a_duplicate_desk_number_is_reported(config: ConfigFiles) -> None:
    text = config.location_text + DESK_3.replace("number = 3", "number = 2")

    assert messages(config.location_problems(text)) == [
        "desks[2].number: desk number 2 is already used by desks[1]"
    ]


def test_a_location_without_desks_is_refused(config: ConfigFiles) -> None:
    text = "desks = []\n" + config.location_text.split("[[desks]]")[0]

    assert messages(config.location_problems(text)) == ["desks: a location needs at least one desk"]


def test_overlapping_opening_hours_are_reported(config: ConfigFiles) -> None:
    text = config.edited_location('"13:00-17:00"', '"12:00-17:00"')

    assert messages(config.location_problems(text)) == [
        "opening_hours.monday[1]: '12:00-17:00' overlaps '08:30-12:30'"
    ]


def test_opening_hours_that_close_before_they_open_are_reported(config: ConfigFiles) -> None:
    text = config.edited_location('"08:30-20:00"', '"20:00-08:30"')

    assert messages(config.location_problems(text)) == [
        "opening_hours.thursday[0]: '20:00-08:30' closes before it opens"
    ]


@pytest.mark.parametrize("bad", ["8:30-20:00", "08.30-20.00", "08:30 - 20:00", "08:30-24:00", "08:60-20:00"])
def test_a_badly_written_time_range_is_reported(config: ConfigFiles, bad: str) -> None:
    text = config.edited_location('"08:30-20:00"', f'"{bad}"')

    [problem] = config.location_problems(text)

    assert problem.key_path == "opening_hours.thursday[0]"
    assert problem.message.startswith("expected opening hours as HH:MM-HH:MM")


def test_a_time_written_as_a_toml_time_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('thursday = ["08:30-20:00"]', "thursday = [08:30:00]")

    assert messages(config.location_problems(text)) == [
        "opening_hours.thursday[0]: expected text, got a date/time (08:30:00)"
    ]


def test_an_exception_on_an_impossible_date_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('"2026-12-25" = []', '"2026-02-30" = []')

    assert messages(config.location_problems(text)) == [
        'opening_hours.exceptions.2026-02-30: expected a date as YYYY-MM-DD, e.g. "2026-12-25"'
    ]


def test_a_misspelled_weekday_is_an_unknown_key(config: ConfigFiles) -> None:
    text = config.edited_location("thursday =", "thurzday =")

    assert messages(config.location_problems(text)) == [
        "opening_hours.thurzday: unknown key; did you mean 'thursday'?"
    ]


def test_a_wayfinding_text_missing_one_of_the_locations_languages_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location(', en = "On the right of the hall."', "")

    assert messages(config.location_problems(text)) == [
        "desks[1].wayfinding: missing translation for en (required: nl, en)"
    ]


def test_adding_a_language_requires_it_in_every_name_and_wayfinding(config: ConfigFiles) -> None:
    text = config.edited_location('languages = ["nl", "en"]', 'languages = ["nl", "en", "tr"]')

    assert [problem.key_path for problem in config.location_problems(text)] == [
        "desks[0].wayfinding",
        "desks[1].wayfinding",
        "landmarks[0].names",
        "landmarks[0].wayfinding",
    ]


def test_an_unknown_language_code_in_the_locations_languages_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('languages = ["nl", "en"]', 'languages = ["nl", "en", "de"]')

    assert messages(config.location_problems(text)) == [
        "languages[2]: unknown language code 'de' (known: nl, en, tr, pl, ar)"
    ]


def test_a_location_must_speak_dutch(config: ConfigFiles) -> None:
    text = config.edited_location('languages = ["nl", "en"]', 'languages = ["en"]')

    assert "languages: must include 'nl', the language every text falls back to" in messages(
        config.location_problems(text)
    )


def test_an_unknown_call_policy_criterion_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('"longest_wait"]', '"longest_wiat"]')

    assert messages(config.location_problems(text)) == [
        "call_policy.order[3]: unknown criterion 'longest_wiat' "
        "(known: appointment_due, priority, norm_urgency, service_order, longest_wait); did you mean 'longest_wait'?"
    ]


def test_a_location_may_queue_a_visit_s_next_service_by_arrival(config: ConfigFiles) -> None:
    text = config.edited_location("appointment_due_before_minutes = 5\n",
                                  'appointment_due_before_minutes = 5\nnext_service_queued_by = "arrival"\n')

    policy = config.location(text).call_policy

    assert (policy.next_service_queued_by, policy.next_service_by_arrival) == ("arrival", True)


def test_the_next_service_is_queued_by_the_end_of_the_previous_one_unless_said_otherwise(
        config: ConfigFiles) -> None:
    assert config.location().call_policy.next_service_queued_by == "previous_end"


def test_an_unknown_place_for_a_visit_s_next_service_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location("appointment_due_before_minutes = 5\n",
                                  'appointment_due_before_minutes = 5\nnext_service_queued_by = "arival"\n')

    assert messages(config.location_problems(text)) == [
        "call_policy.next_service_queued_by: must be one of previous_end, arrival, got 'arival'; "
        "did you mean 'arrival'?"
    ]


def test_call_policy_and_check_in_keep_their_defaults_when_left_out(config: ConfigFiles) -> None:
    text = config.edited_location(
        '[call_policy]\norder = ["appointment_due", "priority", "service_order", "longest_wait"]\n'
        "appointment_due_before_minutes = 5\n\n[check_in]\nearly_minutes = 30\nlate_minutes = 15\n",
        "",
    )

    location = config.location(text)

    assert (replace(location.call_policy, norm_minutes={}), location.check_in) == (CallPolicy(), CheckInWindow())


def test_the_call_policy_knows_each_offered_services_norm_from_the_catalogue(config: ConfigFiles) -> None:
    location = config.location()

    assert location.call_policy.norm_minutes == {s.id: float(s.norm_minutes) for s in location.services}


def test_a_long_overdue_share_outside_its_range_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location("appointment_due_before_minutes = 5\n",
                                  "appointment_due_before_minutes = 5\nlong_overdue_share = 0\n")

    assert messages(config.location_problems(text)) == [
        "call_policy.long_overdue_share: must be between 0.1 and 10 (times the norm), got 0.0"
    ]


def test_a_misspelled_key_is_an_error_not_ignored(config: ConfigFiles) -> None:
    text = config.edited_location('services = ["paspoort"]\n', 'servces = ["paspoort"]\n')

    assert messages(config.location_problems(text)) == [
        "desks[0].services: missing required key",
        "desks[0].servces: unknown key; did you mean 'services'?",
    ]


def test_an_unknown_top_level_key_is_reported(config: ConfigFiles) -> None:
    text = 'opening_time = "08:30"\n' + config.location_text

    assert messages(config.location_problems(text)) == [
        "opening_time: unknown key; did you mean 'opening_hours'?"
    ]


def test_a_value_of_the_wrong_type_says_what_was_found(config: ConfigFiles) -> None:
    text = config.edited_location("number = 2", 'number = "2"')

    assert messages(config.location_problems(text)) == [
        "desks[1].number: expected a whole number, got text ('2')"
    ]


def test_a_position_needs_both_coordinates(config: ConfigFiles) -> None:
    text = config.edited_location("{ x = 2.0, y = 3.0 }", "{ x = 2.0 }")

    assert messages(config.location_problems(text)) == ["desks[1].position.y: missing required key"]


def test_an_unknown_time_zone_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('"Europe/Amsterdam"', '"Europe/Amsterdm"')

    assert messages(config.location_problems(text)) == [
        "timezone: unknown time zone 'Europe/Amsterdm'; use an IANA name like 'Europe/Amsterdam'"
    ]


def test_the_location_id_must_match_its_file_name(config: ConfigFiles) -> None:
    text = config.edited_location('id = "testlocatie"', 'id = "ijsselmonde"')

    assert messages(config.location_problems(text)) == [
        "id: 'ijsselmonde' does not match the file name 'testlocatie.toml'"
    ]


def test_an_unknown_device_kind_is_reported(config: ConfigFiles) -> None:
    text = config.edited_location('kind = "kiosk"', 'kind = "kiosks"')

    [problem] = config.location_problems(text)

    assert problem.key_path == "devices[0].kind"
    assert problem.message.endswith("did you mean 'kiosk'?")


def test_a_duplicate_device_id_is_reported(config: ConfigFiles) -> None:
    text = config.location_text + '\n[[devices]]\nid = "kiosk-1"\nkind = "display"\n'

    assert messages(config.location_problems(text)) == [
        "devices[1].id: device id 'kiosk-1' is already used by devices[0]"
    ]


def test_device_settings_are_kept_as_written(config: ConfigFiles) -> None:
    [kiosk] = config.location().devices

    assert kiosk.settings == {"printer": "tcp://127.0.0.1:9100", "paper_width_mm": 80}


def test_a_landmark_cannot_take_the_id_of_a_desk(config: ConfigFiles) -> None:
    text = config.edited_location('id = "toilets"', 'id = "balie-1"')

    assert messages(config.location_problems(text)) == [
        "landmarks[0].id: 'balie-1' is already a desk id; the robot needs one name per place"
    ]


def test_all_problems_are_reported_at_once_one_per_line(config: ConfigFiles) -> None:
    text = config.edited(
        config.edited_location('kind = "kiosk"', 'kind = "printer"'), "number = 2", "number = 1"
    ).replace('"Europe/Amsterdam"', '"Mars/Olympus"')

    with pytest.raises(ConfigError) as raised:
        config.location(text)

    lines = str(raised.value).splitlines()
    assert len(lines) == 3
    assert [line.split(": ")[1] for line in lines] == ["timezone", "desks[1].number", "devices[0].kind"]
    assert all(line.startswith(str(config.location_file)) for line in lines)


def test_invalid_toml_in_a_location_is_reported(config: ConfigFiles) -> None:
    [problem] = config.location_problems(config.location_text + "[[desks]\n")

    assert problem.message.startswith("not valid TOML:")


def test_load_all_reports_every_broken_location_together(config: ConfigFiles) -> None:
    config.write_location(config.edited_location('"Europe/Amsterdam"', '"Europe/Amsterdm"'))
    second = config.edited_location('id = "testlocatie"', 'id = "tweede"').replace(
        '"nl", "en"]', '"nl", "xx"]'
    )
    config.write_location(second, location_id="tweede")

    with pytest.raises(ConfigError) as raised:
        load_all(config.root)

    assert sorted({problem.file for problem in raised.value.problems}) == [
        str(config.root / "locations" / "testlocatie.toml"),
        str(config.root / "locations" / "tweede.toml"),
    ]


ROBOT = """
[[devices]]
id = "pepper-1"
kind = "robot"
settings = { qi_url = "tcp://127.0.0.1:9559" }
placement = { position = { x = 3.0, y = 4.0 }, heading = 180 }
"""


def test_a_robot_s_placement_is_where_it_stands_and_which_way_it_faces(config: ConfigFiles) -> None:
    location = config.location(config.location_text + ROBOT)
    robot = next(device for device in location.devices if device.kind == "robot")

    assert robot.placement == Placement(Position(3.0, 4.0), 180.0)


def test_a_robot_without_a_placement_is_refused(config: ConfigFiles) -> None:
    text = config.location_text + edited(ROBOT, "placement = { position = { x = 3.0, y = 4.0 }, heading = 180 }\n", "")

    assert [m for m in messages(config.location_problems(text)) if "placement" in m]


def test_a_heading_outside_a_full_turn_is_refused(config: ConfigFiles) -> None:
    text = config.location_text + edited(ROBOT, "heading = 180", "heading = 360")

    assert messages(config.location_problems(text)) == [
        "devices[1].placement.heading: degrees clockwise from 'into the hall', from 0 up to 360; got 360"
    ]


def test_only_a_robot_has_a_placement(config: ConfigFiles) -> None:
    text = config.edited_location(
        'kind = "kiosk"', 'kind = "kiosk"\nplacement = { position = { x = 1.0, y = 1.0 }, heading = 0 }')

    assert messages(config.location_problems(text)) == [
        "devices[0].placement: only a robot has a placement (it points at desks from there)"
    ]
