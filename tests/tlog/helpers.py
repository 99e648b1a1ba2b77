"""Small shared helpers (no pytest import, so the crash-test child starts fast)."""

from __future__ import annotations

ORIGIN = "test.zeromile.example/log"


def entry(i: int, size: int = 40) -> bytes:
    """A deterministic entry whose content says where it belongs."""
    head = f"entry-{i:09d}-".encode()
    return head + b"x" * max(0, size - len(head))
