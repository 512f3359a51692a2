"""plantrace: read Vietnamese plans and reports, extract what they assign and report, publish it."""

__version__ = "0.1.0"
