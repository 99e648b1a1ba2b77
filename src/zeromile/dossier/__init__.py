"""The dossier: zeromile's input contract and its validation."""

from zeromile.dossier.contract import TABLES, Column, Kind, Table
from zeromile.dossier.files import TableFile, discover

__all__ = ["TABLES", "Column", "Kind", "Table", "TableFile", "discover"]
