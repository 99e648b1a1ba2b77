"""The core never imports an adapter; importing zeromile loads no engine or web stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("duckdb", "fastapi", "pyspark", "sqlalchemy", "typer")


@pytest.mark.parametrize(
    "module",
    [
        "zeromile",
        "zeromile.dossier",
        "zeromile.screening",
        "zeromile.stats.summary",
        "zeromile.vin",
        "zeromile.rules",
        "zeromile.duties",
        "zeromile.tlog",
    ],
)
def test_core_module_imports_no_adapter(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"
