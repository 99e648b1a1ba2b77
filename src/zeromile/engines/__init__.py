"""Engines that run zeromile's set-based SQL. DuckDB is the embedded default."""
