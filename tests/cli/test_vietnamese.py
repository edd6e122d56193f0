"""One language for people: every command of the README's table, given bad input, answers
in Vietnamese; only the section titles of `--help` that Click draws stay English."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner

from nhacviec.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DENY = (
    "Error:",
    "Invalid",
    "invalid",
    "does not match",
    "Usage:",
    "Traceback",
    "No such",
    "Missing",
    "not found",
    "unknown",
    "is not",
    "did you mean",
    "must be",
    "Value error",
)
runner = CliRunner()

# For each command of the README's table: invocations with bad input ({c} = a config).
BAD: dict[str, list[list[str]]] = {
    "init": [["init"], ["init", "/khong/co.docx"], ["init", "{plan}", "--dir", "{dir}"]],
    "people import": [["people", "import"], ["people", "import", "/khong/co.xlsx", "-c", "{c}"]],
    "people export": [["people", "export", "/tmp/x.pdf", "-c", "{c}"]],
    "run": [["run", "--replay-from", "32/13/2024", "-c", "{c}"], ["run", "--speed", "nhanh"]],
    "plan check": [["plan", "check"], ["plan", "check", "/khong/co.docx"], ["plan", "chek"]],
    "rules explain": [["rules", "explain"], ["rules", "explain", "abc xyz", "--year", "năm"]],
    "simulate": [
        ["simulate", "--from", "2024-13-01", "--to", "31/12/2024", "-c", "{c}"],
        ["simulate", "--to", "31/12/2024"],
        [
            "simulate",
            "--from",
            "01/01/2024",
            "--to",
            "31/12/2024",
            "--evidence",
            "I.3",
            "-c",
            "{c}",
        ],
    ],
    "status": [["status", "--unit", "khong-co", "-c", "{c}"], ["status", "--bogus"]],
    "done": [["done"], ["done", "I.33", "--by", "QMR", "-c", "{c}"], ["done", "X", "--by"]],
    "undo": [["undo"], ["undo", "--by", "ai-do", "-c", "{c}"]],
    "waive": [["waive", "I.3 2024", "--by", "ktht", "--reason", "x", "-c", "{c}"], ["waive"]],
    "start": [["start", "I.99", "--by", "QMR", "-c", "{c}"], ["start", "I.4"]],
    "digest": [
        ["digest", "--preview", "--at", "99/99/2024", "-c", "{c}"],
        ["digest", "--preview", "--send", "-c", "{c}"],
        ["digest", "--preview", "--format", "pdf"],
    ],
    "people invite": [
        ["people", "invite", "ai-do", "-c", "{c}"],
        ["people", "invite", "--hours", "x"],
    ],
    "notify test": [["notify", "test", "ai-do", "-c", "{c}"], ["notify", "test"]],
    "config check": [
        ["config", "check", "-c", "/khong/co.toml"],
        ["config", "check", "-c", "{bad}"],
    ],
    "db upgrade": [["db", "upgrade", "-c", "/khong/co.toml"]],
    "report": [
        ["report", "results", "--period", "quy", "--out", "/tmp/x.docx", "-c", "{c}"],
        ["report", "results", "--period", "6m", "--at", "31/02/2024", "--out", "x.docx"],
        ["report", "evidence", "-c", "{c}"],
    ],
    "calendar": [
        ["calendar", "--unit", "khong-co", "--out", "/tmp/x.ics", "-c", "{c}"],
        ["calendar", "--person", "ai-do", "--out", "/tmp/x.ics", "-c", "{c}"],
        ["calendar"],
    ],
    "": [["frob"], ["--bogus"], ["sta"]],
}


def readme_commands() -> list[str]:
    found = re.findall(r"^\| `nhacviec ([a-z]+(?: [a-z]+)?)", README, flags=re.M)
    names = []
    for text in found:
        first = text.partition(" ")[0]
        names.append(
            text if first in ("people", "plan", "rules", "notify", "config", "db") else first
        )
    return names


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("vi")
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    config = folder / "config.toml"
    config.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    bad = folder / "bad.toml"
    bad.write_text('[calendar]\nwork_strat = 1\n[[people]]\nid = "a"\nname = 3\n', encoding="utf-8")
    (folder / "exists").mkdir()
    (folder / "exists" / "config.toml").write_text("", encoding="utf-8")
    return {
        "c": str(config),
        "bad": str(bad),
        "plan": str(ROOT / "examples" / "ke-hoach-mau.csv"),
        "dir": str(folder / "exists"),
    }


def test_it_has_bad_input_cases_for_every_command_of_the_readme() -> None:
    assert set(readme_commands()) <= set(BAD), set(readme_commands()) - set(BAD)


CASES = [(name, args) for name, cases in BAD.items() for args in cases]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[" ".join(a) for _, a in CASES])
def test_it_answers_bad_input_in_vietnamese(
    setup: dict[str, str], name: str, args: list[str]
) -> None:
    argv = [a.format(**setup) for a in args]
    result = runner.invoke(app, argv, env={"NHACVIEC_TELEGRAM_TOKEN": "", "COLUMNS": "200"})
    said = result.output + result.stderr
    assert result.exit_code != 0, said
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Lỗi: " in said, said
    english = [word for word in DENY if word in said]
    assert english == [], said


def test_it_gives_every_command_a_vietnamese_help_line() -> None:
    for name, (_module, _attr, line) in COMMANDS.items():
        assert re.search(r"[^\x00-\x7f]", line), name
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "Tạo config.toml" in result.output
