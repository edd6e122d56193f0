"""The evidence page behind a reminder's personal link: see the task, log evidence, undo.

Logging goes through scheduler.service.record_evidence, the function the bot and
`nhacviec done` call, with channel "web": same authorisation, same audit entry, the
ladder stops and "after" rows start. The reminders in Telegram are then edited.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from notifications.web.deps import WebDeps
from notifications.web.guard import Refusal, check_form, lookup, new_form
from notifications.web.pages import Pages, today_in
from notifications.web.task_view import task_view
from notifications.web.uploads import UploadRefused, read_form, store_uploads, uploads_of
from scheduler.models import OPEN
from scheduler.service import ServiceError, record_evidence, undo_evidence
from scheduler.web_tokens import LINK, Grant

CHANNEL = "web"


class EvidencePages:
    def __init__(self, deps: WebDeps, pages: Pages) -> None:
        self.deps, self.pages = deps, pages

    async def show(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            grant = await lookup(self.deps, request, token, LINK)
        except Refusal as exc:
            return self.pages.refusal(exc.reason)
        return await self._page(request, token, grant)

    async def _page(
        self, request: Request, token: str, grant: Grant, error: str = "", status: int = 200
    ) -> Response:
        deps, now = self.deps, self.deps.clock.now()
        view = await asyncio.to_thread(
            task_view,
            deps.db,
            deps.ctx,
            grant.occurrence_id or 0,
            grant.person_id,
            today_in(deps.ctx.tz, now),
        )
        if view is None:
            return self.pages.refusal("not-found")
        undoable = view.undoable(grant.person_id, now)
        show_form = view.occurrence.state == OPEN and view.may_close
        csrf = await new_form(deps, grant) if show_form or undoable else ""
        return self.pages.render(
            "evidence.html",
            status,
            view=view,
            person=deps.ctx.directory.display_name(grant.person_id),
            token=token,
            csrf=csrf,
            show_form=show_form,
            undoable=undoable,
            recorded="da-ghi" in request.query_params,
            undone="da-hoan-tac" in request.query_params,
            error=error,
            max_mb=deps.settings.max_upload_mb,
        )

    async def submit(self, request: Request) -> Response:
        """POST: text and files; refused as a whole, or recorded as a whole."""
        deps, token = self.deps, request.path_params["token"]
        try:
            grant = await lookup(deps, request, token, LINK)
            now = deps.clock.now()
            form = await read_form(request, deps.settings.max_upload_bytes)
            await check_form(deps, form, grant, now)
            view = await asyncio.to_thread(
                task_view,
                deps.db,
                deps.ctx,
                grant.occurrence_id or 0,
                grant.person_id,
                today_in(deps.ctx.tz, now),
            )
            if view is None or form.get("occurrence") != view.occurrence.code:
                raise Refusal("other-task")
            files = await uploads_of(form)
            text = str(form.get("evidence") or "")
            if not text.strip() and not files:
                return await self._page(
                    request,
                    token,
                    grant,
                    "Cần ghi minh chứng (số văn bản, nội dung) hoặc chọn tệp đính kèm.",
                    400,
                )
            await check_form(deps, form, grant, now, spend_it=True)
        except UploadRefused as exc:  # before Refusal, which it is: the file can be chosen again
            return self.pages.refusal(exc.reason, detail=exc.detail, back=f"/v/{token}")
        except Refusal as exc:
            return self.pages.refusal(exc.reason, detail=exc.detail)
        stored = await store_uploads(deps.data_dir, files)
        try:
            closure = await asyncio.to_thread(
                record_evidence,
                deps.db,
                deps.ctx,
                str(grant.occurrence_id),
                grant.person_id,
                text,
                stored,
                CHANNEL,
                now,
            )
        except ServiceError as exc:
            return self.pages.render(
                "refused.html",
                409,
                title="Chưa ghi nhận",
                text=str(exc),
                back=f"/v/{token}",
                code=409,
            )
        await deps.changed(closure.occurrence, closure.row, "done", grant.person_id)
        return RedirectResponse(f"/v/{token}?da-ghi=1", status_code=303)

    async def undo(self, request: Request) -> Response:
        deps, token = self.deps, request.path_params["token"]
        try:
            grant = await lookup(deps, request, token, LINK)
            now = deps.clock.now()
            form = await read_form(request, 64 * 1024)
            await check_form(deps, form, grant, now, spend_it=True)
            occurrence = await asyncio.to_thread(
                undo_evidence, deps.db, deps.ctx, grant.person_id, now, str(grant.occurrence_id)
            )
        except Refusal as exc:  # an UploadRefused too
            return self.pages.refusal(exc.reason, detail=exc.detail)
        except ServiceError as exc:
            return self.pages.render(
                "refused.html",
                409,
                title="Không hoàn tác được",
                text=str(exc),
                back=f"/v/{token}",
                code=409,
            )
        view = await asyncio.to_thread(
            task_view,
            deps.db,
            deps.ctx,
            occurrence.id or 0,
            grant.person_id,
            today_in(deps.ctx.tz, now),
        )
        if view is not None:
            await deps.changed(occurrence, view.row, "undone", grant.person_id)
        return RedirectResponse(f"/v/{token}?da-hoan-tac=1", status_code=303)
