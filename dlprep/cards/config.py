"""Flashcard settings, in `config.toml` in the data directory (`dlprep cards config` edits it).

    new_per_day = 20                 # new cards introduced per day, across sessions
    day_starts_at = 4                # the hour a new study day begins (Anki's default)
    flashcard_tags = ["flashcards"]  # in an Obsidian vault, notes with these tags are decks
    clozes = ["highlight"]           # ==highlight==; add "bold" (**bold**) and "curly" ({{curly}})

A missing file or key means the default. The file is rewritten only by `set`, which keeps
any other keys in it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from dlprep import paths
from dlprep.cards.obsidian import CLOZES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE_NAME = "config.toml"


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the file or the key."""


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    day_starts_at: int = 4
    flashcard_tags: tuple[str, ...] = ("flashcards",)
    clozes: tuple[str, ...] = ("highlight",)


DESCRIPTIONS = {
    "new_per_day": "new cards introduced per day, counted across sessions",
    "day_starts_at": "the hour (0-23, local time) at which a new study day begins",
    "flashcard_tags": "in an Obsidian vault, notes tagged with one of these are decks",
    "clozes": f"cloze syntaxes to read: {', '.join(CLOZES)} (==x==, **x**, {{{{x}}}})",
}


def location() -> Path:
    return paths.home() / FILE_NAME


def _checked(key: str, value: Any) -> Any:
    if key in ("new_per_day", "day_starts_at"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key} must be a whole number, not {value!r}")
        if key == "new_per_day" and value < 0:
            raise ConfigError(f"new_per_day must be 0 or more, not {value}")
        if key == "day_starts_at" and not 0 <= value <= 23:
            raise ConfigError(f"day_starts_at must be an hour from 0 to 23, not {value}")
        return value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f"{key} must be a list of names, not {value!r}")
    items = tuple(item.strip().lstrip("#") for item in value)
    if key == "clozes" and (unknown := [item for item in items if item not in CLOZES]):
        raise ConfigError(f"clozes: unknown {', '.join(unknown)}; the syntaxes are {', '.join(CLOZES)}")
    return items


def _read_file(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file} is not valid TOML: {exc}") from None


def load() -> Settings:
    file = location()
    values = _read_file(file)
    known = {field.name for field in fields(Settings)}
    settings = Settings()
    for key, value in values.items():
        if key in known:
            try:
                settings = replace(settings, **{key: _checked(key, value)})
            except ConfigError as exc:
                raise ConfigError(f"{file}: {exc}") from None
    return settings


def check_key(key: str) -> None:
    if key not in DESCRIPTIONS:
        raise ConfigError(f"no setting {key!r}; the settings are {', '.join(DESCRIPTIONS)}")


def parse_value(key: str, text: str) -> Any:
    """A value typed on the command line: a number, or names separated by commas or spaces."""
    check_key(key)
    if key in ("new_per_day", "day_starts_at"):
        try:
            number = int(text)
        except ValueError:
            raise ConfigError(f"{key} must be a whole number, not {text!r}") from None
        return _checked(key, number)
    return _checked(key, [item for item in text.replace(",", " ").split()])


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def set_value(key: str, value: Any) -> Path:
    """Write one setting, keeping the file's other keys; returns the file."""
    file = location()
    values = _read_file(file)
    values[key] = value
    lines = ["# dlprep flashcard settings (`dlprep cards config` lists them)"]
    lines += [f"{name} = {_toml(item)}" for name, item in values.items()]
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_suffix(".toml.tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(file)  # never a half-written config
    return file
