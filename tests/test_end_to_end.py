"""A generated world, screened and scored against its ground truth.

The generator labels each declaration by the findings' definitions, written
independently of the screening's SQL; the definitional findings must agree
exactly, and the score must separate zero-mileage cars from used ones.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from zeromile.screening import Screening
from zeromile.screening.standard import standard_extensions
from zeromile.synth import WorldConfig, generate_world, write_world
from zeromile.synth.evaluation import evaluate


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("world")
    world = generate_world(
        WorldConfig(scale=0.004, seed=11, malformed_rate=0.01, file_format="csv")
    )
    write_world(world, out, "csv")
    run = Screening.open(out / "dossier")
    try:
        run.screen(extensions=standard_extensions())
        run.write_decisions(out / "decisions.parquet")
        counts = run.counts()
    finally:
        run.close()
    return out, counts


def test_every_declaration_is_decided_or_rejected(screened) -> None:
    out, counts = screened
    truth = pq.read_table(out / "truth.parquet")
    assert counts["declarations_in"] == truth.num_rows
    assert counts["declarations_in"] == counts["decided"] + counts["rejected"]
    assert counts["rejected"] == sum(truth.column("malformed").to_pylist())


def test_definitional_findings_agree_with_the_truth(screened) -> None:
    out, _ = screened
    result = evaluate(
        pq.read_table(out / "decisions.parquet"), pq.read_table(out / "truth.parquet")
    )
    assert result.missing_decisions == 0
    assert result.unknown_decisions == 0
    for code, confusion in result.findings.items():
        assert (confusion.fp, confusion.fn) == (0, 0), code
    assert result.findings["ZERO_MILEAGE"].tp > 0


def test_score_separates_zero_mileage_cars(screened) -> None:
    out, _ = screened
    result = evaluate(
        pq.read_table(out / "decisions.parquet"), pq.read_table(out / "truth.parquet")
    )
    assert result.score.confusion.f1 is not None
    assert result.score.confusion.f1 > 0.9
