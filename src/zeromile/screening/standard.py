"""The standard extensions of a screening: the rulebook (and, when on, duties and the log)."""

from __future__ import annotations

from zeromile.screening.pipeline import Extension


def rulebook_extension() -> Extension:
    """Rule findings from the packaged rulebook; decisions record its version."""
    from zeromile.rules import Rulebook

    book = Rulebook.load()
    return Extension(
        name="rulebook",
        version=book.version,
        findings=(book.findings_sql("features"),),
        decision_columns=(f"'{book.version}' AS rulebook_version",),
    )


def standard_extensions(*, rules: bool = True) -> list[Extension]:
    """The extensions a screening runs with by default."""
    return [rulebook_extension()] if rules else []
