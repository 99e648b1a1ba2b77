"""``/api/v1/log``: the transparency log, read-only: checkpoint, tiles, proofs (public).

The log directory is already the log's URL layout (C2SP tlog-tiles); these
routes serve it with strict path checks, and bundle inclusion proofs so a
client can verify one entry without fetching tiles itself.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, Security

from zeromile.errors import NotFoundError
from zeromile.service.deps import Ctx, requires
from zeromile.service.policy import Principal
from zeromile.service.routes import PROBLEM_RESPONSES

router = APIRouter(prefix="/log", tags=["log"], responses=PROBLEM_RESPONSES)

MayReadLog = Annotated[Principal, Security(requires("log.read"), scopes=["log.read"])]

#: tlog-tiles paths: tile/<L>/<N> or tile/entries/<N>, N in x-prefixed 3-digit groups.
_TILE = re.compile(r"^(?:[0-9]|entries)/(?:x[0-9]{3}/)*[0-9]{3}(?:\.p/[0-9]{1,3})?$")


def _log_dir(context: Ctx) -> FsPath:
    if context.settings.log_dir is None:
        raise NotFoundError("no transparency log is configured on this server (ZEROMILE_LOG_DIR)")
    return context.settings.log_dir


def _read(directory: FsPath, rel: str) -> bytes:
    from zeromile.tlog.reader import LogReader

    data = LogReader(directory).fetch(rel)
    if data is None:
        raise NotFoundError(f"the log has no {rel}")
    return data


@router.get(
    "/checkpoint",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def checkpoint(caller: MayReadLog, context: Ctx) -> Response:
    """The signed checkpoint (C2SP tlog-checkpoint signed note)."""
    return Response(_read(_log_dir(context), "checkpoint"), media_type="text/plain")


@router.get(
    "/tile/{tile_path:path}",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            }
        }
    },
)
def tile(
    tile_path: Annotated[str, Path(max_length=100)], caller: MayReadLog, context: Ctx
) -> Response:
    """A hash tile or entry bundle, at its tlog-tiles path."""
    if not _TILE.match(tile_path):
        raise NotFoundError(f"tile/{tile_path} is not a tlog-tiles path")
    return Response(
        _read(_log_dir(context), f"tile/{tile_path}"), media_type="application/octet-stream"
    )


@router.get("/proofs/{index}", response_model=dict[str, Any])
def proof(
    index: Annotated[int, Path(ge=0, le=2**62)], caller: MayReadLog, context: Ctx
) -> dict[str, Any]:
    """Entry ``index`` with its inclusion proof at the current checkpoint (a proof bundle)."""
    from zeromile.tlog.checkpoint import parse_unverified
    from zeromile.tlog.proofs import prove
    from zeromile.tlog.reader import LogReader

    reader = LogReader(_log_dir(context))
    size = parse_unverified(reader.checkpoint_text()).size
    if index >= size:
        raise NotFoundError(f"the log has {size} entries; there is no entry {index}")
    bundle: dict[str, Any] = prove(reader, index).to_json()
    return bundle
