"""zeromile: supervision of used-vehicle exports.

Importing this package opens no database, reads no file and imports no engine
(DuckDB, FastAPI, PySpark); those load lazily where they are used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
