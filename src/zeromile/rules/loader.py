"""Read and validate rule and brand-list files, collecting every problem.

Layout of a rulebook root: one folder per jurisdiction (lower-case ISO code)
holding ``*.yaml`` rule files and a ``brandlists/`` folder. Problems name the
file, the rule id and the field, and all of them are reported at once so that
``zeromile rules check`` lists everything to fix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zeromile.rules.brandlists import BrandList
from zeromile.rules.model import Rule

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PROVENANCE_KEYS = ("effective_from", "effective_to", "instrument", "sources", "confidence")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file."""

    file: str
    rule_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join([*parts, self.message])


@dataclass(frozen=True)
class LoadedFiles:
    """What a rulebook root holds, before conditions are compiled."""

    rules: tuple[tuple[str, Rule], ...]
    brand_lists: tuple[BrandList, ...]
    problems: tuple[Problem, ...]
    version: str


def package_root() -> Traversable:
    """The rule data shipped inside the package."""
    return files("zeromile.rules") / "data"


def read_root(root: Traversable | Path) -> LoadedFiles:
    """Read every rule and brand-list file under ``root``."""
    problems: list[Problem] = []
    rules: list[tuple[str, Rule]] = []
    lists: list[BrandList] = []
    digest = hashlib.sha256()
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name):
        if folder.name.startswith(("_", ".")):
            continue
        jurisdiction = folder.name.upper()
        for path, kind in _files_of(folder):
            name = (
                f"{folder.name}/{path.name}"
                if kind == "rules"
                else (f"{folder.name}/brandlists/{path.name}")
            )
            data = path.read_bytes()
            digest.update(name.encode() + b"\0" + data + b"\0")
            doc = _parse_yaml(name, data, problems)
            if doc is None:
                continue
            if kind == "rules":
                rules.extend((name, r) for r in _rules_of(name, doc, jurisdiction, problems))
            else:
                brand_list = _brand_list_of(name, doc, jurisdiction, problems)
                if brand_list is not None:
                    lists.append(brand_list)
    _check_unique(rules, lists, problems)
    return LoadedFiles(tuple(rules), tuple(lists), tuple(problems), digest.hexdigest())


def _files_of(folder: Traversable) -> list[tuple[Traversable, str]]:
    out = [(p, "rules") for p in folder.iterdir() if p.name.endswith((".yaml", ".yml"))]
    brand_dir = folder / "brandlists"
    if brand_dir.is_dir():
        out += [(p, "brands") for p in brand_dir.iterdir() if p.name.endswith((".yaml", ".yml"))]
    return sorted(out, key=lambda item: (item[1], item[0].name))


def _parse_yaml(name: str, data: bytes, problems: list[Problem]) -> Any:
    try:
        return yaml.load(data, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problems.append(Problem(name, None, None, f"{line}not valid YAML ({exc})"))
        return None


def _rules_of(name: str, doc: Any, jurisdiction: str, problems: list[Problem]) -> list[Rule]:
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        problems.append(Problem(name, None, "rules", "expected a mapping with a 'rules' list"))
        return []
    out = []
    for index, raw in enumerate(doc["rules"]):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        label = str(rule_id) if rule_id else f"#{index + 1}"
        if not isinstance(raw, dict):
            problems.append(Problem(name, label, None, "expected a mapping"))
            continue
        shaped = {k: v for k, v in raw.items() if k not in _PROVENANCE_KEYS}
        shaped["provenance"] = {k: raw[k] for k in _PROVENANCE_KEYS if k in raw}
        try:
            rule = Rule.model_validate(shaped)
        except ValidationError as exc:
            problems.extend(_validation_problems(name, label, exc))
            continue
        if rule.jurisdiction != jurisdiction:
            problems.append(
                Problem(
                    name,
                    label,
                    "jurisdiction",
                    f"expected {jurisdiction} (the folder), got {rule.jurisdiction}",
                )
            )
            continue
        out.append(rule)
    return out


def _brand_list_of(
    name: str, doc: Any, jurisdiction: str, problems: list[Problem]
) -> BrandList | None:
    if not isinstance(doc, dict):
        problems.append(Problem(name, None, None, "expected a mapping"))
        return None
    shaped = dict(doc)
    entries = []
    for raw in doc.get("entries") or []:
        if isinstance(raw, dict):
            entry = {k: v for k, v in raw.items() if k not in _PROVENANCE_KEYS}
            entry["provenance"] = {k: raw[k] for k in _PROVENANCE_KEYS if k in raw}
            entries.append(entry)
        else:
            entries.append(raw)
    shaped["entries"] = entries
    try:
        brand_list = BrandList.model_validate(shaped)
    except ValidationError as exc:
        problems.extend(_validation_problems(name, doc.get("feature"), exc))
        return None
    if brand_list.jurisdiction != jurisdiction:
        problems.append(
            Problem(
                name, brand_list.feature, "jurisdiction", f"expected {jurisdiction} (the folder)"
            )
        )
        return None
    return brand_list


def _validation_problems(name: str, label: str | None, exc: ValidationError) -> list[Problem]:
    out = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"] if p != "provenance"]
        field = ".".join(loc) or None
        given = error.get("input")
        shown = "" if isinstance(given, dict) or given is None else f" (got {given!r})"
        out.append(Problem(name, label, field, f"{error['msg']}{shown}"))
    return out


def _check_unique(
    rules: list[tuple[str, Rule]], lists: list[BrandList], problems: list[Problem]
) -> None:
    seen: dict[str, str] = {}
    for name, rule in rules:
        if rule.id in seen:
            problems.append(Problem(name, rule.id, "id", f"duplicate id, also in {seen[rule.id]}"))
        seen[rule.id] = name
    features = [b.feature for b in lists]
    for feature in {f for f in features if features.count(f) > 1}:
        problems.append(Problem("brandlists", feature, "feature", "defined more than once"))
