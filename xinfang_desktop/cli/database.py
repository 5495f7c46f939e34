"""`xinfang demo`, `check`, `backup` and `restore`: the database file itself."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xinfang_desktop.cli.command import Command, open_db, parse_day
from xinfang_desktop.domain.errors import XinfangError


def cmd_demo(args: argparse.Namespace) -> int:
    from xinfang_desktop.services.demo import generate, require_practice_database

    until = parse_day(args.until, "--until") if args.until else None
    if args.cases < 1:
        raise XinfangError(f"--cases {args.cases}：演示事项的数量应为正整数，如 --cases 500")
    db = open_db(args)
    with db.read() as session:
        require_practice_database(session, db.label)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r已生成 {done}/{total}", end="", file=sys.stderr, flush=True)

    with db.begin() as session:
        generate(session, cases=args.cases, seed=args.seed, years=args.years, end=until, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"已在 {db.label} 生成 {args.cases} 件演示信访事项，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    db = open_db(args, migrate=False, must_exist=True)
    report = db.check()
    print(report.text())
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    db = open_db(args, migrate=False, must_exist=True)
    target = db.backup(Path(args.output) if args.output else None)
    print(f"已备份到 {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from xinfang_desktop.db.dialect import is_server_url
    from xinfang_desktop.paths import default_db_path
    from xinfang_desktop.services.backups import SERVER_RESTORE, restorable, restore_backup

    if is_server_url(args.db):
        raise XinfangError(SERVER_RESTORE)
    path = Path(args.db) if args.db else default_db_path()
    if args.source is None:
        found = restorable(path)
        if not found:
            print(f"“{path.parent / 'backups'}”中没有“{path.name}”的备份。", file=sys.stderr)
            return 1
        print(f"“{path.name}”的备份（新的在前），用 --from 选择一份：")
        for backup in found:
            print(f"{backup.label}\t{backup.path}")
        return 1
    kept = restore_backup(path, Path(args.source))
    print(f"已从 {args.source} 恢复 {path}")
    if kept is not None:
        print(f"恢复前的文件已保存为 {kept}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo",
        "生成演示数据（培训与性能测试用）",
        cmd_demo,
        (
            (("--cases",), {"type": int, "default": 500, "help": "事项数量"}),
            (("--seed",), {"type": int, "default": 1, "help": "随机种子"}),
            (("--years",), {"type": int, "default": 3, "help": "跨越年数"}),
            (("--until",), {"default": None, "help": "演示数据截止日期，如 2026-06-30（默认今天）"}),
        ),
    ),
    Command("check", "检查数据库完整性与外键", cmd_check),
    Command("backup", "备份数据库（数据库文件用SQLite备份接口；服务器数据库用pg_dump）", cmd_backup,
            ((("-o", "--output"), {"help": "备份文件路径（默认在数据库旁的backups文件夹）"}),)),
    Command("restore", "从备份恢复数据库（先把当前文件另存到backups文件夹）", cmd_restore,
            ((("--from",), {"dest": "source", "default": None,
                            "help": "要恢复的备份文件；不写则列出可用的备份"}),)),
)
