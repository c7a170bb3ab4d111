"""The graph: model (graph/schema), cleaners, facts, stores, resolution. Imports none of the other packages."""
