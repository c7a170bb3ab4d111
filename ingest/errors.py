"""The root exception of the ingest package."""


class IngestError(Exception):
    """A user-facing ingest problem (missing file, bad option). The CLI prints it as one line."""


class ParseError(IngestError):
    """A document cannot be parsed. The message names the file and the place."""

    def __init__(self, path: str, place: str, problem: str):
        self.path, self.place, self.problem = path, place, problem
        super().__init__(f"{path}: {place}: {problem}" if place else f"{path}: {problem}")
