"""What a rule is: a cited, dated condition over features with an action.

A rule's facts (dates, instrument, sources, confidence) are a
:class:`~zeromile.provenance.Provenance`; its logic is a SQL boolean
expression. Three-valued logic carries the "missing evidence" case: a
condition that is NULL for a declaration could not be decided and yields a
review, never a silent pass.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zeromile.provenance import Confidence, Provenance


class Side(StrEnum):
    """Which border crossing a rule governs; decides the key date."""

    EXPORT = "export"
    IMPORT = "import"


class Action(StrEnum):
    """What a firing rule asks for; also the finding's severity."""

    REFUSE = "refuse"
    REVIEW = "review"
    INFO = "info"


class Code(StrEnum):
    """The stable finding codes a rule may emit."""

    EXPORT_PROHIBITED = "EXPORT_PROHIBITED"
    EXPORT_LICENCE_CONDITION = "EXPORT_LICENCE_CONDITION"
    IMPORT_PROHIBITED = "IMPORT_PROHIBITED"
    IMPORT_AGE_LIMIT = "IMPORT_AGE_LIMIT"
    IMPORT_CONDITION = "IMPORT_CONDITION"
    AMBIGUOUS = "AMBIGUOUS"
    RULE_MISSING_EVIDENCE = "RULE_MISSING_EVIDENCE"


#: Codes a rule file may name as its own; the last two are produced by the engine.
RULE_CODES = frozenset(Code) - {Code.AMBIGUOUS, Code.RULE_MISSING_EVIDENCE}

CODE_MEANINGS: dict[Code, str] = {
    Code.EXPORT_PROHIBITED: "the exporting country forbids this export",
    Code.EXPORT_LICENCE_CONDITION: "a licence or document the exporting country requires"
    " is missing",
    Code.IMPORT_PROHIBITED: "the importing country forbids this vehicle or this import",
    Code.IMPORT_AGE_LIMIT: "the vehicle is outside the importing country's age limits",
    Code.IMPORT_CONDITION: "the import needs a document, approval or payment to be checked",
    Code.AMBIGUOUS: "sources conflict on a date or threshold that decides this case; "
    "the evidence names the conflict",
    Code.RULE_MISSING_EVIDENCE: "a feature the rule needs is unknown; the evidence names it",
}


class DatePrecision(StrEnum):
    """How precisely the sources give ``effective_from``."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Rule(BaseModel):
    """One rule of the rulebook, as written in a jurisdiction's YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9-]+$")
    title: str = Field(min_length=5)
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    side: Side
    origins: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    provenance: Provenance
    date_precision: DatePrecision = DatePrecision.DAY
    condition: str = Field(min_length=1)
    params: dict[str, int | float | str] = Field(default_factory=dict)
    action: Action
    code: Code
    ambiguous_when: str | None = None
    ambiguity: str | None = None
    notes: str | None = None

    @field_validator("origins", "destinations")
    @classmethod
    def _country_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in value if len(c) != 2 or not c.isalpha() or not c.isupper()]
        if bad:
            raise ValueError(f"expected ISO 3166-1 alpha-2 codes, got {bad}")
        return value

    @field_validator("code")
    @classmethod
    def _rule_code(cls, value: Code) -> Code:
        if value not in RULE_CODES:
            raise ValueError(
                f"{value} is produced by the engine; a rule names one of {sorted(RULE_CODES)}"
            )
        return value

    @model_validator(mode="after")
    def _ambiguity_named(self) -> Rule:
        needs_text = (
            self.ambiguous_when is not None
            or self.date_precision is not DatePrecision.DAY
            or self.provenance.confidence is Confidence.L
        )
        if needs_text and not self.ambiguity:
            raise ValueError(
                "ambiguity: text naming the conflict is required when ambiguous_when is set, "
                "the date precision is not 'day' or the confidence is L"
            )
        return self

    @property
    def key_column(self) -> str:
        """The features column this rule's dates apply to."""
        return "declaration_date" if self.side is Side.EXPORT else "import_date"

    @property
    def imprecise_until(self) -> date | None:
        """Last day of the period in which the start date is not known to the day."""
        start = self.provenance.effective_from
        if self.date_precision is DatePrecision.MONTH:
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if self.date_precision is DatePrecision.YEAR:
            return start.replace(month=12, day=31)
        return None
