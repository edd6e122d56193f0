"""`nhacviec report evidence`: one line per occurrence, hashes of the stored files, the zip."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from tests.reports.conftest import Office

HEADER = [
    "Mã việc",
    "Dòng",
    "Mục tiêu",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đợt",
    "Hạn",
    "Trạng thái",
    "Hoàn thành lúc",
    "Người báo",
    "Trễ (ngày làm việc)",
    "Minh chứng",
    "Tệp",
    "SHA-256",
]


def _register(office: Office, tmp_path: Path) -> tuple[Path, Path]:
    out, bundle = tmp_path / "so.xlsx", tmp_path / "minh-chung.zip"
    office.invoke("report", "evidence", "--out", str(out), "--zip", str(bundle))
    return out, bundle


def test_it_lists_every_occurrence_exactly_once(half_year: Office, tmp_path: Path) -> None:
    out, _bundle = _register(half_year, tmp_path)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{sheet.max_row}"
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(codes) == sorted(line["code"] for line in half_year.status())  # type: ignore[type-var]  # openpyxl types a value as any cell type; these are all text
    assert len(codes) == len(set(codes))


def test_its_hashes_match_the_stored_files(half_year: Office, tmp_path: Path) -> None:
    half_year.log_with_file("I.4", date(2024, 6, 14), "biên bản.pdf", b"%PDF bien ban")
    out, bundle = _register(half_year, tmp_path)
    sheet = load_workbook(out).active
    assert sheet is not None
    with_files = [[c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[12].value]
    assert len(with_files) == 2
    data_dir = half_year.cfg.path(half_year.cfg.data_dir)
    for line in with_files:
        (stored,) = (data_dir / "evidence").glob(f"*/{line[13]}")
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == line[13]
    with zipfile.ZipFile(bundle) as archive:
        names = sorted(archive.namelist())
        by_name = {Path(n).name.split(" - ", 1)[1]: archive.read(n) for n in names if "/" in n}
        assert archive.read("so-theo-doi-minh-chung.xlsx") == out.read_bytes()
    codes = {line[12]: line[0] for line in with_files}
    assert names == sorted(
        [
            "so-theo-doi-minh-chung.xlsx",
            f"I - 100% các cơ quan, đơn vị, UBND các xã, thị trấn/I.4 - Xem xét của lãnh đạo/{codes['biên bản.pdf']} - biên bản.pdf",
            f"I - 100% các cơ quan, đơn vị, UBND các xã, thị trấn/I.7 - Cập nhật, rà soát các thay đổi của văn bản quy/{codes['rà-soát-quý-I.pdf']} - rà-soát-quý-I.pdf",
        ]
    )
    for line in with_files:
        assert hashlib.sha256(by_name[str(line[12])]).hexdigest() == line[13]
