"""infringer-graph: the command line that ties graph/, ingest/, nlp/ and dashboard/ together."""

__version__ = "0.1.0"
