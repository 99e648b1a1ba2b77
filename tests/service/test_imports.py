"""The pure registry and inspection cores, and the CLI shell, import no adapter."""

from __future__ import annotations

import subprocess
import sys

CODE = (
    "import sys, zeromile.registry, zeromile.inspection, zeromile.service.settings;"
    "import zeromile.cli.app as a; a.build_app();"
    "print(sorted(m for m in ('fastapi', 'duckdb', 'sqlalchemy', 'uvicorn', 'pyspark')"
    " if m in sys.modules))"
)


def test_no_adapter_is_imported() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
