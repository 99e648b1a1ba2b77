"""Quoted text reaches the engine exactly as given, whatever quotes it holds."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from zeromile.sqltext import quote_ident, sql_string

# Any text DuckDB can hold: no NUL, which its strings do not allow, and no lone
# surrogate, which is not UTF-8 (text read from a file never holds one).
TEXT = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1, max_size=30
)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_string_literal_reads_back_as_given(text: str) -> None:
    con = duckdb.connect()
    assert con.execute(f"SELECT {sql_string(text)}").fetchone() == (text,)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_identifier_names_the_column_as_given(name: str) -> None:
    con = duckdb.connect()
    cur = con.execute(f"SELECT 1 AS {quote_ident(name)}")
    assert [d[0] for d in cur.description] == [name]


def test_quotes_are_doubled_not_dropped() -> None:
    assert sql_string("it's") == "'it''s'"
    assert quote_ident('a"b') == '"a""b"'
