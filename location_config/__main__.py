"""``python -m location_config check [FILE...]`` and ``python -m location_config show LOCATION``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from location_config.errors import ConfigError, Problem
from location_config.loader import (
    CATALOGUE_FILE,
    CONFIG_DIR_VARIABLE,
    default_config_dir,
    load_catalogue,
    load_location,
    location_files,
)
from location_config.model import Service
from location_config.summary import location_summary
from location_config.zaaktypes import PACKAGED_ZAAKTYPES, ZAAKTYPES_FILE, load_zaaktypes

EXIT_OK = 0
EXIT_PROBLEMS = 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config_dir = Path(args.config_dir) if args.config_dir else default_config_dir()
    if args.command == "check":
        return check(args.files, config_dir)
    return show(args.location, config_dir)


def check(files: Sequence[str], config_dir: Path) -> int:
    """Prints ``ok: ...`` per valid file and every problem of the others; 1 if there were any."""
    problems: list[Problem] = []
    config_catalogue = config_dir / CATALOGUE_FILE
    catalogues = [Path(file) for file in files if Path(file).name == CATALOGUE_FILE]
    case_types = [Path(file) for file in files if Path(file).name == ZAAKTYPES_FILE]
    packaged_case_types = False
    locations = [Path(file) for file in files if Path(file).name not in (CATALOGUE_FILE, ZAAKTYPES_FILE)]
    if not files:
        catalogues = [config_catalogue]
        # Like the central service: a config dir without case types of its own uses the packaged ones.
        configured = config_dir / ZAAKTYPES_FILE
        packaged_case_types = not configured.is_file()
        case_types = [PACKAGED_ZAAKTYPES if packaged_case_types else configured]
        try:
            locations = location_files(config_dir)
        except ConfigError as error:
            problems.extend(error.problems)
    for file in catalogues:
        try:
            print(f"ok: {file.name} ({len(load_catalogue(file))} services)")
        except ConfigError as error:
            problems.extend(error.problems)
    for file in case_types:
        try:
            count = len(load_zaaktypes(file).zaaktypes)
        except ConfigError as error:
            problems.extend(error.problems)
        else:
            packaged = ", the packaged ones: the config dir has none" if packaged_case_types else ""
            print(f"ok: {file.name} ({count} case types{packaged})")
    if locations:
        try:
            catalogue = load_catalogue(config_catalogue)
        except ConfigError as error:
            # Locations are checked against this catalogue: report it once, not once per location.
            if config_catalogue.resolve() not in {file.resolve() for file in catalogues}:
                problems.extend(error.problems)
            skipped = ", ".join(file.name for file in locations)
            problems.append(Problem(str(config_catalogue), "", f"fix it first; not checked: {skipped}"))
        else:
            problems.extend(_check_locations(locations, catalogue, config_dir))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def show(location: str, config_dir: Path) -> int:
    """Prints a summary of one location, or its problems."""
    try:
        loaded = load_location(location, config_dir=config_dir)
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_PROBLEMS
    print("\n".join(location_summary(loaded)))
    return EXIT_OK


def _check_locations(
    files: Sequence[Path], catalogue: Mapping[str, Service], config_dir: Path
) -> list[Problem]:
    problems: list[Problem] = []
    for file in files:
        try:
            location = load_location(file, catalogue, config_dir)
        except ConfigError as error:
            problems.extend(error.problems)
        else:
            print(f"ok: {location.id} ({len(location.desks)} desks, {len(location.services)} services)")
    return problems


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        help=f"directory with {CATALOGUE_FILE} and locations/*.toml "
        f"(default: ${CONFIG_DIR_VARIABLE}, else the packaged configuration)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m location_config",
        description="Check and show Gastvrij location configuration (service catalogue, case types and "
        "locations).",
        epilog="Exit status: 0 when everything is valid, 1 when problems were found, 2 on wrong usage.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_parser = commands.add_parser(
        "check",
        parents=[common],
        help="validate configuration files and list every problem",
        description=f"Validate configuration files. Without FILE: the catalogue, the case types ({ZAAKTYPES_FILE}; "
        "the packaged ones when the config dir has none) and every location in the config dir. A FILE named "
        f"{CATALOGUE_FILE} is checked as a service catalogue, one named {ZAAKTYPES_FILE} as case types, any "
        "other FILE as a location, against the catalogue of the config dir. Prints 'ok: ...' per valid file "
        "and each problem as 'file: key.path: what is wrong'.",
    )
    check_parser.add_argument("files", nargs="*", metavar="FILE",
                              help="a catalogue, case types or location TOML file")
    show_parser = commands.add_parser(
        "show",
        parents=[common],
        help="print a summary of one location",
        description="Print a location's hours, services, desks, landmarks, devices and queue rules.",
    )
    show_parser.add_argument(
        "location", metavar="LOCATION", help="location id (e.g. ijsselmonde) or file path"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
