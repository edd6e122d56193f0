"""Plans written from scratch (TOML, CSV), telling formats apart, and files that are no plan."""

from __future__ import annotations

import random
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from rules.importers import load_plan
from rules.plan import PlanImportError, PlanRow, SourceLocation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

MINIMAL_TOML = """
year = 2025
[[sections]]
section = "I"
title = "Mục tiêu"
[[sections.rows]]
task = "Việc một"
lead = "Phòng A"
timing = "Thường xuyên"
"""


def fields(row: PlanRow) -> dict[str, object]:
    data = asdict(row)
    del data["source"]
    return data


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_it_reads_the_toml_example() -> None:
    plan = load_plan(EXAMPLES / "ke-hoach-mau.toml")
    assert (plan.organisation, plan.year) == ("UBND xã Hòa Bình", 2025)
    assert [row.ref for row in plan.rows] == ["I.1", "I.2", "I.3", "II.1", "II.2"]
    first = plan.rows[0]
    assert (first.monitors, first.evidence) == (
        "QMR; Thư ký ISO",
        ("Quyết định ban hành MTCL và Kế hoạch thực hiện MTCL năm 2025",),
    )
    assert first.source == SourceLocation("ke-hoach-mau.toml", 1, 39)
    assert plan.objectives[1].targets[0].text == "trên 98%"


def test_it_reads_the_csv_example_as_the_same_plan_as_the_toml_example() -> None:
    from_csv = load_plan(EXAMPLES / "ke-hoach-mau.csv")
    from_toml = load_plan(EXAMPLES / "ke-hoach-mau.toml")
    assert [fields(row) for row in from_csv.rows] == [fields(row) for row in from_toml.rows]
    assert (from_csv.organisation, from_csv.year) == (from_toml.organisation, from_toml.year)
    assert from_csv.objectives == from_toml.objectives
    assert from_csv.rows[2].source == SourceLocation("ke-hoach-mau.csv", 1, 11)


def test_it_reads_a_csv_separated_by_semicolons(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ke-hoach.csv",
        "KẾ HOẠCH THỰC HIỆN MTCL NĂM 2024\n"
        "TT;Nhiệm vụ;Đơn vị chủ trì;Thời hạn;Sản phẩm\n"
        "A;Mục tiêu A;;;\n"
        "1;Việc một;Phòng A;Tháng 3/2024;Báo cáo\n",
    )
    row = load_plan(path).rows[0]
    assert (row.ref, row.lead, row.timing, row.evidence) == (
        "A.1",
        "Phòng A",
        "Tháng 3/2024",
        ("Báo cáo",),
    )


def test_it_reads_a_minimal_toml_plan(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, "min.toml", MINIMAL_TOML))
    assert [(row.ref, row.lead, row.coordinating, row.evidence) for row in plan.rows] == [
        ("I", "Phòng A", "", ())
    ]
    assert plan.objectives == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("year = ", "sai cú pháp"),
        (MINIMAL_TOML.replace("year = 2025", ""), "thiếu năm"),
        (
            MINIMAL_TOML.replace('timing = "Thường xuyên"', ""),
            "mục I, dòng thứ 1: thiếu khóa “timing”",
        ),
        (MINIMAL_TOML.replace("timing =", "timming ="), "khóa không hợp lệ “timming”"),
        ("year = 2025\n", "chưa có mục nào"),
        (MINIMAL_TOML.replace('lead = "Phòng A"', "lead = 3.5"), "“lead” phải là chuỗi"),
    ],
)
def test_it_explains_what_is_wrong_in_a_toml_plan(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(PlanImportError, match=message) as raised:
        load_plan(write(tmp_path, "bad.toml", content))
    assert "bad.toml" in str(raised.value)


def test_it_tells_the_format_from_the_content_not_the_name(tmp_path: Path) -> None:
    docx_named_txt = tmp_path / "ke-hoach.txt"
    shutil.copy(EXAMPLES / "nam-dong-2024.docx", docx_named_txt)
    xlsx_named_docx = tmp_path / "ke-hoach.docx"
    shutil.copy(EXAMPLES / "giang-hai-2023.xlsx", xlsx_named_docx)
    assert len(load_plan(docx_named_txt).rows) == 22
    assert len(load_plan(xlsx_named_docx).rows) == 26


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.docx", b"", "tệp rỗng"),
        ("blank.txt", b"  \n\n", "tệp rỗng"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, r"\.doc/\.xls"),
        ("scan.pdf", b"%PDF-1.7\n...", "PDF"),
        ("archive.zip", b"PK\x05\x06" + b"\x00" * 18, "không tìm thấy bảng|không phải"),
    ],
)
def test_it_rejects_files_that_are_no_plan(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(PlanImportError, match=message):
        load_plan(write(tmp_path, name, content))


def test_it_rejects_a_zip_that_is_neither_word_nor_excel(tmp_path: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "folder"), "zip", root_dir=EXAMPLES, base_dir=".")
    with pytest.raises(PlanImportError, match="không phải Word"):
        load_plan(Path(archive))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".txt", ".csv", ".toml"])
def test_it_turns_random_bytes_into_a_clear_error(tmp_path: Path, suffix: str) -> None:
    rng = random.Random(suffix)
    for attempt in range(10):
        path = write(tmp_path, f"random{attempt}{suffix}", rng.randbytes(rng.randint(1, 4096)))
        with pytest.raises(PlanImportError) as raised:
            load_plan(path)
        assert path.name in str(raised.value)


@pytest.mark.parametrize("name", ["nam-dong-2024.docx", "giang-hai-2023.xlsx"])
def test_it_never_passes_off_a_cut_file_as_a_plan(tmp_path: Path, name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    for tenth in range(1, 10):
        path = write(tmp_path, f"cut{tenth}-{name}", data[: len(data) * tenth // 10])
        with pytest.raises(PlanImportError):
            load_plan(path)


def test_it_reports_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(PlanImportError, match="không tìm thấy tệp"):
        load_plan(tmp_path / "nowhere.docx")
    with pytest.raises(PlanImportError, match="thư mục"):
        load_plan(tmp_path)
