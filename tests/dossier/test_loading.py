"""Bad input gets a clear error and loses nothing: rejects name file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.builders import MG_VIN, declaration, write_dossier
from zeromile.errors import DossierError, StrictRejectError
from zeromile.screening import Screening, screen_dossier

HEADER = "declaration_id,exporter_id,vin,declaration_date,origin,destination,declared_condition"


def _rejects(folder: Path) -> list[dict]:
    run = Screening.open(folder)
    try:
        return run.rejects().to_pylist()
    finally:
        run.close()


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("declaration_date", "2024-02-30", "ISO 8601"),
        ("declaration_date", "01/05/2024", "ISO 8601"),
        ("origin", "XX", "ISO 3166-1"),
        ("origin", "CHN", "ISO 3166-1"),
        ("declared_condition", "nearly-new", "expected one of: used, new"),
        ("declared_odometer_km", "-5", "whole number"),
        ("declared_odometer_km", "12.5", "whole number"),
        ("declared_value", "abc", "a number"),
        ("currency", "XYZ", "ISO 4217"),
        ("port_of_exit", "SHANGHAI", "UN/LOCODE"),
        ("importer_kind", "company", "expected one of"),
        ("exporter_id", "", "required"),
    ],
)
def test_a_malformed_value_is_rejected_with_file_line_and_field(
    tmp_path, field, value, message
) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[declaration(), declaration(declaration_id="D2", **{field: value})],
    )
    result = screen_dossier(folder, extensions=())
    assert [r["declaration_id"] for r in result.decisions.to_pylist()] == ["D1"]
    (reject,) = result.rejects.to_pylist()
    assert reject["table"] == "declarations"
    assert reject["file"] == str(folder / "declarations.csv")
    assert reject["line"] == 3
    assert reject["field"] == field
    assert reject["value"] == (value or None)
    assert message in reject["message"]
    counts = result.summary["counts"]
    assert counts["declarations_in"] == 2 == counts["decided"] + counts["rejected"]


def test_every_problem_of_a_row_is_reported(tmp_path) -> None:
    folder = write_dossier(
        tmp_path, declarations=[declaration(origin="XX", declared_condition="old")]
    )
    fields = {r["field"] for r in _rejects(folder)}
    assert fields == {"origin", "declared_condition"}


def test_missing_required_column_names_the_file_and_column(tmp_path) -> None:
    _write(tmp_path, "declarations.csv", "declaration_id,vin\nD1,X\n")
    with pytest.raises(
        DossierError, match=r"declarations\.csv: missing required column\(s\) exporter_id"
    ):
        screen_dossier(tmp_path, extensions=())


def test_unknown_table_name_is_an_error(tmp_path) -> None:
    write_dossier(tmp_path, declarations=[declaration()])
    _write(tmp_path, "declaratons.csv", HEADER + "\n")
    with pytest.raises(DossierError, match="unknown table 'declaratons'"):
        Screening.open(tmp_path)


def test_no_declarations_is_an_error(tmp_path) -> None:
    _write(tmp_path, "vehicles.csv", "vin\n")
    with pytest.raises(DossierError, match="no declarations"):
        Screening.open(tmp_path)


def test_empty_file_is_an_error_naming_it(tmp_path) -> None:
    _write(tmp_path, "declarations.csv", "")
    with pytest.raises(DossierError, match=r"declarations\.csv: the file is empty"):
        Screening.open(tmp_path)


def test_header_only_file_means_no_rows(tmp_path) -> None:
    _write(tmp_path, "declarations.csv", HEADER + "\n")
    result = screen_dossier(tmp_path, extensions=())
    assert result.decisions.num_rows == 0
    assert result.summary["counts"]["declarations_in"] == 0


def test_utf8_bom_and_header_case_are_accepted(tmp_path) -> None:
    row = f"D1,E1,{MG_VIN},2024-06-01,CN,RU,used"
    _write(tmp_path, "declarations.csv", "\ufeff" + HEADER.upper() + "\n" + row + "\n")
    result = screen_dossier(tmp_path, extensions=())
    assert result.decisions.column("declaration_id").to_pylist() == ["D1"]
    assert result.rejects.num_rows == 0


def test_lines_count_quoted_newlines_and_broken_lines(tmp_path) -> None:
    rows = [
        HEADER,
        f"D1,E1,{MG_VIN},2024-06-01,CN,RU,used",
        f'D2,"E\n2",{MG_VIN},2024-06-01,CN,RU,used',  # lines 3-4, fine
        "D3,E3",  # line 5: too few columns
        f"D4,E4,{MG_VIN},2024-13-01,CN,RU,used",  # line 6: bad date
    ]
    _write(tmp_path, "declarations.csv", "\n".join(rows) + "\n")
    result = screen_dossier(tmp_path, extensions=())
    lines = {(r["line"], r["field"]) for r in result.rejects.to_pylist()}
    assert (6, "declaration_date") in lines
    assert any(line == 5 for line, _ in lines)
    assert sorted(result.decisions.column("declaration_id").to_pylist()) == ["D1", "D2"]
    counts = result.summary["counts"]
    assert counts["declarations_in"] == 4 == counts["decided"] + counts["rejected"]


def test_duplicate_declaration_id_keeps_the_first(tmp_path) -> None:
    folder = write_dossier(tmp_path, declarations=[declaration(), declaration(exporter_id="E2")])
    result = screen_dossier(folder, extensions=())
    assert result.decisions.column("exporter_id").to_pylist() == ["E1"]
    (reject,) = result.rejects.to_pylist()
    assert reject["line"] == 3
    assert "first given on line 2" in reject["message"]


def test_a_repeated_key_in_parquet_keeps_the_first_good_row(tmp_path) -> None:
    """Parquet tables are read in place; one whose key repeats is stored without the repeats."""
    rows = [
        declaration(declaration_id="D1", exporter_id="E1"),
        declaration(declaration_id="D1", exporter_id="E2", origin="XX"),  # bad, not a repeat
        declaration(declaration_id="D2"),
        declaration(declaration_id="D1", exporter_id="E3"),
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "declarations.parquet")
    result = screen_dossier(tmp_path, extensions=())
    decided = {r["declaration_id"]: r["exporter_id"] for r in result.decisions.to_pylist()}
    assert decided == {"D1": "E1", "D2": "E1"}
    rejects = {(r["line"], r["field"]): r["message"] for r in result.rejects.to_pylist()}
    assert set(rejects) == {(2, "origin"), (4, "declaration_id")}  # Parquet rows count from 1
    assert "first given on line 1" in rejects[(4, "declaration_id")]
    counts = result.summary["counts"]
    assert counts["declarations_in"] == 4 == counts["decided"] + counts["rejected"]


@pytest.mark.parametrize("statistics", [True, False], ids=["with-stats", "no-stats"])
def test_parquet_rows_with_a_blank_vin_are_rejected_whatever_the_statistics(
    tmp_path, statistics: bool
) -> None:
    """Row groups whose statistics rule out a blank VIN are skipped; the others are read."""
    pq.write_table(pa.Table.from_pylist([declaration()]), tmp_path / "declarations.parquet")
    # Row groups of three: ''; only spaces; NULL beside a padded VIN; '!x' (the lowest non-blank).
    vins = [MG_VIN, MG_VIN, "", MG_VIN, "   ", MG_VIN, None, f" {MG_VIN}", "!x", MG_VIN]
    odometer = pa.table(
        {
            "vin": vins,
            "reading_date": ["2024-05-01"] * len(vins),
            "km": pa.array(range(len(vins)), pa.int64()),
            "source": ["telematics"] * len(vins),
        }
    )
    pq.write_table(
        odometer, tmp_path / "odometer.parquet", row_group_size=3, write_statistics=statistics
    )
    result = screen_dossier(tmp_path, extensions=())
    rejected = {(r["line"], r["field"]) for r in result.rejects.to_pylist()}
    assert rejected == {(3, "vin"), (5, "vin"), (7, "vin")}
    assert result.summary["tables"]["odometer"]["rows_ok"] == 7
    evidence = json.loads(result.decisions.column("evidence")[0].as_py())
    assert evidence["facts"]["readings"] == 6  # the readings of the declared car, padded or not


def test_bad_evidence_rows_do_not_touch_declarations(tmp_path) -> None:
    folder = write_dossier(
        tmp_path,
        declarations=[declaration()],
        odometer=[
            {"vin": MG_VIN, "reading_date": "2024-01-01", "km": "100", "source": "telematics"},
            {"vin": MG_VIN, "reading_date": "2024-01-02", "km": "lots", "source": "telematics"},
            {"vin": MG_VIN, "reading_date": "2024-01-03", "km": "200", "source": "rumour"},
        ],
    )
    result = screen_dossier(folder, extensions=())
    assert result.decisions.num_rows == 1
    assert {(r["line"], r["field"]) for r in result.rejects.to_pylist()} == {
        (3, "km"),
        (4, "source"),
    }
    assert result.summary["counts"]["evidence_rows_rejected"] == 2


def test_strict_fails_on_any_reject(tmp_path) -> None:
    folder = write_dossier(tmp_path, declarations=[declaration(origin="XX")])
    with pytest.raises(StrictRejectError, match=r"declarations\.csv:2 field origin"):
        screen_dossier(folder, strict=True, extensions=())


def test_parquet_with_typed_and_text_columns(tmp_path) -> None:
    from datetime import date

    table = pa.table(
        {
            "declaration_id": ["D1", "D2"],
            "exporter_id": ["E1", "E1"],
            "vin": [MG_VIN, MG_VIN],
            "declaration_date": pa.array([date(2024, 6, 1), date(2024, 6, 2)], pa.date32()),
            "origin": ["CN", "CN"],
            "destination": ["RU", "ZZ"],
            "declared_condition": ["used", "used"],
            "declared_odometer_km": pa.array([10, -3], pa.int64()),
        }
    )
    tmp_path.mkdir(exist_ok=True)
    pq.write_table(table, tmp_path / "declarations.parquet")
    result = screen_dossier(tmp_path, extensions=())
    assert result.decisions.column("declaration_id").to_pylist() == ["D1"]
    rejects = {(r["line"], r["field"]) for r in result.rejects.to_pylist()}
    assert rejects == {(2, "destination"), (2, "declared_odometer_km")}


def test_arrow_tables_load_like_files() -> None:
    table = pa.table({k: [v] for k, v in declaration().items()})
    result = screen_dossier({"declarations": table}, extensions=())
    assert result.decisions.column("declaration_id").to_pylist() == ["D1"]


def test_a_model_year_too_large_for_its_type_is_a_reject_not_a_failure() -> None:
    decl = pa.table({k: [v] for k, v in declaration().items()})
    vehicles = pa.table(
        {
            "vin": [MG_VIN],
            "make": ["MG"],
            "model": ["MG4"],
            "model_year": pa.array([10**12], pa.int64()),
            "fuel": ["bev"],
            "body": ["passenger"],
            "steering": ["lhd"],
        }
    )
    result = screen_dossier({"declarations": decl, "vehicles": vehicles}, extensions=())
    assert result.decisions.column("declaration_id").to_pylist() == ["D1"]
    (reject,) = result.rejects.to_pylist()
    assert (reject["table"], reject["line"], reject["field"]) == ("vehicles", 1, "model_year")
    assert reject["value"] == str(10**12)
