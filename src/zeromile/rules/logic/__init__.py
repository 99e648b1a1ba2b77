"""Logic that rule data cannot express, registered per jurisdiction.

Like sqlglot's dialect registry: a jurisdiction module defines derived
features with :func:`feature`, and only that jurisdiction's rules may name
them. Each feature is SQL over base columns with ``{key}`` for the rule's key
date, so it still compiles into the one set-based query.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from zeromile.rules.features import KEY, DerivedFeature

#: Jurisdiction modules under ``zeromile.rules.logic``.
MODULES: tuple[str, ...] = ("ke",)

_REGISTRY: dict[str, DerivedFeature] = {}


def feature(
    jurisdiction: str, name: str, meaning: str
) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Register ``fn(key_sql) -> SQL`` as derived feature ``name`` of ``jurisdiction``."""

    def register(fn: Callable[[str], str]) -> Callable[[str], str]:
        if name in _REGISTRY:
            raise ValueError(f"derived feature {name!r} registered twice")
        _REGISTRY[name] = DerivedFeature(name, fn(KEY), meaning, jurisdiction)
        return fn

    return register


def registered() -> tuple[DerivedFeature, ...]:
    """Every jurisdiction feature, importing the jurisdiction modules on first use."""
    for module in MODULES:
        importlib.import_module(f"zeromile.rules.logic.{module}")
    return tuple(_REGISTRY[n] for n in sorted(_REGISTRY))
