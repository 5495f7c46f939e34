"""The `xinfang` command: demo, check, backup, overdue, and Chinese errors for a bad --db."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from xinfang_desktop.cli import main

UNTIL = "2026-09-30"  # the demo's last day, so that what it holds does not depend on the day the test runs


def _demo(path: Path | str, cases: int = 120) -> None:
    assert main(["demo", "--db", str(path), "--cases", str(cases), "--seed", "5", "--until", UNTIL]) == 0


def test_demo_then_check(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    _demo(target)
    assert "生成 120 件演示信访事项" in capsys.readouterr().out
    assert main(["check", "--db", target]) == 0
    out = capsys.readouterr().out
    assert "外键检查：通过" in out and "信访事项：120件" in out and "结论：数据库完好" in out
    # the file's pages are checked by SQLite; on the server what the migrations installed
    assert ("完整性检查：通过" in out) if target.endswith(".sqlite3") else ("结构检查：通过" in out
                                                                     and "检索索引：通过" in out)


def test_db_option_also_before_the_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "front.sqlite3"
    assert main(["--db", str(path), "demo", "--cases", "10"]) == 0
    assert path.exists()
    assert main(["--db", str(path), "check"]) == 0
    assert "信访事项：10件" in capsys.readouterr().out


def test_check_fails_on_a_damaged_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    _demo(path, 300)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # recent pages still in -wal would mask the damage
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_matters_received'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page + 8: root * page] = b"\x00" * (page - 8)
    path.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["check", "--db", str(path)]) != 0
    assert "数据库已损坏，请用备份恢复" in capsys.readouterr().out


def test_check_refuses_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    assert main(["check", "--db", str(path)]) == 2
    assert "不是SQLite文件" in capsys.readouterr().err
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_backup_writes_a_readable_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    _demo(path, 50)
    target = tmp_path / "copies" / "backup.sqlite3"
    assert main(["backup", "--db", str(path), "-o", str(target)]) == 0
    assert "已备份到" in capsys.readouterr().out
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM matters").fetchone()[0] == 50
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert main(["backup", "--db", str(path), "-o", str(target)]) == 2  # never overwrites
    assert "已存在" in capsys.readouterr().err


def test_backup_without_output_goes_next_to_the_database(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    _demo(path, 10)
    assert main(["backup", "--db", str(path)]) == 0
    assert len(list((tmp_path / "backups").glob("*.sqlite3"))) == 1


def test_overdue_json(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = target
    _demo(path, 400)
    capsys.readouterr()
    assert main(["overdue", "--db", path, "--json", "--days", "10", "--on", UNTIL]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["days"] == 10
    assert data["overdue"], "the demo data has overdue matters"
    assert all(r["days_left"] < 0 for r in data["overdue"])
    assert all(0 <= r["days_left"] <= 10 for r in data["due_soon"])
    assert {"number", "title", "unit", "due_on", "state"} <= set(data["overdue"][0])
    assert main(["overdue", "--db", path, "--on", UNTIL]) == 0
    assert f"超期 {len(data['overdue'])} 件" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["check", "backup", "overdue"])
def test_a_missing_database_is_a_chinese_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               command: str) -> None:
    missing = tmp_path / "nowhere" / "x.sqlite3"
    assert main([command, "--db", str(missing)]) == 2
    assert "不存在，请检查 --db 参数" in capsys.readouterr().err
    assert not missing.exists()


def test_demo_goes_into_a_practice_database_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Never into a ledger in use: its 编号, its tally and its lists would take in made-up matters."""
    from xinfang_desktop.db.database import Database
    from xinfang_desktop.domain.enums import Channel
    from xinfang_desktop.domain.values import MatterInput, PetitionerInput
    from xinfang_desktop.services.common import set_setting
    from xinfang_desktop.services.registry import register_matter

    ledger = tmp_path / "台账.sqlite3"
    db = Database(ledger)
    with db.begin() as s:
        set_setting(s, "office_name", "河口镇人民政府")
        set_setting(s, "first_start", "done")
    db.close()
    assert main(["demo", "--db", str(ledger), "--cases", "3"]) == 2
    assert "已设置为河口镇人民政府的数据库，演示数据只能生成到新的练习数据库" in capsys.readouterr().err
    db = Database(ledger)
    with db.begin() as s:
        register_matter(s, MatterInput(received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映问题",
                                       petitioners=(PetitionerInput("王建国"),)))
    db.close()
    assert main(["demo", "--db", str(ledger), "--cases", "3"]) == 2
    err = capsys.readouterr().err
    assert "已有1件信访事项" in err and "请用 --db 指定一个新文件" in err
    assert main(["demo", "--db", str(tmp_path / "练习.sqlite3"), "--cases", "-5"]) == 2
    assert "应为正整数" in capsys.readouterr().err
    assert not (tmp_path / "练习.sqlite3").exists()
    assert main(["check", "--db", str(ledger)]) == 0
    assert "信访事项：1件" in capsys.readouterr().out


def test_a_folder_as_database_is_a_chinese_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(tmp_path), "--cases", "1"]) == 2
    assert "是一个文件夹" in capsys.readouterr().err


def test_an_unwritable_place_is_a_chinese_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["demo", "--db", str(blocker / "sub" / "x.sqlite3"), "--cases", "1"]) == 2
    assert "无法在" in capsys.readouterr().err


def test_overdue_piped_into_a_closed_reader_is_not_an_error(tmp_path: Path) -> None:
    """`xinfang overdue | head` must not end in a BrokenPipeError traceback."""
    db_path = tmp_path / "pipe.sqlite3"
    subprocess.run([sys.executable, "-m", "xinfang_desktop", "demo", "--db", str(db_path), "--cases", "400"],
                   check=True, capture_output=True)
    with subprocess.Popen(
        [sys.executable, "-m", "xinfang_desktop", "overdue", "--db", str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # the reader is gone before the command writes its first line
        stderr = child.stderr.read().decode("utf-8", "replace")
        assert child.wait(timeout=60) == 0
    assert "Traceback" not in stderr


ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "required:", "OUTPUT", "DB ")


@pytest.mark.parametrize("argv", [["--help"], *([name, "--help"] for name in
                                  ("demo", "check", "backup", "letter", "overdue", "tally", "import-ledger",
                                   "export-ledger"))])
def test_every_help_is_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：xinfang") and "显示本帮助并退出" in out and "选项：" in out
    assert not [word for word in ENGLISH if word in out], out


@pytest.mark.parametrize("argv, said", [
    (["letter"], "缺少必填的参数：--matter, --kind"),
    (["tally", "--year", "abc"], "参数 --year：“abc”不是有效的值"),
    (["nosuch"], "没有“nosuch”这个命令，可用的命令：demo、check、backup、restore、letter"),
    (["--bogus"], "不认识的参数：--bogus"),
])
def test_a_mistyped_command_is_told_in_chinese(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "错误：" in err and said in err and "error" not in err


HELPS = [["--help"], *([name, "--help"] for name in (
    "demo", "check", "backup", "restore", "letter", "overdue", "tally", "monthly", "import-ledger", "export-ledger",
    "server-setup", "copy-to"))]


def _help(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(argv)
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", HELPS)
def test_every_help_is_laid_out_in_terminal_columns(argv: list[str], capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang_desktop.cli.chinese import display_width

    out = _help(argv, capsys, monkeypatch)
    lines = out.splitlines()
    assert max(map(display_width, lines)) <= 80, out
    # an option's help starts in the same column on every line, a Chinese character counted two wide
    starts = set()
    for line in lines[lines.index(""):]:  # below the usage
        found = re.match(r"^(  \S.*?)  +(\S)", line)
        if found and not line.startswith("用法"):
            starts.add(display_width(line[:found.start(2)]))
        elif line.startswith(" " * 6) and line.strip():  # a help continued on its next line
            starts.add(display_width(line) - display_width(line.lstrip()))
    assert len(starts) == 1, out
    # the subcommands come straight under their heading, without the metavar 命令 over them
    assert "  命令" not in lines
    assert not [line for line in lines if line.startswith(" ") and line.strip()[:1] in "、，。；：）"], out
    # the usage's next lines start under its first argument
    usage = [line for line in lines[:lines.index("")]]
    for more in usage[1:]:
        assert display_width(more) - display_width(more.lstrip()) == display_width(usage[0].split(" [")[0]) + 1


@pytest.mark.parametrize("argv, said", [
    (["restore", "--help"], "--from 备份文件"),
    (["monthly", "--help"], "--month YYYY-MM"),
    (["monthly", "--help"], "--as-of YYYY-MM-DD"),
    (["tally", "--help"], "--from YYYY-MM-DD"),
])
def test_every_value_is_named_for_what_to_write(argv: list[str], said: str, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = _help(argv, capsys, monkeypatch)
    assert said in out


@pytest.mark.parametrize("argv", HELPS)
def test_no_value_is_a_bare_zhi(argv: list[str], capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert not re.search(r"[-\w] 值", _help(argv, capsys, monkeypatch))


def test_a_mistyped_choice_lists_the_choices_without_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from xinfang_desktop.cli.chinese import ChineseArgumentParser, chinese_argparse

    parser = ChineseArgumentParser(prog="xinfang")
    parser.add_argument("--format", choices=("xlsx", "pdf"))
    with chinese_argparse(), pytest.raises(SystemExit):
        parser.parse_args(["--format", "doc"])
    assert "参数 --format：没有“doc”这一项，可选：xlsx、pdf" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"信访台账 {version('xinfang-desktop')}"


def test_argparse_speaks_english_again_after_the_command() -> None:
    """The translation lasts one parse: another argparse user in the process is left as it was."""
    import argparse

    main(["check", "--db", "/nonexistent/none.sqlite3"])
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
