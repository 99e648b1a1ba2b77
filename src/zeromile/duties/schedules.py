"""Load and validate the tariff schedules (one folder per importer, YAML files).

A malformed file fails with :class:`~zeromile.errors.RulebookError` naming the
file, the line id and the field, so ``zeromile rules check`` and start-up
point at the typo instead of a screening run failing later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zeromile.duties.model import RateLine, Schedule
from zeromile.errors import RulebookError

_PACKAGE_DATA = "zeromile.duties"

#: libyaml's safe loader when PyYAML was built with it: several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _data_root() -> Path:
    return Path(str(resources.files(_PACKAGE_DATA).joinpath("data")))


def _describe(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Turn a pydantic error location into (rule id, field path)."""
    rule_id = "-"
    if len(loc) >= 2 and loc[0] == "lines" and isinstance(loc[1], int):
        lines = raw.get("lines") if isinstance(raw, Mapping) else None
        if isinstance(lines, list) and loc[1] < len(lines) and isinstance(lines[loc[1]], Mapping):
            rule_id = str(lines[loc[1]].get("id", f"lines[{loc[1]}]"))
        else:
            rule_id = f"lines[{loc[1]}]"
        field = ".".join(str(part) for part in loc[2:]) or "(line)"
    else:
        field = ".".join(str(part) for part in loc) or "(file)"
    return rule_id, field


def parse_schedule(text: str, *, name: str, folder: str | None = None) -> Schedule:
    """Parse one schedule file's text; ``name`` is used in error messages."""
    try:
        raw = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise RulebookError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise RulebookError(f"{name}: expected a mapping at the top, got {type(raw).__name__}")
    try:
        schedule = Schedule.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        rule_id, field = _describe(raw, tuple(first["loc"]))
        raise RulebookError(
            f"{name}: rule {rule_id}, field {field}: {first['msg']} (got {first.get('input')!r})"
        ) from exc
    if folder is not None and schedule.importer != folder:
        raise RulebookError(
            f"{name}: rule -, field importer: {schedule.importer!r}"
            f" is filed under folder {folder!r}"
        )
    return schedule


@dataclass(frozen=True)
class Schedules:
    """All tariff schedules, with a content hash as their version."""

    schedules: tuple[Schedule, ...]
    version: str

    @classmethod
    def load(cls, root: Path | None = None) -> Schedules:
        """Load every ``<IMPORTER>/*.yaml`` under ``root`` (default: the package data)."""
        base = root if root is not None else _data_root()
        if not base.is_dir():
            raise RulebookError(f"{base}: schedule folder does not exist")
        digest = hashlib.sha256()
        loaded: list[Schedule] = []
        for path in sorted(base.glob("*/*.yaml")):
            rel = path.relative_to(base).as_posix()
            content = path.read_bytes()
            digest.update(rel.encode() + b"\0" + content + b"\0")
            loaded.append(
                parse_schedule(content.decode("utf-8"), name=rel, folder=path.parent.name)
            )
        if not loaded:
            raise RulebookError(f"{base}: no schedule files (<IMPORTER>/*.yaml)")
        ids = [s.schedule_id for s in loaded]
        clash = sorted({i for i in ids if ids.count(i) > 1})
        if clash:
            raise RulebookError(f"{base}: schedule ids used twice: {clash}")
        served: dict[str, str] = {}
        for schedule in loaded:
            for dest in schedule.destinations_or_importer():
                if dest in served:
                    raise RulebookError(
                        f"{base}: destination {dest} is served by both {served[dest]}"
                        f" and {schedule.schedule_id}"
                    )
                served[dest] = schedule.schedule_id
        return cls(schedules=tuple(loaded), version=digest.hexdigest()[:16])

    def __iter__(self) -> Iterator[Schedule]:
        return iter(self.schedules)

    def for_importer(self, importer: str) -> tuple[Schedule, ...]:
        """The schedules of one importing country (ISO alpha-2)."""
        return tuple(s for s in self.schedules if s.importer == importer)

    def lines(self) -> Iterator[tuple[Schedule, RateLine]]:
        """Every line with its schedule."""
        for schedule in self.schedules:
            for line in schedule.lines:
                yield schedule, line

    def in_force(self, on: date) -> list[tuple[Schedule, RateLine]]:
        """The lines in force on a date: "the tariff in force on 2025-09-16"."""
        return [(s, line) for s, line in self.lines() if line.provenance.in_force(on)]

    def currencies(self) -> set[str]:
        """Every currency a schedule, a component or a value band names."""
        found: set[str] = set()
        for schedule, line in self.lines():
            found.add(schedule.currency)
            currency = getattr(line.rate, "currency", None)
            if currency:
                found.add(currency)
            if line.when.value is not None:
                found.add(line.when.value.currency)
        return found
