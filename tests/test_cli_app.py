"""The CLI's top-level behaviour: help, unknown commands, error trap."""

from __future__ import annotations

import subprocess
import sys


def test_help_lists_the_program() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zeromile", "--help"], capture_output=True, text=True, check=True
    )
    assert "zeromile" in out.stdout


def test_unknown_command_fails_with_usage_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zeromile", "no-such-command"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "No such command" in out.stderr
    assert "Traceback" not in out.stderr
