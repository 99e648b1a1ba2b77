"""Quoting for the SQL text every part of zeromile writes (DuckDB and Spark SQL alike)."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    """Quote an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"
