"""config.toml: the shipped file is valid, and every mistake names its key."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nhacviec.config import ConfigError, load_config, masked, parse_config

ROOT = Path(__file__).resolve().parent.parent


def shipped() -> dict:
    return tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))


def test_it_loads_the_shipped_config() -> None:
    config = load_config(ROOT / "config.toml")
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.plans[0].file == Path("examples/nam-dong-2024.docx")
    assert config.path(config.plans[0].file).exists()
    assert "ktht" in config.directory().units
    assert config.escalation.steps[0].anchor == "opens"


def test_it_names_a_misspelt_key() -> None:
    data = shipped()
    data["calendar"]["work_strat"] = "08:00:00"
    with pytest.raises(ConfigError, match=r"calendar\.work_strat: khoá lạ \(gõ sai\?\)"):
        parse_config(data)


def test_it_names_a_wrong_type() -> None:
    data = shipped()
    data["timing"]["after_event_working_days"] = "mười"
    with pytest.raises(ConfigError, match=r"timing\.after_event_working_days: phải là số nguyên"):
        parse_config(data)


def test_it_names_an_unknown_unit_of_a_person_with_a_suggestion() -> None:
    data = shipped()
    data["people"][3]["unit"] = "kth"
    with pytest.raises(
        ConfigError,
        match=r"người thứ 4 «pham-truong-ktht» \(people\[4\]\.unit\): "
        r"không có đơn vị «kth» trong \[\[units\]\] \(có phải «ktht»\?\)",
    ):
        parse_config(data)


def test_it_names_an_unknown_audience_in_the_ladder() -> None:
    data = shipped()
    data["escalation"]["steps"][5]["audience"] = ["lead", "role:qrm"]
    with pytest.raises(
        ConfigError,
        match=r"escalation\.steps\[6\]\.audience\[2\]\): người nhận «role:qrm» không hợp lệ",
    ):
        parse_config(data)


def test_it_names_an_unknown_group_member_and_a_bad_time_zone() -> None:
    data = shipped()
    data["groups"][0]["members"].append("xa-ma")
    data["timezone"] = "Asia/Hanoi_City"
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert "timezone: không có múi giờ «Asia/Hanoi_City»" in str(caught.value)


def test_it_reports_toml_syntax_errors_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[database\nurl = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="sai cú pháp TOML: dòng"):
        load_config(bad)


def test_it_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    data = shipped()
    data["email"]["smtp"] = {"host": "127.0.0.1", "password_env": "TEST_SMTP_PW"}
    monkeypatch.setenv("TEST_SMTP_PW", "hunter2-secret")
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "123:abc")
    shown = masked(parse_config(data))
    assert shown["email"]["smtp"]["password"] == "***"
    assert shown["telegram"]["token"] == "***"
    assert "hunter2-secret" not in repr(shown) and "123:abc" not in repr(shown)


def test_it_resolves_sqlite_paths_relative_to_the_config_file(tmp_path: Path) -> None:
    target = tmp_path / "office" / "config.toml"
    target.parent.mkdir()
    target.write_text(
        '[database]\nurl = "sqlite:///var/x.db"\n'
        '[[roles]]\nid = "qmr"\nname = "QMR"\n'
        '[[roles]]\nid = "lanh-dao"\nname = "Lãnh đạo"\n',
        encoding="utf-8",
    )
    assert load_config(target).database_url() == f"sqlite:///{tmp_path}/office/var/x.db"


def test_it_prints_one_error_line_from_the_command(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[[people]]\nid = "a"\nname = "A"\nunit = "khong-co"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "nhacviec", "config", "check", "--config", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "dòng 4: người thứ 1 «a» (people[1].unit): không có đơn vị «khong-co»" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_points_at_the_file_line_of_a_misspelt_key_of_a_person(tmp_path: Path) -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    marker = 'id = "pham-truong-ktht"'
    text = text.replace(marker, marker + '\nemial = "x@y.vn"')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('emial = "x@y.vn"') + 1
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"dòng {line}: người thứ 4 «pham-truong-ktht» (people[4].emial): khoá lạ" in message


def test_it_says_a_problem_in_a_default_is_not_in_the_file() -> None:
    data = shipped()
    del data["escalation"]
    data["roles"] = [r for r in data["roles"] if r["id"] != "lanh-dao"]
    data["people"] = data["people"]
    with pytest.raises(ConfigError, match="giá trị mặc định, không có trong tệp"):
        parse_config(data)
