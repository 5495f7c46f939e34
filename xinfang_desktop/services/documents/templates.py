"""Document templates: the shipped defaults, the clerk's own text, and a preview filled with sample data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import LetterTemplate
from xinfang_desktop.domain.errors import (
    StorageError,
    ValidationError,
)
from xinfang_desktop.domain.letters import (
    DocumentKind,
    LetterContent,
    compose,
    parse_template,
)
from xinfang_desktop.exporters.letter_pdf import render_letter
from xinfang_desktop.paths import resources_dir
from xinfang_desktop.services.common import cn_date
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.wallclock import today

PREVIEW_NUMBER = "（出具时编号）"

@dataclass(frozen=True)
class TemplateInfo:
    kind: DocumentKind
    text: str
    customised: bool  # the clerk's own text, not the shipped default

def document_kind(kind: str | DocumentKind) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        names = "、".join(k.value for k in DocumentKind)
        raise ValidationError(f"没有“{kind}”这种文书，可出具的文书有：{names}", field="文书种类") from None


def default_template_text(kind: str | DocumentKind) -> str:
    path = resources_dir() / "templates" / f"{document_kind(kind).value}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"找不到默认模板文件“{path}”，请重新安装本程序；未出具任何文书。") from exc


def get_template(session: Session, *, kind: str | DocumentKind) -> TemplateInfo:
    the_kind = document_kind(kind)
    row = session.get(LetterTemplate, the_kind.value)
    if row is not None:
        return TemplateInfo(the_kind, row.text, True)
    return TemplateInfo(the_kind, default_template_text(the_kind), False)


def set_template(session: Session, *, kind: str | DocumentKind, text: str) -> TemplateInfo:
    """Keep the clerk's text for a kind; refused (naming it) if a placeholder or section is unknown."""
    the_kind = document_kind(kind)
    parse_template(text)
    row = session.get(LetterTemplate, the_kind.value)
    if row is None:
        session.add(LetterTemplate(kind=the_kind.value, text=text, updated_at=wallclock.now()))
    else:
        row.text, row.updated_at = text, wallclock.now()
    return TemplateInfo(the_kind, text, True)


def reset_template(session: Session, *, kind: str | DocumentKind) -> TemplateInfo:
    """Back to the shipped default text."""
    the_kind = document_kind(kind)
    row = session.get(LetterTemplate, the_kind.value)
    if row is not None:
        session.delete(row)
        session.flush()  # so a get_template in the same transaction sees the default again
    return TemplateInfo(the_kind, default_template_text(the_kind), False)


SAMPLE_CONTEXT: dict[str, str] = {
    "信访人": "王䶮",
    "你": "你",
    "身份证号": "330102********1234",
    "联系电话": "138****0000",
    "住址": "城关镇石桥村5组",
    "事项编号": "信〔2026〕0001号",
    "登记日期": "2026年11月2日",
    "信访形式": "来信",
    "反映问题": "反映村道硬化工程质量问题",
    "反映内容": "石桥村村道硬化工程完工不到一年即出现大面积开裂。",
    "诉求": "请求对工程质量进行检测并督促施工单位返修。",
    "信访请求": "请求对工程质量进行检测并督促施工单位返修。",
    "认定事实": "经委托检测，该村道路面厚度不足设计要求，开裂系施工质量问题。",
    "问题发生地": "城关镇石桥村",
    "决定日期": "2026年11月9日",
    "不予受理理由": "该事项已进入诉讼程序",
    "有权处理机关": "青石县人民法院",
    "承办单位": "城关镇村镇建设办公室",
    "主办单位": "城关镇村镇建设办公室",
    "协办单位": "城关镇石桥村村民委员会",
    "交办日期": "2026年11月9日",
    "办理期限": "2027年1月8日",
    "原办理期限": "2026年12月9日",
    "延期理由": "需委托第三方机构进行工程质量检测",
    "催办次数": "1",
    "包案领导": "副镇长李明",
    "包案期限": "2026年12月31日",
    "超期情况": "（已超期3日）",
    "处理意见": "经调查核实，该工程存在质量问题，已责成施工单位于2027年3月底前返修完毕。",
    "意见类别": "予以支持",
    "办理结果": "已责成施工单位返修",
    "领导批示": "县委副书记李明于2026年11月5日批示：请城关镇认真调查，依法处理。",
    "复查机关": "青石县人民政府",
    "复核机关": "青山市人民政府",
    "回访日期": "2027年3月20日",
    "满意度": "满意",
    "回访情况": "电话回访，信访人确认路面已返修。",
    "信访人意见": "对处理结果满意。",
    "送达文书": "信访事项受理告知书（信告〔2026〕1号）",
    "受送达人": "王䶮",
}


def preview_template(
    session: Session, *, kind: str | DocumentKind, text: str, context: Mapping[str, str] | None = None
) -> bytes:
    """A PDF of a template being edited, filled with sample data (or the context given); nothing stored."""
    the_kind = document_kind(kind)
    values = dict(SAMPLE_CONTEXT)
    values.update(
        机关名称=str(get_setting(session, "office_name")),
        成文日期=cn_date(today()),
        文号=PREVIEW_NUMBER,
        复查机关=str(get_setting(session, "review_body")),
        复核机关=str(get_setting(session, "recheck_body")),
    )
    if context:
        values.update(context)
    content = with_format(session, the_kind, compose(the_kind.value, parse_template(text), values, PREVIEW_NUMBER))
    return render_letter(content)

# a plain reply to the petitioner goes out as a letter (信函格式), the rest in the 公文 layout
LETTER_FORMAT = frozenset({DocumentKind.REPLY_LETTER})


def with_format(session: Session, kind: DocumentKind, content: LetterContent) -> LetterContent:
    if kind in LETTER_FORMAT:
        return replace(content, letterhead=str(get_setting(session, "office_name")))
    return content
