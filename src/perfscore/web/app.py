"""The ASGI application: the page, the batch API, the downloads.

    GET  /                                 the page
    POST /rules/check                      a rule file checked as ``perfscore rules check`` does
    POST /jobs                             a batch: form files, a rule set, an optional waivers file
    GET  /jobs/{id}                        its progress (JSON, polled by the page)
    GET  /jobs/{id}/report                 the report (an HTML fragment)
    GET  /jobs/{id}/forms/{n}/explain      the explanation of a form or of one row (text)
    GET  /jobs/{id}/download/{what}        csv, json, docx (the Word review), annotated
    DELETE /jobs/{id}                      the batch and its files, removed now

Everything goes through :class:`~perfscore.web.guard.Guard` first.  Endpoints that read or
write files run in Starlette's thread pool; scoring runs in the store's worker threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from perfscore import __version__
from perfscore.engine.pipeline import EvaluationResult
from perfscore.errors import PerfscoreError
from perfscore.ruleset.rules import list_rules, load_rules
from perfscore.web import downloads, workbench
from perfscore.web.guard import Guard, TooLarge
from perfscore.web.jobs import Busy, Job, JobStore, remove_folder
from perfscore.web.ruleupload import RuleChoice, RuleRefused, check_rule_file, choose_rules
from perfscore.web.settings import Settings
from perfscore.web.uploads import save_rule_file, save_uploads
from perfscore.web.views import batch_view, progress_view

__all__ = ["create_app"]

_LANGS = ("zh", "en")


class _Site:
    """What the routes share: the settings, the templates and the batches (one per app)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = JobStore(settings.max_jobs, settings.job_seconds)
        self.templates = Environment(
            loader=PackageLoader("perfscore.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(**context)

    def job(self, request: Request) -> Job:
        job = self.store.get(request.path_params["job"])
        if job is None:
            raise _NotFound("no such batch: it was cleared or has expired; upload the files again")
        return job

    async def index(self, request: Request) -> Response:
        names = list_rules()
        page = self.render(
            "index.html",
            version=__version__,
            rules=[(name, load_rules(name).title) for name in names],
            settings=self.settings,
            max_mb=self.settings.max_upload_bytes // (1024 * 1024),
            word=workbench.has_word_review(),
        )
        return HTMLResponse(page)

    async def check_rules(self, request: Request) -> Response:
        form = await request.form(max_files=1, max_fields=4)
        try:
            sent = form.get("rulefile")
            if not isinstance(sent, UploadFile):
                raise PerfscoreError("no rule file sent", expected="a .yaml rule file")
            findings, ok = await run_in_threadpool(check_rule_file, sent, self.store)
        finally:
            await form.close()
        return JSONResponse({"ok": ok, "findings": findings})

    async def create_job(self, request: Request) -> Response:
        limit = self.settings.max_files
        form = await request.form(max_files=limit + 2, max_fields=limit + 10)
        try:
            files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            lang = str(form.get("lang") or "zh")
            if lang not in _LANGS:
                raise PerfscoreError(f"no language {lang!r}", expected="zh or en")
            extra = {k: form.get(k) for k in ("rulefile", "waivers")}
            choice = RuleChoice(str(form.get("rules") or "national-2020"), extra["rulefile"])
            job = await run_in_threadpool(self._new_job, files, choice, extra["waivers"], lang)
        finally:
            await form.close()
        return JSONResponse(
            {
                "id": job.id,
                "total": len(job.uploads),
                "notes": list(job.notes),
                "rules": job.rules_name,
                "findings": list(job.rule_findings),
                "word": workbench.has_word_review(),
            },
            status_code=202,
        )

    def _new_job(self, files: list[UploadFile], choice: RuleChoice, waivers: Any, lang: str) -> Job:
        folder = self.store.folder()
        try:
            uploads, notes = save_uploads(files, folder, self.settings.max_files)
            rules, name, findings = choose_rules(choice, folder)
            accepted, names = None, {"rules": name}
            if isinstance(waivers, UploadFile) and waivers.filename:
                accepted, names["waivers"] = _waivers(waivers, folder)
            # The rule and waivers files as uploaded, where a report names them.
            aliases = tuple((str(p), names[p.stem]) for p in folder.iterdir() if p.stem in names)
        except BaseException:
            remove_folder(folder)
            raise
        job = Job(
            id=self.store.new_id(),
            folder=folder,
            uploads=tuple(uploads),
            rules=rules,
            rules_name=name,
            lang="en" if lang == "en" else "zh",
            rule_findings=tuple(findings),
            notes=tuple(notes),
            waivers=accepted,
            aliases=aliases,
        )
        self.store.submit(job)
        return job

    async def status(self, request: Request) -> Response:
        job = self.job(request)
        view = progress_view(job.progress(), job.lang)
        view["workbooks"] = len(downloads.workbooks(job)) if view["state"] != "running" else 0
        return JSONResponse(view)

    async def report(self, request: Request) -> Response:
        job = self.job(request)
        page = await run_in_threadpool(self._report, job)  # a large batch takes a moment
        return HTMLResponse(page)

    def _report(self, job: Job) -> str:
        view = batch_view(job.progress(), job.lang, job.waivers)
        return job.named(self.render("report.html", job=job, **view))

    async def explain(self, request: Request) -> Response:
        job = self.job(request)
        text = await run_in_threadpool(_explained, job, request)
        return PlainTextResponse(job.named(text))

    async def download(self, request: Request) -> Response:
        job = self.job(request)
        found = await run_in_threadpool(_download, job, request.path_params["what"])
        data, media, name = found
        disposition = {"content-disposition": downloads.attachment(name)}
        return Response(data, media_type=media, headers=disposition)

    async def forget(self, request: Request) -> Response:
        removed = self.store.remove(request.path_params["job"])
        return Response(status_code=204 if removed else 404)


def _waivers(sent: UploadFile, folder: Path) -> tuple[Any, str]:
    """The uploaded waivers file, read, and its name; an error names it as uploaded."""
    saved = save_rule_file(sent, folder, "waivers")
    try:
        return workbench.load_waivers(saved.path), saved.name
    except PerfscoreError as exc:
        raise PerfscoreError(str(exc).replace(str(saved.path), saved.name)) from None


class _NotFound(PerfscoreError):
    """A batch, form or download that is not there."""


def _explained(job: Job, request: Request) -> str:
    from perfscore.report.explain import explain

    items = job.progress().items
    number = request.path_params["form"]
    result = items[number][1] if 0 <= number < len(items) else None
    if not isinstance(result, EvaluationResult):
        raise _NotFound(f"no form #{number} in this batch")
    row = request.query_params.get("row") or None
    if row is not None and not row.isdigit():
        raise PerfscoreError(f"no row {row!r}", expected="a row number")
    try:
        return explain(result, row, job.lang)
    except LookupError as exc:
        raise _NotFound(str(exc).strip("'\"")) from None


def _download(job: Job, what: str) -> downloads.Download:
    if what == "csv":
        return downloads.csv_report(job)
    if what == "json":
        return downloads.json_report(job)
    if what == "annotated":
        return downloads.annotated(job)
    if what == "docx":
        found = downloads.word_review(job)
        if found is not None:
            return found
        raise _NotFound("this perfscore writes no Word review; update perfscore")
    raise _NotFound(f"no download {what!r}; there are csv, json, docx and annotated")


async def _refused(request: Request, exc: Exception) -> Response:
    """A PerfscoreError as the page shows it: one sentence, 404 for what is not there."""
    if isinstance(exc, RuleRefused):
        return JSONResponse({"error": str(exc), "findings": exc.findings}, status_code=400)
    status = 404 if isinstance(exc, _NotFound) else 503 if isinstance(exc, Busy) else 400
    return PlainTextResponse(f"{exc}", status_code=status)


async def _too_large(request: Request, exc: Exception) -> Response:
    """The body passed the size limit while it was read (see the guard)."""
    return PlainTextResponse(str(exc), status_code=413)


def create_app(settings: Settings | None = None) -> Guard:
    """The application for ``settings`` (the defaults: 127.0.0.1:8000), behind its guard."""
    site = _Site(settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            site.store.close()

    from starlette.exceptions import HTTPException

    routes = [
        Route("/", site.index),
        Route("/rules/check", site.check_rules, methods=["POST"]),
        Route("/jobs", site.create_job, methods=["POST"]),
        Route("/jobs/{job}", site.status),
        Route("/jobs/{job}", site.forget, methods=["DELETE"]),
        Route("/jobs/{job}/report", site.report),
        Route("/jobs/{job}/forms/{form:int}/explain", site.explain),
        Route("/jobs/{job}/download/{what}", site.download),
        Mount("/static", StaticFiles(packages=[("perfscore.web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            PerfscoreError: _refused,
            HTTPException: _http_error,
            TooLarge: _too_large,
        },
    )
    app.state.site = site
    return Guard(app, site.settings)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (an unknown page, an upload its parser would not read) as a
    sentence; for an upload, with the limit it most likely passed."""
    status = getattr(exc, "status_code", 400)
    detail = str(getattr(exc, "detail", "") or "").rstrip(".")
    if status == 400 and request.method == "POST":
        limit = request.app.state.site.settings.max_files
        detail += f"; at most {limit} files are accepted at once"
    return PlainTextResponse(f"refused: {detail}", status_code=status)
