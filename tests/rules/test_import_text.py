"""Importing plain-text exports of a Word plan (tab-separated, or one cell per line)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from rules.importers import load_plan
from rules.importers.cells import evidence_items, join_field, repair_split_words
from rules.plan import Plan, PlanImportError, PlanRow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Where the text export says something else than the Word document, and it is not an
# artefact we can undo: (plan, row, field) -> (in Word, in the text export).
KNOWN_DIFFERENCES = {
    ("nam-dong-2024", "III.1", "task"): ("thống kê báo cáo", "thống kế báo cáo"),
}


def fields(row: PlanRow) -> dict[str, object]:
    data = asdict(row)
    del data["source"]
    return data


@pytest.fixture(scope="module")
def nam_dong() -> Plan:
    return load_plan(EXAMPLES / "nam-dong-2024.txt")


@pytest.fixture(scope="module")
def giang_hai() -> Plan:
    return load_plan(EXAMPLES / "giang-hai-2023.txt")


def test_it_reads_the_tab_separated_export_as_22_rows(nam_dong: Plan) -> None:
    assert len(nam_dong.rows) == 22
    assert len(nam_dong.sections()) == 9
    assert (nam_dong.organisation, nam_dong.year) == ("UBND huyện Nam Đông", 2024)


def test_it_reads_the_one_cell_per_line_export_as_26_rows(giang_hai: Plan) -> None:
    assert len(giang_hai.rows) == 26
    assert len(giang_hai.sections()) == 9
    assert (giang_hai.organisation, giang_hai.year) == ("UBND xã Giang Hải", 2023)


@pytest.mark.parametrize("name", ["nam-dong-2024", "giang-hai-2023"])
def test_it_reads_the_same_rows_as_the_word_document(name: str) -> None:
    from_text = load_plan(EXAMPLES / f"{name}.txt")
    from_word = load_plan(EXAMPLES / f"{name}.docx")
    assert len(from_text.rows) == len(from_word.rows)
    for text_row, word_row in zip(from_text.rows, from_word.rows, strict=True):
        expected = fields(word_row)
        for (plan, ref, field), (in_word, in_text) in KNOWN_DIFFERENCES.items():
            if plan == name and ref == word_row.ref:
                expected[field] = str(expected[field]).replace(in_word, in_text)
        assert fields(text_row) == expected, word_row.ref


@pytest.mark.parametrize("name", ["nam-dong-2024", "giang-hai-2023"])
def test_it_reads_the_same_objectives_as_the_word_document(name: str) -> None:
    from_text = load_plan(EXAMPLES / f"{name}.txt")
    from_word = load_plan(EXAMPLES / f"{name}.docx")
    assert [o.number for o in from_text.objectives] == [o.number for o in from_word.objectives]
    assert [o.targets for o in from_text.objectives] == [o.targets for o in from_word.objectives]
    # The text export keeps explanatory paragraphs the Word version left out (Nam Đông 7-9).
    first_lines = [
        [o.text.split("\n")[0] for o in plan.objectives] for plan in (from_text, from_word)
    ]
    assert first_lines[0] == first_lines[1]


def test_it_joins_rows_continued_after_a_page_break(nam_dong: Plan) -> None:
    row = nam_dong.row("I.3")
    assert row.task == "Xây dựng chương trình ĐGNB và triển khai ĐGNB"
    assert row.coordinating == "Các cơ quan, đơn vị, UBND các xã, thị trấn"
    assert row.monitors == "QMR; Thư ký ISO"
    assert len(row.evidence) == 3
    assert nam_dong.row("I.6").evidence[-1] == "Báo cáo kết quả thực hiện MTCL năm 2023"


def test_it_rejoins_an_acronym_split_by_a_page_break(nam_dong: Plan) -> None:
    assert nam_dong.row("V.2").lead == "Các bộ phận/phòng chuyên môn/CBCCVC phụ trách"
    assert nam_dong.row("V.4").coordinating == "Các bộ phận/phòng chuyên môn/CBCCVC phụ trách"


def test_it_strips_html_left_in_cells(nam_dong: Plan) -> None:
    assert (
        nam_dong.row("VI.1").section_title
        == "Mục tiêu liên quan giải quyết công việc nội bộ cơ quan,.."
    )
    last = nam_dong.rows[-1]
    assert (last.ref, last.lead, last.evidence) == ("IX", "Phòng Nội vụ", ("Báo cáo thống kê",))
    assert not any("<" in str(fields(row)) for row in nam_dong.rows)


def test_it_reads_the_objectives_under_an_appendix_heading(giang_hai: Plan) -> None:
    assert len(giang_hai.objectives) == 9
    assert giang_hai.objectives[6].targets[0].text == "trên 90%"


def test_it_treats_a_complete_row_without_number_after_a_section_as_a_row(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024\n"
        "TT\tNội dung\tChủ trì\tThời gian thực hiện\tKết quả\n"
        "I.\tMục tiêu một\t\t\t\n"
        "\tViệc không số\tPhòng A\tThường xuyên\tBáo cáo\n"
        "1\tViệc có số\tPhòng B\tTháng 01/2024\t- Kế hoạch;\n"
        "\n"
        "\t\t\t\t- Báo cáo\n",
        encoding="utf-8",
    )
    plan = load_plan(path)
    assert [(row.ref, row.lead) for row in plan.rows] == [("I", "Phòng A"), ("I.1", "Phòng B")]
    assert plan.rows[1].evidence == ("Kế hoạch", "Báo cáo")


def test_it_reads_a_one_cell_per_line_export_with_a_single_header_row(tmp_path: Path) -> None:
    lines = [
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024",
        "\tSTT",
        "\tNội dung",
        "\tChủ trì",
        "\tThời hạn",
        "\tI",
        "\tMục tiêu một",
        "\t1",
        "\tViệc một",
        "dòng hai",
        "\tPhòng A",
        "\tQuý I/2024",
        "",
        "",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    path = tmp_path / "cells.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    row = load_plan(path).rows[0]
    assert (row.ref, row.task, row.lead, row.timing) == (
        "I.1",
        "Việc một dòng hai",
        "Phòng A",
        "Quý I/2024",
    )


def test_it_rejects_cells_that_do_not_line_up_into_rows(tmp_path: Path) -> None:
    lines = [
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024",
        "\tTT",
        "\tNội dung",
        "\tChủ trì",
        "\tThời hạn",
        "\t1",
        "\tViệc một",
        "\tPhòng A",
        "\tQuý I/2024",
        "\tViệc thiếu số",
        "\tPhòng B",
        "\tQuý II/2024",
    ]
    path = tmp_path / "misaligned.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PlanImportError, match="không ghép được"):
        load_plan(path)


def test_it_reads_utf16_text(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes((EXAMPLES / "nam-dong-2024.txt").read_text(encoding="utf-8").encode("utf-16"))
    assert len(load_plan(path).rows) == 22


def test_it_rejects_text_without_a_plan_table(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Kính gửi: Ban chỉ đạo ISO\nNội dung công văn.\n", encoding="utf-8")
    with pytest.raises(PlanImportError, match="không tìm thấy bảng kế hoạch"):
        load_plan(path)


def test_it_splits_bullets_flattened_onto_one_line() -> None:
    assert join_field("<ul> - QMR; - Thư ký ISO. ") == "QMR; Thư ký ISO."
    assert evidence_items("- Sổ công văn đi; - Kết quả xử lý\nđúng hạn") == (
        "Sổ công văn đi",
        "Kết quả xử lý đúng hạn",
    )
    assert join_field("Phòng Tài chính - Kế hoạch") == "Phòng Tài chính - Kế hoạch"


def test_it_repairs_only_split_acronyms() -> None:
    assert repair_split_words("CBCCV C phụ trách") == "CBCCVC phụ trách"
    assert repair_split_words("Quý I năm 2024; QUÝ I") == "Quý I năm 2024; QUÝ I"
    assert repair_split_words("Nhóm A và nhóm B") == "Nhóm A và nhóm B"
