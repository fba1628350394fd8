"""The one way to read location configuration: TOML files in, validated model objects out.

A configuration directory holds the service catalogue and one file per location::

    <config dir>/services.toml
    <config dir>/locations/<location id>.toml

Every function raises :class:`ConfigError` listing all problems found, never a half-loaded model.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from location_config.catalogue import read_catalogue
from location_config.errors import ConfigError, Problem
from location_config.location import read_location
from location_config.model import Location, Service
from location_config.toml_table import ProblemLog, is_identifier

CONFIG_DIR_VARIABLE = "GASTVRIJ_CONFIG_DIR"
CATALOGUE_FILE = "services.toml"
LOCATIONS_DIR = "locations"

StrPath = str | os.PathLike[str]


def default_config_dir() -> Path:
    """``$GASTVRIJ_CONFIG_DIR`` if set, otherwise the configuration packaged with this module."""
    configured = os.environ.get(CONFIG_DIR_VARIABLE)
    return Path(configured) if configured else Path(__file__).parent / "data"


def load_catalogue(path: StrPath | None = None) -> dict[str, Service]:
    """The services of a catalogue file (default: ``services.toml`` in the config dir), by id."""
    file = Path(path) if path is not None else default_config_dir() / CATALOGUE_FILE
    log = ProblemLog(file)
    document = _parse(file, log)
    services = read_catalogue(document, log) if document is not None else {}
    if log.problems:
        raise ConfigError(log.problems)
    return services


def load_location(
    location_id_or_path: StrPath,
    catalogue: Mapping[str, Service] | None = None,
    config_dir: StrPath | None = None,
) -> Location:
    """A location by id (``"ijsselmonde"``, looked up in the config dir) or by file path.

    Without ``catalogue``, the catalogue of the config dir is loaded (default: :func:`default_config_dir`).
    """
    directory = Path(config_dir) if config_dir is not None else default_config_dir()
    file = _location_file(location_id_or_path, directory)
    if catalogue is None:
        catalogue = load_catalogue(directory / CATALOGUE_FILE)
    log = ProblemLog(file)
    document = _parse(file, log)
    location = read_location(document, log, file.stem, catalogue) if document is not None else None
    if log.problems or location is None:
        raise ConfigError(log.problems)
    return location


def load_all(config_dir: StrPath | None = None) -> dict[str, Location]:
    """Every location in the config dir, by id, sorted; problems of all files are raised together."""
    directory = Path(config_dir) if config_dir is not None else default_config_dir()
    catalogue = load_catalogue(directory / CATALOGUE_FILE)
    locations: dict[str, Location] = {}
    problems: list[Problem] = []
    for file in location_files(directory):
        try:
            locations[file.stem] = load_location(file, catalogue, directory)
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    return locations


def location_files(config_dir: StrPath | None = None) -> list[Path]:
    """The location files of a config dir, sorted by name; at least one, or a :class:`ConfigError`."""
    directory = (Path(config_dir) if config_dir is not None else default_config_dir()) / LOCATIONS_DIR
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError([Problem(str(directory), "", "no location files (<location id>.toml) found")])
    return files


def _location_file(location_id_or_path: StrPath, config_dir: Path) -> Path:
    text = os.fspath(location_id_or_path)
    looks_like_path = not isinstance(location_id_or_path, str) or text.endswith(".toml") or "/" in text
    if looks_like_path or os.sep in text:
        return Path(text)
    file = config_dir / LOCATIONS_DIR / f"{text}.toml"
    if is_identifier(text) and file.is_file():
        return file
    known = sorted(path.stem for path in (config_dir / LOCATIONS_DIR).glob("*.toml"))
    raise ConfigError(
        [
            Problem(
                str(config_dir / LOCATIONS_DIR),
                "",
                f"no location {text!r}; known: {', '.join(known) or 'none'}",
            )
        ]
    )


def _parse(file: Path, log: ProblemLog) -> dict[str, object] | None:
    try:
        with file.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        log.add("", "file not found")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        log.add("", f"not valid TOML: {error}")
    except OSError as error:
        log.add("", f"cannot be read: {error.strerror or error}")
    return None
