"""Imported once by the sandbox's forkserver (``set_forkserver_preload``): builds the default
Extractor and runs it on a small text, so every worker forked afterwards starts warm."""

from pipeline.intake import sandbox

sandbox.warm()
