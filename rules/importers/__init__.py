"""Read a quality-objective plan from the file the office wrote.

    from rules.importers import load_plan
    plan = load_plan(Path("examples/nam-dong-2024.docx"))

The format is told from the content, not the name: a zip holding word/document.xml is
Word, a zip holding xl/ is Excel, anything else is text; `.toml` and `.csv` are the
plain formats for plans written from scratch (see examples/ke-hoach-mau.*).
Every failure is a `PlanImportError` naming the file and what was expected.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from rules.importers.assemble import build_plan
from rules.importers.csv_reader import read_csv
from rules.importers.damage import damage_reason
from rules.importers.docx_reader import read_docx
from rules.importers.grid import RawDocument
from rules.importers.text_reader import read_text
from rules.importers.toml_reader import read_toml
from rules.importers.xlsx_reader import read_xlsx
from rules.plan import Plan, PlanImportError

__all__ = ["PlanImportError", "load_plan"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003 .doc, Excel .xls
_PDF_MAGIC = b"%PDF"

Reader = Callable[[bytes, str, str], RawDocument]


def load_plan(path: Path) -> Plan:
    """The plan in `path` (.docx, .xlsx, text export, .toml or .csv)."""
    source = str(path)
    data = _read_bytes(path, source)
    if path.suffix.lower() == ".toml":
        return read_toml(data, path.name, source)
    return build_plan(_reader(data, path, source)(data, path.name, source), source)


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanImportError(source, "không tìm thấy tệp.") from None
    except IsADirectoryError:
        raise PlanImportError(source, "đây là thư mục, không phải tệp kế hoạch.") from None
    except OSError as exc:
        raise PlanImportError(source, f"không đọc được tệp ({exc.strerror}).") from None
    if not data.strip():
        raise PlanImportError(source, "tệp rỗng, không có kế hoạch nào để đọc.")
    return data


def _reader(data: bytes, path: Path, source: str) -> Reader:
    if data.startswith(_ZIP_MAGIC):
        return _zip_reader(data, source)
    if data.startswith(_OLE_MAGIC):
        raise PlanImportError(
            source,
            "đây là định dạng Word/Excel cũ (.doc/.xls); hãy lưu lại thành .docx hoặc .xlsx.",
        )
    if data.startswith(_PDF_MAGIC):
        raise PlanImportError(source, "không đọc được PDF; hãy dùng bản Word (.docx) của kế hoạch.")
    if path.suffix.lower() == ".csv":
        return read_csv
    return read_text


def _zip_reader(data: bytes, source: str) -> Reader:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise PlanImportError(
            source, "tệp .docx/.xlsx bị hỏng hoặc không trọn vẹn (không mở được dạng zip)."
        ) from None
    except Exception as exc:  # zipfile also fails with NotImplementedError, ValueError ...
        raise PlanImportError(
            source, f"tệp .docx/.xlsx bị hỏng, không đọc được: {damage_reason(exc)}."
        ) from exc
    if "word/document.xml" in names:
        return read_docx
    if any(name.startswith("xl/") for name in names):
        return read_xlsx
    raise PlanImportError(source, "tệp nén này không phải Word (.docx) hay Excel (.xlsx).")
