"""Analytics: pure functions over what the store returns (operators, scale, jurisdictions, paths, communities).

The CLI and the dashboard call the same functions; nothing here writes to the store or knows a query language.
"""
