"""Screening statistics computed only from logged entries, so anyone can recompute them.

The summary counts *effective* decisions: an entry named by a later entry's
``supersedes`` no longer counts. It is bound to the checkpoint it was computed at
(tree size, root, signed note); :func:`compare` lists every figure that differs between
a published summary and a recomputation.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from zeromile.errors import LogError
from zeromile.tlog.checkpoint import Checkpoint
from zeromile.tlog.records import decode_entry

SCHEMA = "zeromile.stats/v1"
FIGURES = (
    "entries",
    "superseded",
    "declarations",
    "by_verdict",
    "by_finding",
    "by_flow",
    "zero_mileage",
)


def effective_entries(entries: Iterable[tuple[int, bytes]]) -> tuple[list[dict[str, Any]], int]:
    """Decode entries and drop superseded ones; return (effective, total count)."""
    decoded: dict[int, dict[str, Any]] = {}
    replaced: set[int] = set()
    for index, raw in entries:
        entry = decode_entry(raw, index=index)
        target = entry["supersedes"]
        if target is not None:
            old = decoded.get(target) if isinstance(target, int) else None
            if old is None or old["declaration_id"] != entry["declaration_id"]:
                raise LogError(
                    f"entry {index} supersedes {target!r}, which is not an earlier entry "
                    f"of declaration {entry['declaration_id']!r}"
                )
            replaced.add(target)
        decoded[index] = entry
    return [e for i, e in decoded.items() if i not in replaced], len(decoded)


def summarize(entries: Iterable[tuple[int, bytes]]) -> dict[str, Any]:
    """Counts by verdict, finding and flow; zero-mileage share by origin and month."""
    effective, total = effective_entries(entries)
    by_verdict: Counter[str] = Counter()
    by_finding: Counter[str] = Counter()
    by_flow: Counter[str] = Counter()
    zm: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for e in effective:
        by_verdict[e["verdict"]] += 1
        by_finding.update(e["findings"])
        by_flow[f"{e['origin']}-{e['destination']}"] += 1
        cell = zm[e["origin"]][e["declaration_date"][:7]]
        cell[0] += 1
        cell[1] += int(bool(e["zero_mileage"]))
    return {
        "entries": total,
        "superseded": total - len(effective),
        "declarations": len({e["declaration_id"] for e in effective}),
        "by_verdict": dict(sorted(by_verdict.items())),
        "by_finding": dict(sorted(by_finding.items())),
        "by_flow": dict(sorted(by_flow.items())),
        "zero_mileage": {
            origin: {
                month: {"declarations": n, "zero_mileage": z, "share": round(z / n, 6)}
                for month, (n, z) in sorted(months.items())
            }
            for origin, months in sorted(zm.items())
        },
    }


def bind(summary: Mapping[str, Any], checkpoint: Checkpoint, note: str) -> dict[str, Any]:
    """Attach the checkpoint the figures were computed at."""
    return {
        "schema": SCHEMA,
        "origin": checkpoint.origin,
        "tree_size": checkpoint.size,
        "root": base64.b64encode(checkpoint.root).decode(),
        "checkpoint": note,
        **summary,
    }


def compare(published: Mapping[str, Any], recomputed: Mapping[str, Any]) -> list[str]:
    """Every figure that differs, as ``path: published X, recomputed Y``."""
    diffs: list[str] = []

    def walk(path: str, a: Any, b: Any) -> None:
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for key in sorted(set(a) | set(b)):
                walk(f"{path}.{key}" if path else str(key), a.get(key), b.get(key))
        elif a != b:
            diffs.append(f"{path}: published {a!r}, recomputed {b!r}")

    for figure in FIGURES:
        walk(figure, published.get(figure), recomputed.get(figure))
    return diffs
