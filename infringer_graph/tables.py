"""Tidy terminal output: rich tables for people, JSON for scripts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text


def make_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]],
               numeric: Iterable[str] = ()) -> Table:
    right = set(numeric)
    table = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        table.add_column(col, justify="right" if col in right else "left", overflow="fold")
    for row in rows:
        # Text(), not markup: values come from counterfeiters' pages and may contain "[bold]" etc.
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    return table
