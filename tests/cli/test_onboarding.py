"""From a plan file to a running office: `init`, `people import`, `config check`, then the
year simulated and the engine started, with no hand-edited TOML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from nhacviec.cli import app
from nhacviec.config import load_config
from nhacviec.wiring import configured_plans
from scheduler.db import open_database
from scheduler.models import Notification, ReminderFact
from tests.cli.engine_process import run_until
from tests.rules.plan_builders import PlanSpec, Row, Section, build_docx, measure

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

STAFF = [
    ("Nguyễn Văn Quản", "", "QMR", "qmr@gianghai.example.vn", ""),
    (
        "Trần Thị Thư",
        "Công chức VP-TK xã",
        "Thư ký ISO; Công chức",
        "thuky@gianghai.example.vn",
        "",
    ),
    ("Lê Văn Chủ", "", "Chủ tịch UBND xã", "chutich@gianghai.example.vn", ""),
    ("Phạm Thị Văn", "vp-tk", "Trưởng bộ phận", "vptk@gianghai.example.vn", "200001"),
    ("Hồ Văn Xã", "Công chức VH-XH xã", "Công chức", "vhxh@gianghai.example.vn", ""),
]


def write_staff(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH CÁN BỘ THAM GIA HTQLCL"])
    sheet.append(["Họ và tên", "Đơn vị", "Chức vụ/Vai trò", "Email", "Telegram"])
    for row in STAFF:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The Giang Hải office set up from nothing: init, then the staff sheet."""
    folder = tmp_path / "gianghai"
    result = runner.invoke(
        app, ["init", str(ROOT / "examples" / "giang-hai-2023.docx"), "--dir", str(folder)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert "Còn phải làm:" in result.output and "people import" in result.output
    config = folder / "config.toml"
    staff = write_staff(tmp_path / "can-bo.xlsx")
    result = runner.invoke(app, ["people", "import", str(staff), "-c", str(config)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "thêm 5 người" in result.output
    return config


def test_it_sets_up_giang_hai_from_nothing_and_reminds_the_right_people(office: Path) -> None:
    check = runner.invoke(app, ["config", "check", "-c", str(office)])
    assert check.exit_code == 0, check.stderr
    assert "2 đơn vị" in check.output and "5 người" in check.output
    result = runner.invoke(
        app, ["simulate", "--from", "01/01/2023", "--to", "31/12/2023", "--json", "-c", str(office)]
    )
    assert result.exit_code == 0, result.stderr
    messages = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(messages) > 100
    names = {person.id: person.name for person in load_config(office).people}
    to = {names[m["to"]] for m in messages}
    assert to <= {s[0] for s in STAFF}

    def reached(row: str, step: str) -> set[str]:
        return {
            names[m["to"]]
            for m in messages
            for item in m["items"]
            if item["row"] == row and item["step"] == step
        }

    # I.1: lead Công chức VP-TK xã, monitors "QMR; Thư ký ISO."
    assert reached("I.1", "den-han") == {"Trần Thị Thư", "Phạm Thị Văn"}
    assert {"Nguyễn Văn Quản", "Trần Thị Thư"} <= reached("I.1", "qua-han-1")
    # VIII.2: lead Công chức VH-XH xã, monitored by Lãnh đạo UBND xã.
    assert reached("VIII.2", "den-han") == {"Hồ Văn Xã"}
    assert "Lê Văn Chủ" in reached("VIII.2", "qua-han-1")
    assert "Lê Văn Chủ" in reached("I.1", "qua-han-lanh-dao")


def test_it_reimports_the_same_sheet_without_changes_and_exports_it_back(
    office: Path, tmp_path: Path
) -> None:
    before = office.read_bytes()
    again = runner.invoke(
        app, ["people", "import", str(tmp_path / "can-bo.xlsx"), "-c", str(office)]
    )
    assert again.exit_code == 0 and "không đổi 5" in again.output
    assert office.read_bytes() == before
    exported = tmp_path / "xuat.csv"
    assert runner.invoke(app, ["people", "export", str(exported), "-c", str(office)]).exit_code == 0
    back = runner.invoke(app, ["people", "import", str(exported), "-c", str(office)])
    assert back.exit_code == 0 and "không đổi 5" in back.output
    assert office.read_bytes() == before
    assert "# Danh bạ" in office.read_text(encoding="utf-8"), "init's comments are kept"


def test_it_reports_an_unknown_unit_with_suggestions_and_writes_nothing(
    office: Path, tmp_path: Path
) -> None:
    before = office.read_bytes()
    sheet = tmp_path / "sai.csv"
    sheet.write_text(
        "Họ và tên,Đơn vị,Chức vụ/Vai trò,Email,Telegram\nA,Công chức VP-TK,,a@x.vn,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["people", "import", str(sheet), "-c", str(office)])
    assert result.exit_code == 1
    assert "dòng 2 (A): không có đơn vị «Công chức VP-TK»" in result.stderr
    assert "«Công chức VP-TK xã»" in result.stderr
    assert office.read_bytes() == before


def test_it_refuses_to_start_while_names_reach_nobody(tmp_path: Path) -> None:
    folder = tmp_path / "moi"
    init = runner.invoke(
        app, ["init", str(ROOT / "examples" / "giang-hai-2023.docx"), "--dir", str(folder)]
    )
    assert init.exit_code == 0
    config = str(folder / "config.toml")
    result = runner.invoke(
        app, ["simulate", "--from", "01/01/2023", "--to", "31/01/2023", "-c", config]
    )
    assert result.exit_code == 1
    assert "Dòng I.1 (giang-hai-2023.docx, bảng 1, dòng 4), cột «Chủ trì»" in result.stderr
    assert "vp-tk (Công chức VP-TK xã) chưa có người nào" in result.stderr
    assert "--allow-unresolved" in result.stderr
    forced = runner.invoke(
        app,
        [
            "simulate",
            "--from",
            "01/01/2023",
            "--to",
            "31/01/2023",
            "--allow-unresolved",
            "-c",
            config,
        ],
    )
    assert forced.exit_code == 0, forced.stderr


OTHER_PLAN: list[Row] = [
    Section("I", "Giải quyết thủ tục hành chính đúng hạn"),
    measure(
        "1",
        "Rà soát quy trình giải quyết TTHC",
        lead="Phòng Tư pháp - Hộ tịch",
        coordinating="Các phòng, ban chuyên môn",
        timing="Trước ngày 30/6/2024",
        monitors="Phó Chủ tịch UBND phường; Thư ký ISO",
    ),
    measure(
        "2",
        "Báo cáo tình hình giải quyết hồ sơ",
        lead="Công chức Địa chính - Xây dựng, Bộ phận một cửa",
        coordinating="",
        timing="Định kỳ hàng quý",
        monitors="- Đại diện lãnh đạo;\n- Ban chỉ đạo ISO",
    ),
    Section("II", "Đánh giá nội bộ"),
    measure(
        "1",
        "Tổ chức đánh giá nội bộ",
        lead="Văn phòng UBND phường",
        coordinating="Tất cả các đơn vị",
        timing="Trước ngày 30/8 hàng năm",
        monitors="QMR",
    ),
]


def _placed_everything(config: Path) -> list[str]:
    plans = configured_plans(load_config(config))
    return [p.message for plan in plans for p in plan.problems if p.code == "unresolved-name"]


@pytest.mark.parametrize("kind", ["docx", "toml"])
def test_it_sets_up_plans_it_has_never_seen(tmp_path: Path, kind: str) -> None:
    if kind == "docx":
        plan = build_docx(PlanSpec(OTHER_PLAN), tmp_path / "phuong.docx")
    else:
        plan = tmp_path / "ke-hoach.toml"
        plan.write_text(
            'organisation = "UBND thị trấn Sông Cầu"\nyear = 2025\n'
            '[[sections]]\nsection = "I"\ntitle = "Mục tiêu"\n'
            '[[sections.rows]]\nnumber = "1"\ntask = "Khảo sát sự hài lòng"\n'
            'lead = "Tổ một cửa thị trấn"\ncoordinating = "Các ngành, đoàn thể"\n'
            'timing = "Quý III/2025"\nmonitors = ["Chủ tịch UBND thị trấn", "Thư ký ISO"]\n'
            '[[sections.rows]]\nnumber = "2"\ntask = "Xem xét của lãnh đạo"\n'
            'lead = "Lãnh đạo UBND thị trấn"\ntiming = "6 tháng/lần"\nmonitors = "QMR"\n',
            encoding="utf-8",
        )
    folder = tmp_path / "office"
    init = runner.invoke(app, ["init", str(plan), "--dir", str(folder)])
    assert init.exit_code == 0, init.output + init.stderr
    check = runner.invoke(app, ["config", "check", "-c", str(folder / "config.toml")])
    assert check.exit_code == 0, check.stderr
    assert _placed_everything(folder / "config.toml") == []


def test_it_will_not_write_over_a_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    result = runner.invoke(
        app, ["init", str(ROOT / "examples" / "ke-hoach-mau.csv"), "--dir", str(tmp_path)]
    )
    assert result.exit_code == 1 and "--force" in result.stderr


def test_it_refuses_a_past_year_on_the_real_clock_and_catches_up_when_asked(office: Path) -> None:
    refused = runner.invoke(app, ["run", "-c", str(office)])
    assert refused.exit_code == 1, refused.output
    match = re.search(r"sẽ gửi ngay (\d+) thông báo cho (\d+) người", refused.stderr)
    assert match and int(match.group(1)) > 30, refused.stderr
    assert "--catch-up" in refused.stderr and "--from-today" in refused.stderr
    dry = runner.invoke(app, ["run", "--dry-run", "-c", str(office)])
    assert dry.exit_code == 0 and f"{match.group(1)} thông báo" in dry.output
    output = run_until(office, ["--catch-up"], "Lượt đầu xong")
    assert "Đã dừng" in output
    db = open_database(load_config(office).database_url())
    with Session(db) as session:
        facts = session.exec(select(ReminderFact.person_id, ReminderFact.channels)).all()
        bundles = session.exec(
            select(Notification.person_id, Notification.channel, Notification.key).where(
                col(Notification.key).startswith("bundle/")
            )
        ).all()
    queued = sum(len([c for c in channels.split(",") if c]) for _person, channels in facts)
    assert queued >= int(match.group(1)), "the catch-up queued what the refusal counted"
    # Whatever of it went out went as one bundle per person, channel and day.
    assert len({(p, c, key.split("/")[1]) for p, c, key in bundles}) == len(bundles)


def test_it_stops_tracking_the_past_from_today(office: Path) -> None:
    output = run_until(office, ["--from-today"], "Đang chạy")
    assert re.search(r"Không theo dõi (\d+) việc có hạn trước", output)
    status = runner.invoke(app, ["status", "--all", "-c", str(office)])
    assert "được miễn" in status.output


def test_it_names_an_unknown_name_as_the_plan_wrote_it_with_the_closest(office: Path) -> None:
    text = office.read_text(encoding="utf-8")
    office.write_text(
        text.replace('name = "Công chức VH-XH xã"', 'name = "Công chức Văn hóa xã"'),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["run", "--dry-run", "-c", str(office)])
    assert result.exit_code == 1
    assert (
        "Dòng VIII.2 (giang-hai-2023.docx, bảng 1, dòng 32), cột «Chủ trì»: "
        "«Công chức VH-XH xã» không có trong danh bạ. Gần nhất: «Công chức VP-TK xã», "
        "«Công chức Văn hóa xã»"
    ) in result.stderr
