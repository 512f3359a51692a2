"""The database: its schema (one Migrations set), the one module that writes a document's rows
(``store``), analysts' verdicts (``reviews``) and the whole-database passes run after a batch
(``passes``: link → supersede → cross-check)."""
