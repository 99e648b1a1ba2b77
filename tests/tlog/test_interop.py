"""An independent C2SP implementation (tlog-scales, PyPI, Apache-2.0) reads our logs."""

from __future__ import annotations

from pathlib import Path

from tlog_scales.backend import LocalBackend
from tlog_scales.reader import TilesReader
from tlog_scales.signing import Vkey

from tests.tlog.helpers import entry
from zeromile.tlog import merkle
from zeromile.tlog.note import Signer, Verifier
from zeromile.tlog.reader import LogReader
from zeromile.tlog.storage import LogWriter

SIZES = (1, 255, 256, 257, 700, 66_000)


def test_tlog_scales_verifies_checkpoint_and_proofs(
    tmp_path: Path, writer: LogWriter, signer: Signer
) -> None:
    done = 0
    old_size = 0
    for size in SIZES:
        writer.append([entry(i, 16) for i in range(done, size)])
        done = size
        theirs = TilesReader(LocalBackend(tmp_path / "log"))
        checkpoint = theirs.get_checkpoint()
        checkpoint.verify(Vkey.from_string(signer.verifier().text()))
        assert checkpoint.size == size
        assert theirs.calculate_root_hash() == checkpoint.root_hash
        ours = LogReader(tmp_path / "log")
        for index in {0, size // 2, size - 1}:
            assert theirs.get_entry(index) == entry(index, 16)
            proof = ours.inclusion_proof(index, size)
            assert theirs.get_inclusion_proof(index, size).node_hashes == proof
            theirs_proof = theirs.get_inclusion_proof(index, size)
            theirs_proof.check(merkle.leaf_hash(entry(index, 16)), checkpoint.root_hash)
        if old_size:
            consistency = ours.consistency_proof(old_size, size)
            assert theirs.get_consistency_proof(old_size, size).node_hashes == consistency
        old_size = size


def test_keys_made_by_tlog_scales_verify_here() -> None:
    from tlog_scales.signing import PlainEd25519Signer
    from tlog_scales.tlog import Checkpoint as TheirCheckpoint

    from zeromile.tlog.checkpoint import open_checkpoint

    their_signer = PlainEd25519Signer("other.example/log", bytes([3]) * 32)
    note = TheirCheckpoint.make_signed("other.example/log", 5, merkle.EMPTY_ROOT, [their_signer])
    verifier = Verifier.parse(their_signer.vkey.serialize())
    assert open_checkpoint(note.serialize(), verifier).size == 5


def test_log_directory_served_over_http_is_read_by_tlog_scales(
    tmp_path: Path, writer: LogWriter, signer: Signer
) -> None:
    """The directory is the URL prefix: a plain static server is enough."""
    import functools
    import http.server
    import threading

    from tlog_scales.backend import HttpBackend

    writer.append([entry(i, 16) for i in range(600)])

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path / "log"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        theirs = TilesReader(HttpBackend(f"http://127.0.0.1:{server.server_address[1]}/"))
        checkpoint = theirs.get_checkpoint()
        checkpoint.verify(Vkey.from_string(signer.verifier().text()))
        assert theirs.calculate_root_hash() == checkpoint.root_hash
        assert theirs.get_entry(599) == entry(599, 16)
        proof = theirs.get_inclusion_proof(321, 600)
        proof.check(merkle.leaf_hash(entry(321, 16)), checkpoint.root_hash)
    finally:
        server.shutdown()
        server.server_close()
