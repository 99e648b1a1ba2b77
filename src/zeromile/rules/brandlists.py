"""Brand lists kept as dated data (e.g. Russia's parallel-import list).

A list is a YAML file under ``<jurisdiction>/brandlists/``; each entry adds
brands from a date (and may drop them at a later date), with its own
provenance. A list becomes one boolean feature whose value depends on the
rule's key date, so a rule asks "was this make on the list on that day?".
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from zeromile.provenance import Provenance
from zeromile.sqltext import sql_string


class BrandListEntry(BaseModel):
    """Brands added (and possibly removed) together by one instrument."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    brands: tuple[str, ...] = Field(min_length=1)
    provenance: Provenance


class BrandList(BaseModel):
    """A dated list of brands exposed to conditions as feature ``feature``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feature: str = Field(pattern=r"^on_[a-z0-9_]+$")
    title: str = Field(min_length=5)
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    entries: tuple[BrandListEntry, ...] = Field(min_length=1)
    notes: str | None = None

    def members_on(self, day: date) -> frozenset[str]:
        """Upper-cased brands on the list on ``day``."""
        return frozenset(
            b.upper() for e in self.entries if e.provenance.in_force(day) for b in e.brands
        )

    def sql(self, key: str) -> str:
        """Membership of ``upper(make)`` on the key date; NULL when the make is unknown."""
        parts = []
        for entry in self.entries:
            brands = ", ".join(sql_string(b.upper()) for b in entry.brands)
            window = f"{key} >= DATE '{entry.provenance.effective_from.isoformat()}'"
            if entry.provenance.effective_to is not None:
                window += f" AND {key} <= DATE '{entry.provenance.effective_to.isoformat()}'"
            parts.append(f"(upper(make) IN ({brands}) AND {window})")
        return "CASE WHEN make IS NULL THEN NULL ELSE " + " OR ".join(parts) + " END"
