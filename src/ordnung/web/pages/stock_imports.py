"""Stock imports in the back office: upload a CSV from a WMS, POS or supplier feed (snapshot
or delta), watch it being booked (progress and time left, streamed without JavaScript, as the
catalogue import does), and read the reconciliation: what changed, what was refused and why.

The file is read and checked first; a file with unreadable lines imports nothing. A good file
is booked in one transaction (`orchestration/stock_operations.py`) in a thread of its own, so
it finishes even if the reader leaves."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from ordnung.core.db import Database
from ordnung.core.errors import NotFoundError, OrdnungError
from ordnung.inventory import imports, stock_sync
from ordnung.inventory.imports import ImportOutcome
from ordnung.inventory.stock_sync import SyncBatch
from ordnung.orchestration.stock_operations import import_stock
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.form_input import text
from ordnung.web.rendering import query_string, render, render_stream
from ordnung.web.security import app_settings, checked_form, database

router = APIRouter(include_in_schema=False)
_log = logging.getLogger(__name__)

LIST_SIZE = 25
LINES_SHOWN = 200


@router.get("/stock-imports", response_class=HTMLResponse)
def imports_page(
    request: Request, before: str = "", _staff: StaffUser = Depends(stock_reader)
) -> Response:
    return _imports_page(request, before=before)


def _imports_page(
    request: Request,
    *,
    before: str = "",
    problem: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    before_id = int(before) if before.isdigit() else None
    page = imports.list_imports(database(request), after_id=before_id, limit=LIST_SIZE)
    context = {
        "active": "stock",
        "imports": page["items"],
        "next_url": None
        if page["next_after_id"] is None
        else "/stock-imports" + query_string({"before": page["next_after_id"]}),
        "is_first_page": before_id is None,
        "max_lines": stock_sync.MAX_LINES,
        "max_kilobytes": app_settings(request).max_body_bytes // 1024,
        "problem": problem,
        "typed": typed or {"source": "", "mode": stock_sync.SNAPSHOT},
        "modes": stock_sync.MODES,
    }
    return render(request, "stock_ops/imports.html", context, status_code=status_code)


@dataclass(frozen=True, slots=True)
class ImportStep:
    """What the progress page shows next: lines booked so far and time left, then the end."""

    done: int = 0
    seconds_left: int | None = None
    outcome: ImportOutcome | None = None
    failure: str | None = None


@router.post("/stock-imports", response_class=HTMLResponse)
def upload(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    typed = {"source": text(form, "source"), "mode": text(form, "mode")}
    upload = form.get("file")
    problem: dict[str, Any] | None = None
    if not typed["source"] or len(typed["source"]) > imports.MAX_SOURCE_LENGTH:
        problem = {"key": "imports.error.source"}
    elif typed["mode"] not in stock_sync.MODES:
        problem = {"key": "imports.error.mode"}
    elif not isinstance(upload, UploadFile) or not upload.filename:
        problem = {"key": "imports.error.no_file"}
    if problem is None and isinstance(upload, UploadFile):
        read = stock_sync.read_sync_file(upload.file.read())
        why = stock_sync.check_lines(typed["mode"], read.lines)
        refused: list[stock_sync.FileProblem | str] = list(read.problems) or ([why] if why else [])
        if not refused:
            batch = SyncBatch(typed["source"], typed["mode"], read.lines)
            steps = _import_in_background(database(request), batch, actor_of(staff))
            context = {
                "active": "stock",
                "file_name": upload.filename,
                "total": _line_total(database(request), batch),
                "steps": steps,
            }
            return render_stream(request, "stock_ops/import_progress.html", context)
        problem = _file_problem(refused)
    return _imports_page(request, problem=problem, typed=typed, status_code=422)


def _file_problem(refused: list[Any]) -> dict[str, Any]:
    first = refused[0]
    if isinstance(first, str):
        return {"key": "imports.error.file", "line": "–", "message": first, "more": 0}
    return {
        "key": "imports.error.file",
        "line": first.line_number,
        "message": first.message,
        "more": len(refused) - 1,
    }


def _line_total(_db: Database, batch: SyncBatch) -> int:
    # A snapshot may add positions the file leaves out; the count shown is the file's.
    return len(batch.lines)


def _import_in_background(db: Database, batch: SyncBatch, actor: str) -> Iterator[ImportStep]:
    steps: queue.Queue[ImportStep | None] = queue.Queue()
    started = time.monotonic()
    total = len(batch.lines)

    def progress(done: int) -> None:
        elapsed = time.monotonic() - started
        left = None if done == 0 else round(elapsed / done * max(0, total - done))
        steps.put(ImportStep(done=min(done, total), seconds_left=left))

    def run() -> None:
        try:
            outcome = import_stock(db, batch, actor=actor, on_progress=progress)
            steps.put(ImportStep(done=total, outcome=outcome))
        except OrdnungError as error:
            steps.put(ImportStep(failure=error.detail))
        except Exception:
            _log.exception("stock import failed")  # nothing was booked: one transaction
            steps.put(ImportStep(failure=""))
        finally:
            steps.put(None)

    threading.Thread(target=run, name="stock-import", daemon=True).start()
    return _until_finished(steps)


def _until_finished(steps: queue.Queue[ImportStep | None]) -> Iterator[ImportStep]:
    while (step := steps.get()) is not None:
        yield step


@router.get("/stock-imports/{import_id}", response_class=HTMLResponse)
def report_page(
    request: Request,
    import_id: int,
    after: str = "",
    _staff: StaffUser = Depends(stock_reader),
) -> Response:
    db = database(request)
    try:
        report = imports.import_report(db, import_id)
    except NotFoundError:
        context = {
            "active": "stock",
            "message_key": "imports.not_found",
            "value": import_id,
            "back_url": "/stock-imports",
            "back_key": "imports.back",
        }
        return render(request, "catalogue/missing.html", context, status_code=404)
    after_id = int(after) if after.isdigit() else None
    changes = imports.import_lines(
        db, import_id, outcomes=(stock_sync.CHANGED,), after_id=after_id, limit=LINES_SHOWN
    )
    here = f"/stock-imports/{import_id}"
    context = {
        "active": "stock",
        "report": report,
        "changes": changes["items"],
        "next_url": None
        if changes["next_after_id"] is None
        else here + query_string({"after": changes["next_after_id"]}),
        "first_url": here if after_id is not None else None,
    }
    return render(request, "stock_ops/import_report.html", context)
