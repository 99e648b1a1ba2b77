"""The rulebook: cited, dated export and import rules as data, compiled to SQL.

>>> from zeromile.rules import Rulebook
>>> book = Rulebook.load()            # validates every rule file
>>> sql = book.findings_sql("features")

Importing this package imports no engine; DuckDB execution lives in
``zeromile.rules._duckdb``.
"""

from __future__ import annotations

from zeromile.rules.explain import RuleExplanation, Status, explain
from zeromile.rules.model import Action, Code, Rule, Side
from zeromile.rules.rulebook import Rulebook, RulebookInvalidError

__all__ = [
    "Action",
    "Code",
    "Rule",
    "RuleExplanation",
    "Rulebook",
    "RulebookInvalidError",
    "Side",
    "Status",
    "explain",
]
