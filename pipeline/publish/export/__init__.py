"""Exports of one plan's world, one module per format (``python -m pipeline export {xlsx,docx,json}``):

- ``xlsx``: the compliance matrix — one sheet per plan, tasks × responsible bodies, each
  cell the task's status for that body, plus a sheet "Báo cáo" with the reporting status;
- ``docx``: a draft synthesis report in Vietnamese administrative style (marked DỰ THẢO);
- ``json``: a full dump — the plan, its tasks and their bodies, obligations, reporting and
  task status, and the reports that answer it with their evidence and figures.

Functions take a sqlite-utils ``Database`` and plan ids (see :func:`resolve_plans`); they
raise :class:`ExportError` with a one-line Vietnamese message, which the CLI shows as is.
"""

from pipeline.publish.export.common import (ExportError, MAX_QUOTES, TASK_FILLS, TASK_STATUS_VI, default_output,
                                            open_db, resolve_plans)
from pipeline.publish.export.docx import export_docx, synthesis
from pipeline.publish.export.dump import dump, export_json
from pipeline.publish.export.xlsx import export_xlsx, matrix

__all__ = ["ExportError", "MAX_QUOTES", "TASK_FILLS", "TASK_STATUS_VI", "default_output", "dump", "export_docx",
           "export_json", "export_xlsx", "matrix", "open_db", "resolve_plans", "synthesis"]
