"""The whole-database passes, in the order they must run after a batch.

1. ``link``: citations resolved against the registry (given) and the ingested documents;
2. ``supersede``: revised reports replace earlier ones — when that changes which documents
   are current, citations are linked again (only current documents enter the registry);
3. ``crosscheck``: copies, reports to plans, tasks to evidence (with the evidence settings).
"""

from __future__ import annotations

import sqlite_utils

from gazetteer.registry import LegalDocument
from pipeline.core.settings import Evidence
from pipeline.db import crosscheck, link
from pipeline.db.supersede import supersede


def run(db: sqlite_utils.Database, registry: tuple[LegalDocument, ...], matcher, evidence: Evidence) -> None:
    link.relink(db, registry)
    if supersede(db):
        link.relink(db, registry)
    crosscheck.crosscheck(db, matcher.district_of, evidence)
