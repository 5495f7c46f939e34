"""What a letter says about a matter: every placeholder's value, with a 检举控告 informant protected (Art. 30)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Document, LeaderCharge, Matter, Transfer
from xinfang_desktop.domain.enums import (
    EventKind,
    PetitionerRole,
    TransferKind,
    TransferRole,
)
from xinfang_desktop.domain.idcard import mask_id_number
from xinfang_desktop.domain.letters import (
    DocumentKind,
    protect_informant,
    protects_informant,
)
from xinfang_desktop.domain.places import in_prose
from xinfang_desktop.domain.privacy import Person, informant_scrubber
from xinfang_desktop.services.common import cn_date
from xinfang_desktop.services.settings import get_setting

_EXTENDED_FROM = re.compile(r"由(\d{4}年\d{1,2}月\d{1,2}日)延至")


def _names(matter: Matter) -> str:
    """Who a letter names: every petitioner, or for a 集体访 its 代表人; with the head count when it names
    fewer people than came ("张三等8人", and "周九等3人" for a visit of 3 with one name typed; "王五等" for a
    联名信 of which one signer was typed)."""
    if not matter.links:
        return "匿名" if matter.anonymous else ""
    people = [link.petitioner.name for link in matter.links]
    named = people
    if matter.collective:
        named = [link.petitioner.name for link in matter.links
                 if link.role is PetitionerRole.REPRESENTATIVE] or people[:1]
    count = max(matter.persons, len(people))
    if count > len(named):
        return f"{'、'.join(named)}等{count}人"
    if matter.joint and len(named) == 1:
        return f"{named[0]}等"  # a 联名信 with only its first signer typed: addressed as 你们, so never one name
    return "、".join(named)


def _you(matter: Matter) -> str:
    """你 to one petitioner, 你们 to several (a 集体访, a 联名信, or more than one named)."""
    return "你们" if len(matter.links) > 1 or matter.persons > 1 or matter.collective or matter.joint else "你"


def _people(matter: Matter) -> tuple[str, str, str, str]:
    names = _names(matter)
    first = matter.links[0].petitioner if matter.links else None
    if first is None:
        return names, "", "", ""
    return names, mask_id_number(first.id_number) if first.id_number else "", first.phone, first.address


# what an 意见书 says under 事实和理由 when nothing found was recorded: never the petitioner's own words
NO_FINDINGS = "本机关对反映的问题进行了调查核实，认定的事实和理由见下述意见。"


def _findings(matter: Matter) -> str:
    """What the office found: as written at 答复, else the accepted reports of the units (主办 first), else
    the 办理结果, else a plain sentence pointing to the opinion."""
    if matter.reply_findings.strip():
        return matter.reply_findings.strip()
    transfers = sorted((t for t in matter.transfers if t.kind is TransferKind.ASSIGN),
                       key=lambda t: t.role is not TransferRole.LEAD)
    found = [f.text for t in transfers for f in t.feedback if f.accepted and f.text.strip()]
    return "\n".join(found) or matter.result.strip() or NO_FINDINGS


def letter_context(
    session: Session,
    matter: Matter,
    kind: DocumentKind,
    *,
    on: date,
    number: str,
    transfer: Transfer | None = None,
    delivered: Document | None = None,
    disclose_informant: bool = False,
) -> dict[str, str]:
    """Every placeholder's value for this matter and kind.

    Art. 30: a document addressed to a unit (and so possibly to the accused) never carries
    a 检举控告 informant's name, ID number, phone or address unless disclose_informant: its
    own fields are replaced, and every text typed about the matter (反映内容, 处理意见, 办理结果,
    延期理由, 领导批示 …: all but domain.letters.RECORD_PLACEHOLDERS) is scrubbed of them.
    """
    names, id_number, phone, address = _people(matter)
    due = (transfer.due_on if transfer is not None else None) or matter.due_on
    old_due = ""
    for event in reversed(matter.events):
        if event.kind == EventKind.EXTENDED:
            found = _EXTENDED_FROM.search(event.text)
            old_due = found.group(1) if found else ""
            break
    unit = transfer.unit.name if transfer is not None else ""
    assigned = [t for t in matter.transfers if t.kind is TransferKind.ASSIGN]
    leads = "、".join(t.unit.name for t in assigned if t.role is TransferRole.LEAD)
    assists = "、".join(t.unit.name for t in assigned if t.role is TransferRole.ASSIST)
    if kind is DocumentKind.FORWARD_LETTER and not unit:
        forwards = [t for t in matter.transfers if t.kind is TransferKind.FORWARD]
        unit = "、".join(t.unit.name for t in forwards) or matter.competent_body
    late = (on - due).days if due is not None else 0
    results = [f.result for t in matter.transfers for f in t.feedback if f.accepted and f.result]
    charge = session.scalar(select(LeaderCharge).where(LeaderCharge.matter_id == matter.id))
    context = {
        "机关名称": str(get_setting(session, "office_name")),
        "成文日期": cn_date(on),
        "文号": number,
        "事项编号": matter.number,
        "信访人": names,
        "你": _you(matter),
        "身份证号": id_number,
        "联系电话": phone,
        "住址": address,
        "登记日期": cn_date(matter.received_on),
        "信访形式": matter.channel.value,
        "反映问题": matter.title,
        "反映内容": matter.content or matter.title,
        "诉求": matter.demand,
        # the 意见书's first section: never the 反映内容 its second section prints
        "信访请求": matter.demand or matter.title,
        "认定事实": _findings(matter),
        "问题发生地": in_prose(matter.place),  # 河口镇河口村3组, not the stored 河口镇/河口村/3组
        "决定日期": cn_date(matter.decided_on) if matter.decided_on else "",
        "不予受理理由": matter.decision_reason,
        "有权处理机关": matter.competent_body,
        "承办单位": unit,
        "主办单位": leads,
        "协办单位": assists,
        "交办日期": cn_date(transfer.sent_on) if transfer is not None else "",
        "办理期限": cn_date(due) if due is not None else "",
        "原办理期限": old_due,
        "延期理由": matter.extension_reason,
        "催办次数": str(transfer.reminders) if transfer is not None else "",
        # 领导包案: a unit told who is in charge of the matter works to that leader's date as well
        "包案领导": f"{charge.post}{charge.leader}" if charge is not None else "",
        "包案期限": cn_date(charge.resolve_by) if charge is not None else "",
        "超期情况": f"（已超期{late}日）" if late > 0 else "",
        "处理意见": matter.reply_text or matter.result,
        "意见类别": matter.reply_opinion.value if matter.reply_opinion else "",
        "办理结果": matter.result or "；".join(results),
        "领导批示": "；".join(f"{i.leader}于{cn_date(i.on)}批示：{i.text}" for i in matter.instructions),
        "复查机关": str(get_setting(session, "review_body")),
        "复核机关": str(get_setting(session, "recheck_body")),
        "回访日期": cn_date(matter.followed_up_on) if matter.followed_up_on else "",
        "满意度": matter.satisfaction.value if matter.satisfaction else "",
        "回访情况": matter.follow_up_note,
        "信访人意见": matter.follow_up_opinion,
        "送达文书": f"{delivered.kind}（{delivered.number}）" if delivered is not None else "",
        "受送达人": names,
    }
    if protects_informant(matter.purpose, kind) and not disclose_informant:
        return protect_informant(context, _scrubber(matter))
    return context


def _scrubber(matter: Matter) -> Callable[[str], str]:
    """Blank the informant's name, ID number, phone and address where the free text repeats them.

    A letter to a unit quotes the title and content, and may quote the 处理意见 or a 批示; an
    informant often signs the content ("举报人：张三，电话…"), in any spelling: domain.privacy matches them all, for every 信访人
    and 代表人. The 村 of the 问题发生地, which the letters to units state, is kept; with no 问题发生地, a 村 the
    title or content names is taken for where the problem is ("反映河口村村干部…" must not become ×××村干部). The
    组 and 号 below a 村, and the whole address, are blanked either way.
    """
    people = [Person(p.name, p.id_number, p.phone, p.address, p.region) for p in (k.petitioner for k in matter.links)]
    public = (matter.place,) if matter.place.strip() else (matter.title, matter.content)
    return informant_scrubber(people, public=public)

