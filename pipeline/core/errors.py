"""Library errors. The CLI turns them into one-line messages; the ingest log stores them."""


class PlantraceError(Exception):
    """Base class: ``stage`` names the pipeline stage that failed."""

    stage = "ingest"


class ReadError(PlantraceError):
    """The file could not be read as a document (wrong type, damaged, encrypted, empty)."""

    stage = "read"
