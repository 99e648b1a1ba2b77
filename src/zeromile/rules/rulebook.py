"""The rulebook: every rule file, validated and compiled, with a content version.

Load it once at start-up (a malformed file fails there, naming file, rule id
and field), then ask it for SQL. ``version`` is the SHA-256 of the rule and
brand-list files, recorded with every decision so a verdict can be replayed
against the exact rules it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path

from zeromile.errors import RulebookError
from zeromile.rules.brandlists import BrandList
from zeromile.rules.compile import CompiledRule, explain_sql, findings_sql
from zeromile.rules.conditions import ConditionError, parse_condition
from zeromile.rules.loader import Problem, package_root, read_root
from zeromile.rules.model import Rule


class RulebookInvalidError(RulebookError):
    """One or more rule files are malformed; ``problems`` lists each."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        lines = "\n  ".join(str(p) for p in problems)
        super().__init__(f"rulebook has {len(problems)} problem(s):\n  {lines}")


@dataclass(frozen=True)
class Rulebook:
    """Validated rules and brand lists, compiled for their key dates."""

    rules: tuple[Rule, ...]
    brand_lists: tuple[BrandList, ...]
    version: str
    files: dict[str, str] = field(default_factory=dict, compare=False)
    _compiled: tuple[CompiledRule, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def load(cls, root: Path | Traversable | None = None) -> Rulebook:
        """Load the package's rule data (or ``root``); raise naming every problem."""
        loaded = read_root(root if root is not None else package_root())
        problems = list(loaded.problems)
        extra = frozenset(b.feature for b in loaded.brand_lists)
        brand_sql = {
            side: {b.feature: b.sql(key) for b in loaded.brand_lists}
            for side, key in (("export", "declaration_date"), ("import", "import_date"))
        }
        compiled = []
        for file, rule in loaded.rules:
            try:
                condition = parse_condition(rule.condition, rule.params, extra, rule.jurisdiction)
            except ConditionError as exc:
                problems.append(Problem(file, rule.id, "condition", str(exc)))
                continue
            ambiguous = None
            if rule.ambiguous_when is not None:
                try:
                    ambiguous = parse_condition(
                        rule.ambiguous_when, rule.params, extra, rule.jurisdiction
                    )
                except ConditionError as exc:
                    problems.append(Problem(file, rule.id, "ambiguous_when", str(exc)))
                    continue
            compiled.append(CompiledRule.build(rule, condition, ambiguous, brand_sql[rule.side]))
        if problems:
            raise RulebookInvalidError(tuple(problems))
        compiled.sort(key=lambda c: c.rule.id)
        return cls(
            rules=tuple(c.rule for c in compiled),
            brand_lists=loaded.brand_lists,
            version=f"sha256:{loaded.version}",
            files={rule.id: file for file, rule in loaded.rules},
            _compiled=tuple(compiled),
        )

    def in_force(self, *, on: date) -> Rulebook:
        """The rules in force on ``on`` (same version: a view of the same files)."""
        keep = tuple(c for c in self._compiled if c.rule.provenance.in_force(on))
        return Rulebook(
            rules=tuple(c.rule for c in keep),
            brand_lists=self.brand_lists,
            version=self.version,
            files=self.files,
            _compiled=keep,
        )

    def for_jurisdiction(self, code: str) -> Rulebook:
        """The rules of one jurisdiction (ISO alpha-2, any case)."""
        keep = tuple(c for c in self._compiled if c.rule.jurisdiction == code.upper())
        return Rulebook(
            rules=tuple(c.rule for c in keep),
            brand_lists=self.brand_lists,
            version=self.version,
            files=self.files,
            _compiled=keep,
        )

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; :class:`RulebookError` with close ids when unknown."""
        for rule in self.rules:
            if rule.id == rule_id.upper():
                return rule
        import difflib

        close = difflib.get_close_matches(rule_id.upper(), [r.id for r in self.rules], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise RulebookError(f"no rule with id {rule_id!r}{hint}")

    def compiled(self) -> tuple[CompiledRule, ...]:
        """The compiled rules, in id order."""
        return self._compiled

    def findings_sql(self, features: str = "features", *, cited: bool = True) -> str:
        """ONE DuckDB SELECT of findings over the relation named ``features``.

        ``cited=False`` leaves each evidence's opening citation out (see :meth:`citations`).
        """
        return findings_sql(self._compiled, features, cited=cited)

    def citations(self) -> dict[str, str]:
        """Rule id to the citation its findings' evidence opens with (a JSON object left open)."""
        return {c.rule.id: c.citation_json() for c in self._compiled}

    def explain_sql(self, features: str = "features") -> str:
        """Per-rule evaluation columns for every row of ``features`` (see ``explain``)."""
        return explain_sql(self._compiled, features)
