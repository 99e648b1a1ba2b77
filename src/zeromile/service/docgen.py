"""Generated parts of ``docs/service.md``: the settings table and the roles matrix.

    uv run python -m zeromile.service.docgen docs/service.md   # rewrite in place

A test regenerates both and fails if the committed file differs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from zeromile.service.policy import ANONYMOUS_ACTIONS, POLICY, Role
from zeromile.service.settings import Settings


def settings_table() -> str:
    """One row per setting: environment variable, default, meaning."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = "unset" if default is None else f"`{default}`"
        description = (info.description or "").replace("|", "\\|")
        lines.append(f"| `ZEROMILE_{name.upper()}` | {shown} | {description} |")
    return "\n".join(lines)


def roles_matrix() -> str:
    """One row per action: which roles may perform it (anonymous callers act as public)."""
    roles = list(Role)
    header = "| action | " + " | ".join(r.value for r in roles) + " | anonymous |"
    lines = [header, "|---" * (len(roles) + 2) + "|"]
    for action, allowed in POLICY.items():
        cells = ["yes" if role in allowed else "-" for role in roles]
        cells.append("yes" if action in ANONYMOUS_ACTIONS else "-")
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_BLOCKS = {"settings": settings_table, "roles": roles_matrix}


def render(text: str) -> str:
    """Replace each ``<!-- NAME:start -->...<!-- NAME:end -->`` block with fresh output."""
    for name, build in _BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"marker <!-- {name}:start --> ... <!-- {name}:end --> not found")
        text = pattern.sub(lambda m, b=build: m.group(1) + b() + "\n" + m.group(2), text)  # type: ignore[misc]
    return text


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
