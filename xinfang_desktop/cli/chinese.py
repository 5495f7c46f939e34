"""argparse in Chinese: its own words (用法, 选项, 错误…) translated while the `xinfang` parser works.

argparse looks its words up through the module's `_` and `ngettext` when it formats help and errors
(Python ships no Chinese catalogue), so they are swapped for the length of one parse and put back.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
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


DAY = "YYYY-MM-DD"
# what a value is called in the usage line, by the argument's dest: what to write
METAVARS = {
    "db": "数据库文件", "output": "文件", "file": "台账文件", "cases": "件数", "seed": "种子", "years": "年数",
    "until": DAY, "on": DAY, "date_from": DAY, "date_to": DAY, "as_of": DAY, "month": "YYYY-MM",
    "matter": "编号", "kind": "种类", "transfer": "序号", "days": "天数", "year": "年度", "source": "备份文件",
    "admin_url": "连接地址", "server": "连接地址", "database": "数据库名", "clerk": "登录名", "name": "姓名",
    "person": "登录名:姓名:角色",
}


def chinese_metavar(dest: str, options: dict[str, Any]) -> dict[str, Any]:
    """`options` with a Chinese metavar for an argument that takes a value (not a flag), unless it has one."""
    if "metavar" in options or options.get("action") in ("store_true", "store_false", "version", "count"):
        return options
    # 值 says nothing of what to write: test_no_value_is_a_bare_zhi fails on it, the command still runs
    return {**options, "metavar": METAVARS.get(dest, "值")}


def display_width(text: str) -> int:
    """Terminal columns: a Chinese character (and a full-width sign) takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# a line never starts with these (the rule of Chinese typesetting): they stay on the line before
NO_LINE_START = "、，。；：！？）》」』”"


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at a space or between two Chinese characters."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"[\x21-\x7e]+|\s+|.", " ".join(text.split())):
        if line and display_width(line + token) > width and token not in NO_LINE_START:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help laid out in terminal columns, not characters (a Chinese one is two wide), the
    subcommands listed without their metavar over them, headings with a full-width colon."""

    def add_argument(self, action: argparse.Action) -> None:
        """argparse override: the help column placed after the widest invocation, in columns."""
        if action.help is argparse.SUPPRESS:
            return
        invocations = [self._format_action_invocation(a) for a in self._listed(action)]
        widest = max(map(display_width, invocations)) + self._current_indent
        self._action_max_length = max(self._action_max_length, widest)
        self._add_item(self._format_action, [action])

    @staticmethod
    def _listed(action: argparse.Action) -> list[argparse.Action]:
        """The lines an action takes: a subcommand group is its subcommands alone."""
        if isinstance(action, argparse._SubParsersAction):
            return list(action._get_subactions())
        return [action]

    def _format_action(self, action: argparse.Action) -> str:
        """argparse override: invocation and help in columns; a subcommand group's metavar line left out."""
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_one(a) for a in action._get_subactions())
        return self._format_one(action)

    def _format_one(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        header = " " * self._current_indent + self._format_action_invocation(action)
        if not action.help:
            return header + "\n"
        lines = wrap(self._expand_help(action), help_width)
        if display_width(header) <= help_position - 2:
            first = header + " " * (help_position - display_width(header)) + (lines[0] if lines else "")
            rest = lines[1:]
        else:
            first, rest = header + "\n" + " " * help_position + (lines[0] if lines else ""), lines[1:]
        return "".join([first + "\n", *(" " * help_position + line + "\n" for line in rest)])

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        """argparse override: the usage wrapped in columns, its next lines under its first argument."""
        text = super()._format_usage(usage, actions, groups, prefix)
        said = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]
        head = said + self._prog
        if not text.startswith(head):  # a usage written out by hand
            return text
        indent = " " * (display_width(head) + 1)
        lines = [head]
        for part in _usage_parts(text[len(head):]):
            if display_width(lines[-1]) + 1 + display_width(part) > self._width and lines[-1].strip() != head:
                lines.append(indent + part)
            else:
                lines[-1] += " " + part
        return "\n".join(lines) + "\n\n"

    def format_help(self) -> str:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)


def _usage_parts(text: str) -> list[str]:
    """The usage's arguments: split at the spaces outside brackets ("[--db 数据库文件]" is one)."""
    parts, part, depth = [], "", 0
    for char in text.strip():
        depth += (char in "[(") - (char in "])")
        if char.isspace() and depth == 0:
            if part:
                parts.append(part)
            part = ""
        elif not (char.isspace() and part.endswith(" ")):
            part += " " if char.isspace() else char
    return [*parts, part] if part else parts


class ChineseArgumentParser(argparse.ArgumentParser):
    """A mistyped subcommand or choice named in Chinese, with what may be written instead."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """argparse override: its message is English ("invalid choice") and quotes every choice."""
        if action.choices is None or value in action.choices:
            return
        choices = "、".join(map(str, action.choices))
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, f"没有“{value}”这个命令，可用的命令：{choices}")
        raise argparse.ArgumentError(action, f"没有“{value}”这一项，可选：{choices}")
