"""The closed vocabularies of DOMAIN.md; each value is the Chinese term shown and stored."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """信访形式."""

    LETTER = "来信"
    VISIT = "来访"
    CALL = "来电"
    FAX = "传真"
    ONLINE = "网上信访"
    OTHER = "其他"


class Source(StrEnum):
    """来源."""

    DIRECT = "群众直接"
    ASSIGNED_FROM_ABOVE = "上级交办"
    LEADER = "领导批示"
    DEPUTY = "人大代表转交"


class SourceLevel(StrEnum):
    """The level a 上级交办 matter came down from."""

    NATIONAL = "国家"
    PROVINCE = "省"
    CITY = "市"
    COUNTY = "县"


class Purpose(StrEnum):
    """信访目的 (Arts. 29-31)."""

    SUGGESTION = "建议意见类"
    ACCUSATION = "检举控告类"
    CLAIM = "申诉求决类"
    CONSULTATION = "咨询"


class Route(StrEnum):
    """The Art. 31 route of a 申诉求决类 matter; only ORDINARY runs the 60+30-day clock."""

    LITIGATION = "诉讼·检察·公安程序"
    ARBITRATION = "仲裁"
    PARTY = "党员申诉"
    ADMINISTRATIVE = "行政程序"
    PROTECTION = "请求履行保护职责"
    ORDINARY = "其他"


class Decision(StrEnum):
    """受理决定."""

    ACCEPT = "受理"
    REJECT = "不予受理"
    FORWARD = "转送"
    ASSIGN = "交办"
    ANSWER = "直接答复"
    FILE = "存查"


class Status(StrEnum):
    """Where a matter stands."""

    PENDING = "待处理"
    IN_PROGRESS = "办理中"
    FORWARDED = "已转送"
    REPLIED = "已答复"
    CLOSED = "已办结"
    REJECTED = "不予受理"
    FILED = "存查"
    VOIDED = "已作废"


class Satisfaction(StrEnum):
    """满意度 of a 回访."""

    SATISFIED = "满意"
    BASICALLY = "基本满意"
    UNSATISFIED = "不满意"


class ReplyOpinion(StrEnum):
    """The 处理意见 of a written reply (Art. 32), printed in the 信访处理意见书."""

    SUPPORT = "予以支持"
    EXPLAIN = "作出解释说明"
    REFUSE = "不予支持"


class VerifyResult(StrEnum):
    """What a 验证 found: the result carried out, or not."""

    CONFIRMED = "属实"
    NOT_DONE = "未落实"


class MeetingKind(StrEnum):
    """A leader meeting people: invited to the office (约访) or gone down to them (下访)."""

    INVITED = "约访"
    VISITING = "下访"


class RiskLevel(StrEnum):
    """风险等级 of a dispute found by 矛盾纠纷排查."""

    ORDINARY = "一般"
    SERIOUS = "较大"
    MAJOR = "重大"


class DisputeState(StrEnum):
    """化解情况 of a dispute."""

    RESOLVED = "已化解"
    RESOLVING = "化解中"
    UNRESOLVED = "未化解"


class Delivery(StrEnum):
    """送达方式."""

    IN_PERSON = "直接送达"
    POST = "邮寄"
    REGISTERED = "挂号"


class SkipLevel(StrEnum):
    """Where a 越级 petitioner went."""

    CITY = "到市"
    PROVINCE = "赴省"
    CAPITAL = "进京"


class UnitKind(StrEnum):
    """承办单位 kind."""

    TOWNSHIP = "乡镇"
    COUNTY_DEPT = "县直部门"
    GOV_COURT_PROC = "一府两院"
    SUPERIOR = "上级机关"
    OTHER = "其他"


class OfficeKind(StrEnum):
    """The kind of office that keeps this database (asked on the first start)."""

    TOWNSHIP = "乡镇人民政府"
    SUBDISTRICT = "街道办事处"
    COUNTY_CONGRESS = "县人大常委会"
    COUNTY_GOVERNMENT = "县人民政府"
    COUNTY_DEPT = "县直部门"
    OTHER = "其他"


class PetitionerRole(StrEnum):
    PETITIONER = "信访人"
    REPRESENTATIVE = "代表人"


class TransferKind(StrEnum):
    FORWARD = "转送"
    ASSIGN = "交办"


class TransferRole(StrEnum):
    LEAD = "主办"
    ASSIST = "协办"


class TransferState(StrEnum):
    """A transfer's own state: waiting, returned for more work, or answered."""

    WAITING = "待反馈"
    RETURNED = "退回补办"
    ANSWERED = "已反馈"
    CANCELLED = "已撤销"  # the matter was voided before the unit reported


class ReviewStage(StrEnum):
    """First handling, or a 复查 / 复核 request linked to the matter it reviews."""

    FIRST = "初次"
    REVIEW = "复查"
    RECHECK = "复核"


class Sex(StrEnum):
    MALE = "男"
    FEMALE = "女"


class EventKind(StrEnum):
    """Kinds of timeline events (卷宗)."""

    REGISTERED = "登记"
    EDITED = "修改"
    PROPOSED = "拟办"
    INSTRUCTED = "领导批示"
    DECIDED = "受理决定"
    DECISION_REVOKED = "撤销受理决定"
    TRANSFERRED = "交办"
    FORWARDED = "转送"
    REMINDED = "催办"
    KEY_SUPERVISION = "重点督办"
    FEEDBACK = "反馈"
    RETURNED = "退回补办"
    EXTENDED = "延期"
    REPLIED = "答复"
    FOLLOWED_UP = "回访"
    CLOSED = "办结"
    SETTLED = "息访"
    REVIEW_REQUESTED = "复查申请"
    RECHECK_REQUESTED = "复核申请"
    FINAL = "终结"
    VOIDED = "作废"
    RESTORED = "撤销作废"
    REPEAT_LINKED = "重复信访"
    ID_OVERRIDE = "身份证号确认"
    ATTACHED = "附件"
    DOCUMENT = "文书"
    DELIVERED = "送达"
    IMPORTED = "导入"
    INFORMANT_DISCLOSED = "举报人信息披露"
    CHARGED = "领导包案"
    VERIFIED = "验证"
    INVITED = "领导约访"
    VISITED = "领导下访"
    DISPUTE = "矛盾纠纷"
