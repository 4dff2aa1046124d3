"""The catalogue in and out as CSV files (format: `catalog/product_csv.py`).

Import: the uploaded file is read and every row checked first. A file with any bad row
imports nothing and lists every problem by row; a good file is written in one transaction
(all rows or none) while the answer page streams its progress — a count of rows written —
so a long import shows how far it is without JavaScript. Rows equal to the stored products
change nothing, so uploading the same file again is harmless (and so is reloading the page).

Export: every product, active or not, as UTF-8. `format=excel` (default) writes `;` and a
byte order mark, which German Excel opens correctly by double-click; `format=plain` writes
`,` without a BOM for other programs. The import reads both.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from ordnung.catalog.model import ProductImportRow
from ordnung.catalog.product_csv import (
    COLUMNS,
    EXCEL,
    MAX_ROWS,
    PLAIN,
    REQUIRED_COLUMNS,
    ReadFile,
    read_products,
    write_products,
)
from ordnung.catalog.service import ImportResult, export_products, import_products
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import OrdnungError
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, catalogue_editor, catalogue_reader
from ordnung.web.rendering import render, render_stream
from ordnung.web.security import app_settings, checked_form, database

router = APIRouter(include_in_schema=False)
_log = logging.getLogger(__name__)

# Problems listed on the page; the rest are counted. A file with thousands of bad rows
# usually has one mistake repeated (a wrong separator, a shifted column).
SHOWN_PROBLEMS = 200
_DIALECTS = {"excel": EXCEL, "plain": PLAIN}


@dataclass(frozen=True, slots=True)
class ImportStep:
    """What the import page shows next: rows written so far, then the outcome."""

    rows_done: int = 0
    result: ImportResult | None = None
    failure_key: str | None = None
    detail: str = ""


@router.get("/catalogue/export.csv")
def export(
    request: Request, format: str = "excel", _staff: StaffUser = Depends(catalogue_reader)
) -> Response:
    dialect = _DIALECTS.get(format, EXCEL)
    body = write_products(export_products(database(request)), dialect).encode("utf-8")
    file_name = f"ordnung-products-{clock.now().date().isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/catalogue/import", response_class=HTMLResponse)
def import_page(request: Request, _staff: StaffUser = Depends(catalogue_editor)) -> Response:
    return render(request, "catalogue/import.html", _import_context(request))


@router.post("/catalogue/import", response_class=HTMLResponse)
def import_file(
    request: Request,
    staff: StaffUser = Depends(catalogue_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        context = _import_context(request, file_key="import.error.no_file")
        return render(request, "catalogue/import.html", context, status_code=422)
    read = read_products(upload.file.read())
    if not read.is_importable:
        context = _import_context(request, read=read, file_name=upload.filename)
        return render(request, "catalogue/import.html", context, status_code=422)
    steps = _import_in_background(database(request), read.rows, actor_of(staff))
    context = {
        "active": "catalogue",
        "file_name": upload.filename,
        "total": len(read.rows),
        "steps": steps,
    }
    return render_stream(request, "catalogue/import_progress.html", context)


def _import_context(
    request: Request,
    *,
    read: ReadFile | None = None,
    file_name: str = "",
    file_key: str | None = None,
) -> dict[str, object]:
    problems = read.problems if read is not None else []
    file_problem = read.file_problem if read is not None else None
    if read is not None and file_problem is None and not problems:
        file_key = "import.error.no_rows"  # a header and nothing else
    return {
        "active": "catalogue",
        "columns": COLUMNS,
        "required_columns": REQUIRED_COLUMNS,
        "max_rows": MAX_ROWS,
        "max_kilobytes": app_settings(request).max_body_bytes // 1024,
        "file_name": file_name,
        "file_key": file_key,
        "file_problem": file_problem,
        "row_count": read.row_count if read is not None else 0,
        "problems": problems[:SHOWN_PROBLEMS],
        "hidden_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        "bad_rows": len({problem.row for problem in problems}),
    }


def _import_in_background(
    db: Database, rows: list[ProductImportRow], actor: str
) -> Iterator[ImportStep]:
    """Starts the import in a thread of its own at once (it finishes even if the reader
    leaves) and answers the steps it reports, the last one being the outcome."""
    steps: queue.Queue[ImportStep | None] = queue.Queue()

    def run() -> None:
        try:
            result = import_products(
                db, rows, actor=actor, on_progress=lambda done: steps.put(ImportStep(done))
            )
            steps.put(ImportStep(len(rows), result=result))
        except OrdnungError as error:
            steps.put(ImportStep(failure_key="import.failed", detail=error.detail))
        except Exception:
            # Nothing was written (one transaction); the page must still end with a message.
            _log.exception("product import failed")
            steps.put(ImportStep(failure_key="import.failed_unexpectedly"))
        finally:
            steps.put(None)

    threading.Thread(target=run, name="product-import", daemon=True).start()
    return _until_finished(steps)


def _until_finished(steps: queue.Queue[ImportStep | None]) -> Iterator[ImportStep]:
    while (step := steps.get()) is not None:
        yield step
