"""Excel workbooks (.xlsx): writing in the standard layout, and the reading entry points.

Reading spreadsheets is :mod:`perfscore.readers.spreadsheet` (python-calamine); writing is
:mod:`perfscore.readers.writer`.  :func:`forms_from_workbook`, :class:`SheetForm` and
:func:`write_workbook` are re-exported here for existing callers.
"""

from __future__ import annotations

from perfscore.readers.spreadsheet import SheetForm, forms_from_workbook
from perfscore.readers.writer import write_workbook

__all__ = ["SheetForm", "forms_from_workbook", "write_workbook"]
