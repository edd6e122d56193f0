"""`nhacviec report results`: the 6-month and year reports of a simulated Nam Đông year."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from docx import Document

from tests.reports.conftest import HALF_DAY, SECOND_HALF, YEAR_DAY, Office, make_office
from tests.reports.counting import counted, document_text, summary_table


def test_it_counts_the_half_year_as_status_does(half_year: Office, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao-6-thang.docx"
    output = half_year.invoke("report", "results", "--period", "6m", "--out", str(out))
    assert "(dòng I.6, Báo cáo 6 tháng, hạn 14/06/2024)" in output and "--log-evidence" in output
    expected = counted(half_year.status(), date(2024, 1, 1), date(2024, 6, 30), HALF_DAY)
    assert summary_table(out) == expected
    total = expected["Tổng cộng"]
    assert total["on_time"] > 0 and total["late"] > 0 and total["not_done"] > 0
    assert total["exempt"] == 1


def test_it_writes_the_report_as_an_office_does(half_year: Office, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    half_year.invoke("report", "results", "--period", "6m", "--out", str(out))
    text = document_text(out)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND HUYỆN NAM ĐÔNG",
        "Số: …/BC-UBND",
        "Nam Đông, ngày 14 tháng 6 năm 2024",
        "Kết quả thực hiện Mục tiêu chất lượng 6 tháng đầu năm 2024",
        "Chỉ tiêu: Thu nhập bình quân đầu người: 55,7 triệu đồng",
        "hoàn thành đúng hạn",
        "hoàn thành trễ 4 ngày làm việc",  # II.1, due 31/01, evidence 06/02
        "được miễn (lý do: Gộp vào báo cáo thống kê của tỉnh)",
        "chưa hoàn thành (quá hạn",
        "tệp rà-soát-quý-I.pdf",
        "CÁC VIỆC CHƯA HOÀN THÀNH, CẦN HÀNH ĐỘNG KHẮC PHỤC",
        "ĐẠI DIỆN LÃNH ĐẠO VỀ CHẤT LƯỢNG",
        "Trần Văn Quản",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


@pytest.fixture(scope="module")
def full_year(tmp_path_factory: pytest.TempPathFactory) -> Office:
    from tests.reports.conftest import FIRST_HALF

    office = make_office(tmp_path_factory.mktemp("year"))
    office.simulate(date(2024, 1, 2), HALF_DAY, FIRST_HALF)
    office.simulate(date(2024, 6, 15), YEAR_DAY, SECOND_HALF)
    return office


def test_it_counts_the_year_and_closes_the_plans_report_row(
    full_year: Office, tmp_path: Path
) -> None:
    before = full_year.status()
    out = tmp_path / "bao-cao-nam.docx"
    output = full_year.invoke(
        "report", "results", "--period", "year", "--out", str(out), "--log-evidence"
    )
    assert summary_table(out) == counted(before, date(2024, 1, 1), date(2024, 12, 31), YEAR_DAY)
    assert "Đã ghi minh chứng cho việc" in output and "I.6" in output
    (report_row,) = [
        line
        for line in full_year.status()
        if line["row"] == "I.6" and line["label"] == "Báo cáo năm"
    ]
    assert report_row["status"] == "done"
    register = tmp_path / "so.xlsx"
    full_year.invoke("report", "evidence", "--out", str(register))
    from openpyxl import load_workbook

    sheet = load_workbook(register).active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    (logged,) = [r for r in rows if r[0] == report_row["code"]]
    assert logged[12] == out.name and len(str(logged[13])) == 64


def test_it_tells_the_6_month_report_from_the_year_report(
    full_year: Office, tmp_path: Path
) -> None:
    out = tmp_path / "6m.docx"
    full_year.invoke("report", "results", "--period", "6m", "--at", "2024-06-14", "--out", str(out))
    text = document_text(out)
    # Seen from 14/6: what was closed later is still open then.
    as_then = [
        {**line, "status": "overdue"}
        if line["closed_at"] and str(line["closed_at"]) > "2024-06-14T17:00:00+00:00"
        else line
        for line in full_year.status()
    ]
    assert summary_table(out) == counted(as_then, date(2024, 1, 1), date(2024, 6, 30), HALF_DAY)
    assert "Báo cáo 6 tháng, Phòng Kinh tế và Hạ tầng, hạn 14/06/2024" in text
    assert "Báo cáo năm," not in text  # due 29/11: outside the first half


def test_it_uses_the_offices_own_template(office: Office, tmp_path: Path) -> None:
    office.simulate(date(2024, 1, 2), date(2024, 2, 10), ())
    template = tmp_path / "mau-rieng.docx"
    document = Document()
    document.add_paragraph("{{ body_upper }} — tổng số việc {{ total.total }}, {{ place_date }}")
    document.save(str(template))
    data = tomllib.loads(office.config_path.read_text(encoding="utf-8"))
    data["reports"] = {
        **data.get("reports", {}),
        "results_template": str(template),
        "place": "Khe Tre",
    }
    office.config_path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    out = tmp_path / "r.docx"
    office.invoke("report", "results", "--period", "6m", "--out", str(out))
    text = document_text(out)
    status = office.status()
    due = [s for s in status if s["due"] <= "2024-02-10"]
    assert (
        text == f"UBND HUYỆN NAM ĐÔNG — tổng số việc {len(due)}, Khe Tre, ngày 10 tháng 02 năm 2024"
    )


def test_it_refuses_an_unknown_period(office: Office) -> None:
    from typer.testing import CliRunner

    from nhacviec.cli import app

    result = CliRunner().invoke(
        app,
        [
            "report",
            "results",
            "--period",
            "quy",
            "--out",
            "x.docx",
            "--config",
            str(office.config_path),
        ],
    )
    assert result.exit_code != 0 and "6m hoặc year" in result.output + result.stderr


def test_it_opens_in_libreoffice_and_renders_a_first_page(
    half_year: Office, tmp_path: Path
) -> None:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        print("soffice/pdftoppm not installed: LibreOffice conversion not checked")
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftoppm) not installed")
    out = tmp_path / "bao-cao.docx"
    half_year.invoke("report", "results", "--period", "6m", "--out", str(out))
    profile = tmp_path / "lo-profile"
    converted = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=110,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert converted.returncode == 0 and pdf.is_file(), converted.stderr
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "trang")],
        check=True,
        timeout=60,
    )
    (page,) = tmp_path.glob("trang-*.png")
    assert page.stat().st_size > 10_000
