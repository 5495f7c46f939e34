"""`xinfang letter`: issue one document for a matter and write its PDF (no Qt)."""

from __future__ import annotations

import argparse
from pathlib import Path

from xinfang_desktop.cli.command import FORCE, Arguments, Command, open_db, refuse_overwrite
from xinfang_desktop.domain.errors import NotFoundError, XinfangError
from xinfang_desktop.domain.letters import DocumentKind


def cmd_letter(args: argparse.Namespace) -> int:
    from xinfang_desktop.exporters.ledger_xlsx import free_path
    from xinfang_desktop.services.documents import (
        document_kind,
        document_pdf,
        draft_document,
        issue_document,
    )
    from xinfang_desktop.services.search import find_matter_by_number

    kind = document_kind(args.kind)
    if args.output:
        refuse_overwrite(Path(args.output), args)  # before a number is taken
    db = open_db(args, must_exist=True)
    with db.read() as session:
        matter_id = find_matter_by_number(session, args.matter)
    if matter_id is None:
        raise NotFoundError(f"找不到编号为“{args.matter}”的信访事项，请核对编号（如 信〔2026〕0001号 或 2026-1）")
    if args.draft:
        with db.read() as session:
            pdf = draft_document(session, matter_id=matter_id, kind=kind, disclose_informant=args.disclose_informant)
        number = "草稿"
    else:
        with db.begin() as session:
            info = issue_document(session, matter_id=matter_id, kind=kind, transfer_id=args.transfer,
                                  disclose_informant=args.disclose_informant)
            pdf = document_pdf(session, info.id)
        number = info.number
    output = Path(args.output) if args.output else free_path(Path(f"{kind.value}-{number}.pdf".replace("/", "-")))
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise XinfangError(f"无法写入文件“{output}”（{exc.strerror}），请换一个位置；文书已出具，可在程序中重印") from exc
    print(f"已出具{kind.value}（{number}），PDF已写入 {output}" if not args.draft else f"草稿已写入 {output}（未编号，未出具）")
    return 0


_ARGUMENTS: Arguments = (
    (("--matter",), {"required": True, "help": "信访事项编号，如 信〔2026〕0001号 或 2026-1"}),
    (("--kind",), {"required": True, "help": "文书种类：" + "、".join(k.value for k in DocumentKind)}),
    (("-o", "--output"), {"default": None, "help": "PDF文件路径（默认当前文件夹）"}),
    (("--transfer",), {"type": int, "default": None, "help": "交办记录序号（交办函、催办单；默认主办单位；协办单位得到交办函（协办））"}),
    (("--draft",), {"action": "store_true", "help": "只生成草稿，不编号、不出具"}),
    (("--disclose-informant",), {"action": "store_true",
                                 "help": "在致承办单位的文书中写明检举控告人信息（记入时间线）"}),
    FORCE,
)


COMMANDS: tuple[Command, ...] = (
    Command("letter", "为信访事项出具文书（告知书、交办函、催办单等），写出PDF", cmd_letter, _ARGUMENTS),
)
