"""The QMR's board: the plan's state, filters, the evidence register, files to download,
and the QMR's actions (waive with a reason, start an ad hoc task, reopen)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TypeVar
from urllib.parse import parse_qsl, quote, urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from notifications.web.access import board_scope, is_qmr
from notifications.web.board_data import (
    STATES,
    Board,
    Filters,
    default_period,
    load_board,
    period_choices,
    plan_years,
)
from notifications.web.deps import WebDeps
from notifications.web.guard import Refusal, check_form, new_form, signed_in
from notifications.web.pages import Pages, today_in
from notifications.web.task_view import task_view
from notifications.web.uploads import read_form
from scheduler.models import Evidence, EvidenceFile, Occurrence, RowRecord
from scheduler.reopen import reopen
from scheduler.service import ServiceError, find_occurrence, start_adhoc, waive
from scheduler.web_tokens import Grant

# Never let a browser render an uploaded file as a page: these go out as plain bytes.
T = TypeVar("T")
INLINE_DANGER = (
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
)


class BoardPages:
    def __init__(self, deps: WebDeps, pages: Pages) -> None:
        self.deps, self.pages = deps, pages

    async def _session(self, request: Request) -> tuple[Grant, frozenset[str] | None]:
        grant = await signed_in(self.deps, request)
        try:
            return grant, board_scope(self.deps.ctx, grant.person_id)
        except KeyError:
            raise Refusal("forbidden") from None

    async def show(self, request: Request) -> Response:
        try:
            grant, scope = await self._session(request)
        except Refusal as exc:
            if exc.reason == "signed-out":
                return RedirectResponse("/dang-nhap", status_code=303)
            return self.pages.refusal(exc.reason)
        deps, params = self.deps, request.query_params
        today = today_in(deps.ctx.tz, deps.clock.now())
        unit = params.get("don-vi", "")
        if scope is not None and unit not in scope:
            unit = "" if len(scope) > 1 else next(iter(scope))
        state = params.get("trang-thai", "")
        period = params.get("ky")
        if period is None:
            period = default_period(today, await asyncio.to_thread(plan_years, deps.db))
        filters = Filters(
            unit=unit,
            section=params.get("muc", ""),
            state=state if state in STATES else "",
            period=period,
        )
        board = await asyncio.to_thread(self._load, filters, today, scope)
        directory = deps.ctx.directory
        units = [(u.id, u.name) for u in directory.units.values() if scope is None or u.id in scope]
        return self.pages.render(
            "board.html",
            board=board,
            filters=filters,
            units=units,
            sections=board.objectives,
            periods=period_choices(board.years),
            states=STATES,
            person=directory.display_name(grant.person_id),
            qmr=is_qmr(deps.ctx, grant.person_id),
            csrf=await new_form(deps, grant),
            today=today,
            message=params.get("tb", ""),
        )

    def _load(self, filters: Filters, today: date, scope: frozenset[str] | None) -> Board:
        return load_board(self.deps.db, self.deps.ctx, filters, today, scope)

    async def _action(self, request: Request) -> tuple[Grant, dict[str, str]]:
        grant, _scope = await self._session(request)
        if not is_qmr(self.deps.ctx, grant.person_id):
            raise Refusal(
                "forbidden", "Chỉ Đại diện lãnh đạo về chất lượng (QMR) làm được việc này."
            )
        form = await read_form(request, 64 * 1024)
        await check_form(self.deps, form, grant, self.deps.clock.now(), spend_it=True)
        return grant, {k: str(v) for k, v in form.items()}

    async def _run(
        self,
        request: Request,
        work: Callable[[Grant, dict[str, str]], T],
        done_text: Callable[[T, dict[str, str]], str],
    ) -> Response:
        try:
            grant, form = await self._action(request)
            result = await asyncio.to_thread(work, grant, form)
        except Refusal as exc:  # an UploadRefused too
            return self.pages.refusal(exc.reason, detail=exc.detail)
        except ServiceError as exc:
            return self.pages.render(
                "refused.html",
                409,
                title="Không thực hiện được",
                text=str(exc),
                back="/bang",
                code=409,
            )
        # Back to the same filters; only a query string, appended to /bang, so never elsewhere.
        kept = [(k, v) for k, v in parse_qsl(form.get("quay-lai", "")) if k != "tb"]
        target = "/bang?" + urlencode([*kept, ("tb", done_text(result, form))])
        for hook_args in self._changes(result, form, grant):
            await self.deps.changed(*hook_args)
        return RedirectResponse(target, status_code=303)

    def _changes(
        self, result: object, form: dict[str, str], grant: Grant
    ) -> list[tuple[Occurrence, RowRecord, str, str]]:
        kind = form.get("_kind", "")
        if kind not in ("waived", "reopened") or not isinstance(result, Occurrence):
            return []
        with Session(self.deps.db) as session:
            row = session.get(RowRecord, result.row_id)
        return [(result, row, kind, grant.person_id)] if row else []

    async def waive(self, request: Request) -> Response:
        return await self._decide(request, waive, "waived", "Đã miễn việc")

    async def reopen(self, request: Request) -> Response:
        return await self._decide(request, reopen, "reopened", "Đã mở lại việc")

    async def _decide(
        self, request: Request, action: Callable[..., Occurrence], kind: str, said: str
    ) -> Response:
        """A QMR's decision on one task (waive, reopen), with its reason, by its code."""
        deps = self.deps

        def work(grant: Grant, form: dict[str, str]) -> Occurrence:
            form["_kind"] = kind
            return action(
                deps.db,
                deps.ctx,
                form.get("ma", ""),
                grant.person_id,
                form.get("ly-do", ""),
                deps.clock.now(),
            )

        return await self._run(request, work, lambda o, f: f"{said} {o.code}.")

    async def adhoc(self, request: Request) -> Response:
        deps = self.deps

        def work(grant: Grant, form: dict[str, str]) -> tuple[Occurrence, ...]:
            return start_adhoc(
                deps.db,
                deps.ctx,
                form.get("dong", ""),
                grant.person_id,
                deps.clock.now(),
                form.get("ke-hoach") or None,
            )

        def text(created: tuple[Occurrence, ...], form: dict[str, str]) -> str:
            codes = ", ".join(o.code for o in created)
            return f"Đã bắt đầu việc đột xuất dòng {form.get('dong', '')}: {codes}."

        return await self._run(request, work, text)

    async def task(self, request: Request) -> Response:
        """One occurrence: the row, its evidence with files, its history, the QMR's actions."""
        try:
            grant, scope = await self._session(request)
        except Refusal as exc:
            return self.pages.refusal(exc.reason)
        deps = self.deps
        today = today_in(deps.ctx.tz, deps.clock.now())
        occurrence_id = await asyncio.to_thread(self._occurrence_id, request.path_params["code"])
        view = (
            await asyncio.to_thread(
                task_view, deps.db, deps.ctx, occurrence_id, grant.person_id, today
            )
            if occurrence_id is not None
            else None
        )
        if view is None or (scope is not None and view.occurrence.unit_id not in scope):
            return self.pages.refusal("not-found", back="/bang")
        return self.pages.render(
            "board_task.html",
            view=view,
            person=deps.ctx.directory.display_name(grant.person_id),
            qmr=is_qmr(deps.ctx, grant.person_id),
            csrf=await new_form(deps, grant),
        )

    def _occurrence_id(self, code: str) -> int | None:
        with Session(self.deps.db) as session:
            try:
                return find_occurrence(session, code).id
            except ServiceError:
                return None

    async def download(self, request: Request) -> Response:
        """An evidence file, always as an attachment, never interpreted by the browser."""
        try:
            _grant, scope = await self._session(request)
        except Refusal as exc:
            return self.pages.refusal(exc.reason)
        file_id = request.path_params["file_id"]
        found = await asyncio.to_thread(self._file, file_id)
        if found is None or (scope is not None and found[1] not in scope):
            return self.pages.refusal("not-found")
        record = found[0]
        path = self.deps.data_dir / record.stored_path
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError:
            return self.pages.refusal("not-found")
        mime = record.mime_type.split(";")[0].strip().lower()
        if mime in INLINE_DANGER or mime.startswith("text/"):
            mime = "application/octet-stream"
        ascii_name = record.original_name.encode("ascii", "replace").decode().replace('"', "_")
        disposition = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(record.original_name)}"
        )
        return Response(
            content,
            media_type=mime,
            headers={
                "Content-Disposition": disposition,
                "Content-Security-Policy": "sandbox; default-src 'none'",
                "X-Content-Type-Options": "nosniff",
            },
        )

    def _file(self, file_id: int) -> tuple[EvidenceFile, str] | None:
        with Session(self.deps.db) as session:
            record = session.get(EvidenceFile, file_id)
            if record is None:
                return None
            evidence = session.get(Evidence, record.evidence_id)
            occurrence = session.get(Occurrence, evidence.occurrence_id) if evidence else None
            return (record, occurrence.unit_id) if occurrence else None
