"""Child process for the crash test: append random batches until killed.

After each batch returns (i.e. is durable) it prints the committed tree size, so the
parent knows which entries were reported as committed when it sends SIGKILL.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from tests.tlog.helpers import ORIGIN, entry
from zeromile.tlog.note import Signer
from zeromile.tlog.storage import LogWriter


def main(log_dir: Path, lock: Path, seed: int) -> None:
    signer = Signer(ORIGIN, bytes(32))
    if (log_dir / "checkpoint").exists():
        writer = LogWriter.open(log_dir, signer, lock_path=lock)
    else:
        writer = LogWriter.create(log_dir, signer, lock_path=lock)
    rng = random.Random(seed)
    print(f"ready {writer.size}", flush=True)
    while True:
        n = rng.randint(1, 4000)
        writer.append([entry(writer.size + i, 200) for i in range(n)])
        print(f"committed {writer.size}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
