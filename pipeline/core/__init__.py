"""Foundations every stage shares: typed results with provenance (``models``), length-preserving
text normalisation (``textnorm``), errors, the per-document result (``result``), document
identity (``identity``) and the settings (``settings``). Imports nothing else of the project."""
