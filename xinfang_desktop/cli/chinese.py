"""argparse in Chinese: its own words (用法, 选项, 错误…) translated while the `xinfang` parser works.

argparse looks its words up through the module's `_` and `ngettext` when it formats help and errors
(Python ships no Chinese catalogue), so they are swapped for the length of one parse and put back.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

WORDS = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必填的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "expected one argument": "后面应写一个值",
    "expected at least one argument": "后面应至少写一个值",
    "expected at most one argument": "后面最多写一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须填写一个",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURAL = {"expected %s argument": "后面应写 %s 个值", "expected %s arguments": "后面应写 %s 个值"}


def _translate(message: str) -> str:
    return WORDS.get(message, message)


def _translate_n(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURAL.get(chosen, chosen)


@contextmanager
def chinese_argparse() -> Iterator[None]:
    """While inside, argparse formats its help, usage and errors in Chinese."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _translate_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


# what a value is called in the usage line, by the argument's dest; anything else is 值
METAVARS = {
    "db": "数据库文件", "output": "文件", "file": "台账文件", "cases": "件数", "seed": "种子", "years": "年数",
    "until": "日期", "on": "日期", "date_from": "日期", "date_to": "日期", "matter": "编号", "kind": "种类",
    "transfer": "序号", "days": "天数", "year": "年度",
}


def chinese_metavar(dest: str, options: dict[str, Any]) -> dict[str, Any]:
    """`options` with a Chinese metavar for an argument that takes a value (not a flag), unless it has one."""
    if "metavar" in options or options.get("action") in ("store_true", "store_false", "version", "count"):
        return options
    return {**options, "metavar": METAVARS.get(dest, "值")}


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Section headings end in a full-width colon (argparse writes "选项:")."""

    def format_help(self) -> str:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)
