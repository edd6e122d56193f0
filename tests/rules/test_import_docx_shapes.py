"""Word plans as other offices lay them out: headers, sections, pages, broken rows, errors."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from rules.importers import load_plan
from rules.plan import PlanImportError
from tests.rules.plan_builders import (
    LABELS,
    ROLES,
    PlanSpec,
    Row,
    Section,
    build_docx,
    measure,
    sample_rows,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_it_reads_a_single_row_header_with_stt_and_a_notes_column(tmp_path: Path) -> None:
    labels = {**LABELS, "number": "STT", "lead": "Cơ quan chủ trì"}
    columns = (*ROLES, "notes")
    rows: list[Row] = [
        Section("I", "Mục tiêu một"),
        {**measure("1", "Việc một"), "notes": "Ghi chú riêng"},
    ]
    spec = PlanSpec(rows, columns=columns, labels=labels, two_row_header=False)
    plan = load_plan(build_docx(spec, tmp_path / "stt.docx"))
    assert [(row.ref, row.task, row.lead) for row in plan.rows] == [
        ("I.1", "Việc một", "Công chức VP-TK xã")
    ]
    assert plan.rows[0].remarks == "Ghi chú riêng"  # kept apart, never in another field
    assert "Ghi chú riêng" not in repr(replace(plan.rows[0], remarks=""))


def test_it_finds_columns_by_their_words_in_another_order(tmp_path: Path) -> None:
    columns = ("number", "timing", "evidence", "task", "monitors", "lead", "coordinating")
    rows: list[Row] = [
        Section("I", "Mục tiêu"),
        measure("1", "Việc một", timing="Quý I/2024", lead="Phòng A"),
    ]
    spec = PlanSpec(rows, columns=columns, two_row_header=False)
    row = load_plan(build_docx(spec, tmp_path / "order.docx")).rows[0]
    assert (row.task, row.lead, row.timing, row.evidence) == (
        "Việc một",
        "Phòng A",
        "Quý I/2024",
        ("Báo cáo kết quả", "Sổ theo dõi."),
    )
    assert row.section_title == "Mục tiêu"


def test_it_reads_sections_lettered_a_b_c(tmp_path: Path) -> None:
    rows: list[Row] = [
        Section("A.", "Mục tiêu A"),
        measure("1", "Việc A1"),
        Section("B.", "Mục tiêu B"),
        measure("1", "Việc B1"),
        measure("2", "Việc B2"),
        Section("C", "Mục tiêu C"),
        measure("1", "Việc C1"),
    ]
    plan = load_plan(build_docx(PlanSpec(rows), tmp_path / "abc.docx"))
    assert [row.ref for row in plan.rows] == ["A.1", "B.1", "B.2", "C.1"]
    assert plan.sections() == [("A", "Mục tiêu A"), ("B", "Mục tiêu B"), ("C", "Mục tiêu C")]


@pytest.mark.parametrize(
    "names",
    [
        {
            "task": "Nội dung",
            "lead": "Đơn vị chủ trì",
            "timing": "Thời hạn",
            "monitors": "Người theo dõi",
            "evidence": "Sản phẩm",
        },
        {
            "task": "Nhiệm vụ",
            "lead": "Cơ quan chủ trì",
            "timing": "Thời gian hoàn thành",
            "monitors": "Trách nhiệm theo dõi",
            "evidence": "Kết quả đầu ra",
        },
    ],
)
def test_it_accepts_synonyms_for_column_names(tmp_path: Path, names: dict[str, str]) -> None:
    spec = PlanSpec(
        [Section("I", "Mục tiêu"), measure("1", "Việc một", monitors="Thư ký ISO")],
        labels={**LABELS, **names},
        two_row_header=False,
    )
    row = load_plan(build_docx(spec, tmp_path / "synonyms.docx")).rows[0]
    assert (row.task, row.lead, row.timing, row.monitors) == (
        "Việc một",
        "Công chức VP-TK xã",
        "Thường xuyên",
        "Thư ký ISO",
    )


@pytest.mark.parametrize("repeat_header", [True, False])
def test_it_follows_the_table_onto_the_next_page(tmp_path: Path, repeat_header: bool) -> None:
    spec = PlanSpec(sample_rows(12, 5), split_after=8, repeat_header=repeat_header)
    plan = load_plan(build_docx(spec, tmp_path / "split.docx"))
    assert [row.task for row in plan.rows] == [f"Nhiệm vụ số {n}" for n in range(1, 13)]
    assert {row.source.table for row in plan.rows} == {1, 2}


def test_it_reads_past_a_letterhead_table(tmp_path: Path) -> None:
    spec = PlanSpec(
        sample_rows(3),
        letterhead=("ỦY BAN NHÂN DÂN HUYỆN A LƯỚI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        before=("KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024",),
    )
    plan = load_plan(build_docx(spec, tmp_path / "letterhead.docx"))
    assert plan.organisation == "UBND huyện A Lưới"
    assert len(plan.rows) == 3
    assert plan.rows[0].source.table == 2


def test_it_skips_a_row_of_column_numbers(tmp_path: Path) -> None:
    numbering = {role: f"({n})" for n, role in enumerate(ROLES, start=1)}
    spec = PlanSpec([numbering, *sample_rows(2)])
    assert [row.ref for row in load_plan(build_docx(spec, tmp_path / "n.docx")).rows] == [
        "I.1",
        "I.2",
    ]


def test_it_joins_a_row_broken_over_two_table_rows(tmp_path: Path) -> None:
    rows: list[Row] = [
        Section("I", "Mục tiêu"),
        measure(
            "1", "Xây dựng chương trình", timing="Trước ngày 30 tháng 8", evidence="- Chương trình;"
        ),
        {"task": "ĐGNB", "timing": "hàng năm", "evidence": "- Hồ sơ ĐGNB"},
        measure("2", "Việc hai"),
    ]
    plan = load_plan(build_docx(PlanSpec(rows), tmp_path / "broken.docx"))
    assert [row.ref for row in plan.rows] == ["I.1", "I.2"]
    first = plan.rows[0]
    assert (first.task, first.timing) == (
        "Xây dựng chương trình ĐGNB",
        "Trước ngày 30 tháng 8 hàng năm",
    )
    assert first.evidence == ("Chương trình", "Hồ sơ ĐGNB")


def test_it_imports_a_plan_of_5000_rows(tmp_path: Path) -> None:
    plan = load_plan(build_docx(PlanSpec(sample_rows(5000, 50)), tmp_path / "big.docx"))
    assert len(plan.rows) == 5000
    assert len(plan.sections()) == 100
    assert plan.rows[-1].ref == "C.50"  # section 100 is the Roman numeral C


def test_it_rejects_a_document_without_a_plan_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024")
    document.add_table(rows=2, cols=2).rows[0].cells[0].text = "Họ và tên"
    path = tmp_path / "khong-co-bang.docx"
    document.save(str(path))
    with pytest.raises(PlanImportError, match="không tìm thấy bảng kế hoạch") as raised:
        load_plan(path)
    assert "khong-co-bang.docx" in str(raised.value)


@pytest.mark.parametrize(("missing", "named"), [("lead", "Chủ trì"), ("task", "Nội dung")])
def test_it_names_the_missing_column(tmp_path: Path, missing: str, named: str) -> None:
    columns = tuple(role for role in ROLES if role not in (missing, "coordinating"))
    spec = PlanSpec(sample_rows(2), columns=columns, two_row_header=False)
    with pytest.raises(PlanImportError, match=f"thiếu cột “{named}"):
        load_plan(build_docx(spec, tmp_path / "missing.docx"))


def test_it_rejects_a_truncated_docx(tmp_path: Path) -> None:
    data = (EXAMPLES / "nam-dong-2024.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PlanImportError, match="hỏng"):
        load_plan(path)


def test_it_rejects_a_docx_whose_document_is_not_xml(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        source = zipfile.ZipFile(EXAMPLES / "nam-dong-2024.docx")
        for name in source.namelist():
            body = b"<w:document" if name == "word/document.xml" else source.read(name)
            archive.writestr(name, body)
    path = tmp_path / "broken-xml.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(PlanImportError, match=r"Word .* hỏng"):
        load_plan(path)


def test_it_rejects_a_plan_table_with_no_rows(tmp_path: Path) -> None:
    with pytest.raises(PlanImportError, match="không có dòng"):
        load_plan(build_docx(PlanSpec([]), tmp_path / "empty-table.docx"))


def test_it_rejects_a_plan_that_never_states_its_year(tmp_path: Path) -> None:
    spec = PlanSpec(sample_rows(2), before=("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",))
    with pytest.raises(PlanImportError, match="năm của kế hoạch"):
        load_plan(build_docx(spec, tmp_path / "no-year.docx"))


def test_it_reads_a_table_without_a_number_column_row_by_row(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH THỰC HIỆN MTCL NĂM 2024")
    table = document.add_table(rows=6, cols=4)
    texts = [
        ("Nội dung", "Chủ trì", "Thời gian thực hiện", "Kết quả"),
        ("I. Mục tiêu một", "", "", ""),
        ("Việc 1", "Phòng A", "Tháng 1", "Báo cáo"),
        ("Việc 2", "", "Tháng 2", "Báo cáo"),
        ("Việc 3", "", "Tháng 3", ""),
        ("Ghi chú: các đơn vị thực hiện nghiêm túc", "", "", ""),
    ]
    for row, values in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    for index in (1, 5):
        cells = table.rows[index].cells
        cells[0].merge(cells[3]).text = texts[index][0]
    path = tmp_path / "no-tt.docx"
    document.save(str(path))
    plan = load_plan(path)
    assert plan.sections() == [("I", "Mục tiêu một")]
    assert [(row.task, row.lead) for row in plan.rows] == [
        ("Việc 1", "Phòng A"),
        ("Việc 2", ""),
        ("Việc 3", ""),
    ]
