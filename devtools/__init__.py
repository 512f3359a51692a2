"""Developer tools run from the checkout, never installed: scoring against the corpus gold
(``evaluate``) and the benchmark (``bench``)."""
