"""The send journal: sends the database refused to record, kept in a local file.

The SMTP server (or Telegram) accepted a message, then the database refused the write
that says so (locked past the busy timeout, full, read-only). Without a note somewhere
else the row stays 'sending', is requeued, and the person gets the message twice. So the
send is appended here — row id, key, external id (the Message-ID), sent at — and the next
dispatcher cycle (of this engine, or of the next one after a restart) records it from the
file before it recovers or claims anything.

One file per engine (its liveness token) in a folder beside the database, or in the data
folder for a database server: an engine appends only to its own file, so lines never
interleave, and a file is removed once every line in it is recorded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from notifications.base import DeliveryError
from notifications.dispatch_record import DispatchSummary, Recorder
from notifications.outbox_claims import reclaim_unrecorded
from scheduler.db import database_fault
from scheduler.models import Notification

log = logging.getLogger("nhacviec.dispatch")


@dataclass(frozen=True)
class JournalEntry:
    row_id: int
    key: str
    external_id: str | None
    sent_at: datetime


def journal_folder(db: Engine, data_dir: Path | None) -> Path | None:
    """Beside a SQLite file (`x.db.journal/`), else `data_dir/send-journal/`."""
    database = db.url.database if db.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        path = Path(database)
        return path.with_name(path.name + ".journal")
    return data_dir / "send-journal" if data_dir is not None else None


class SendJournal:
    """Append-only notes of unrecorded sends; `owner` names this engine's file."""

    def __init__(self, folder: Path | None, owner: str) -> None:
        self.folder, self.owner = folder, owner

    def add(self, row_id: int, key: str, external_id: str | None, sent_at: datetime) -> bool:
        """Note one send, flushed to disk; False when even the file cannot be written."""
        if self.folder is None:
            return False
        line = json.dumps(
            {"id": row_id, "key": key, "external_id": external_id, "sent_at": sent_at.isoformat()}
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / f"{self.owner}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            log.exception("id=%s key=%s: could not write the send journal", row_id, key)
            return False
        return True

    def settle(
        self, record: Callable[[JournalEntry], bool], is_alive: Callable[[str], bool]
    ) -> int:
        """Record every noted send through `record` (True when it is in the database now,
        or no longer needs to be); a file whose lines are all recorded is removed. Files of
        other live engines are theirs to settle. Returns how many were recorded."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        settled = 0
        for path in sorted(self.folder.glob("*.jsonl")):
            owner = path.stem
            if owner != self.owner and is_alive(owner):
                continue
            entries = _read(path)
            left = [entry for entry in entries if not record(entry)]
            settled += len(entries) - len(left)
            if left:
                continue  # the database still refuses: the file waits for the next cycle
            with contextlib.suppress(OSError):
                path.unlink()
        return settled


def _read(path: Path) -> list[JournalEntry]:
    entries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            data = json.loads(line)
            entries.append(
                JournalEntry(
                    int(data["id"]),
                    str(data["key"]),
                    data.get("external_id"),
                    datetime.fromisoformat(data["sent_at"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash while it was written: nothing to record
    return entries


def settle_journal(
    journal: SendJournal,
    recorder: Recorder,
    owner: str,
    is_alive: Callable[[str], bool],
    summary: DispatchSummary,
) -> int:
    """Record the journal's sends as sent, before anything is recovered or claimed: a row
    the server accepted is never sent again because the database once refused to say so."""
    refused = False

    def record(entry: JournalEntry) -> bool:
        nonlocal refused
        if refused:  # one refusal per cycle is enough: the rest wait for the next one
            return False
        try:
            row = reclaim_unrecorded(recorder.db, entry.row_id, entry.key, owner)
            if row is not None:
                recorder.record(row, entry.external_id, None, 0, summary)
        except Exception as exc:
            refused = True
            log.warning("send journal not recorded yet (%s): next cycle", _first_line(exc))
            return False
        return True

    return journal.settle(record, is_alive)


def note_unrecorded(
    journal: SendJournal,
    row: Notification,
    external_id: str | None,
    error: DeliveryError | None,
    exc: Exception,
    now: datetime,
) -> None:
    """The attempt went out but the database refused its record: a send goes to the
    journal (recorded next cycle); a failed attempt stays 'sending' for recovery."""
    noted = error is None and row.id is not None and journal.add(row.id, row.key, external_id, now)
    if database_fault(exc) is not None:
        level = logging.INFO  # the engine stops with the fault's own line
    elif isinstance(exc, DBAPIError):
        level = logging.WARNING  # a lock held too long: no traceback, the next cycle records
    else:
        log.exception("id=%s key=%s outcome=unrecorded journal=%s", row.id, row.key, noted)
        return
    log.log(
        level,
        "id=%s key=%s outcome=unrecorded journal=%s reason=%s",
        row.id,
        row.key,
        "yes" if noted else "no",
        _first_line(exc),
    )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
