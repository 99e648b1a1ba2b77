"""Re-check every curated WMI row against its vPIC source (needs network access).

    uv run python scripts/check_wmi_overrides.py

For each row of ``src/zeromile/vin/data/wmi_overrides.csv`` fetches the
``source`` URL and prints whether vPIC's manufacturer/make mentions the row's
make. Rows vPIC does not confirm are listed for a maintainer to review; the
exit code is 1 if any.
"""

from __future__ import annotations

import csv
import sys
from importlib import resources

import httpx

from zeromile.vin.makes import make_key


def _vpic_names(payload: dict[str, object]) -> list[str]:
    names: list[str] = []
    results = payload.get("Results")
    for item in results if isinstance(results, list) else []:
        if isinstance(item, dict):
            for field in ("ManufacturerName", "Manufacturer", "Make", "Name"):
                value = item.get(field)
                if isinstance(value, str) and value:
                    names.append(value)
    return names


def main() -> int:
    text = resources.files("zeromile.vin").joinpath("data", "wmi_overrides.csv").read_text()
    unconfirmed = 0
    with httpx.Client(timeout=30) as client:
        for row in csv.DictReader(text.splitlines()):
            try:
                response = client.get(row["source"])
                response.raise_for_status()
                names = _vpic_names(response.json())
            except (httpx.HTTPError, ValueError) as exc:
                print(f"{row['wmi']}: could not fetch {row['source']}: {exc}")
                unconfirmed += 1
                continue
            makes = [row["make"], *filter(None, row.get("also_makes", "").split("|"))]
            keys = [make_key(m) for m in makes]
            ok = any(k and k in make_key(name) for name in names for k in keys)
            unconfirmed += not ok
            print(f"{row['wmi']}: {'ok' if ok else 'NOT CONFIRMED'} vPIC says {names or 'nothing'}")
    return 1 if unconfirmed else 0


if __name__ == "__main__":
    sys.exit(main())
