"""The exporter registry as pure logic: licence events, their fold, the negative list.

No I/O: the service stores events and asks these functions what they mean.
"""

from zeromile.registry.exporters import (
    EXPORTER_COLUMNS,
    EventKind,
    ExporterIdentity,
    LicenceEvent,
    LicenceState,
    Status,
    check_transition,
    contract_row,
    registry_as_of,
    state_as_of,
)
from zeromile.registry.negative_list import Conduct, ExitRule

__all__ = [
    "EXPORTER_COLUMNS",
    "Conduct",
    "EventKind",
    "ExitRule",
    "ExporterIdentity",
    "LicenceEvent",
    "LicenceState",
    "Status",
    "check_transition",
    "contract_row",
    "registry_as_of",
    "state_as_of",
]
