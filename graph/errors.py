"""The root exception of the graph package and its few subclasses."""


class GraphError(Exception):
    """Root of every error the graph package raises on purpose."""


class SchemaError(GraphError):
    """The declared model is inconsistent, or a name is not in it."""


class StoreError(GraphError):
    """The store cannot be opened, read or written."""
