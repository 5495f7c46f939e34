"""`xinfang demo`: realistic synthetic matters over several years, for training and benchmarks.

Plausible names, valid 身份证号, the townships and villages of the fictional 青石县,
categories in their usual shares, visits with head counts, transfers, feedback,
reminders, some overdue and some repeats. Written with executemany in large batches,
because a million matters through the ORM would take an hour.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import (
    Category,
    Dispute,
    LeaderCharge,
    LeaderMeeting,
    Matter,
    ReceptionDay,
    Unit,
    Verification,
    ZeroReport,
)
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    DisputeState,
    EventKind,
    MeetingKind,
    PetitionerRole,
    Purpose,
    ReviewStage,
    RiskLevel,
    Route,
    Satisfaction,
    Source,
    SourceLevel,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
    VerifyResult,
)
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.workflow.finish import closed_line, followed_up_line, settled_line
from xinfang_desktop.services.bulk import RowBatch, next_ids
from xinfang_desktop.services.common import actor as actor_of
from xinfang_desktop.services.common import clock, load_default_list
from xinfang_desktop.services.office import DEMO_OFFICE, seed_demo_office
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.settings import format_number, get_setting
from xinfang_desktop.services.statistics import fill_cache

T = TypeVar("T")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华玉兰国庆春梅志强海燕建国文辉红梅德明建军淑珍永福金凤长生"
CHANNEL_WEIGHTS = {Channel.LETTER: 44, Channel.VISIT: 30, Channel.CALL: 15, Channel.ONLINE: 9, Channel.FAX: 1,
                   Channel.OTHER: 1}
PURPOSE_WEIGHTS = {Purpose.CLAIM: 58, Purpose.ACCUSATION: 14, Purpose.SUGGESTION: 10, Purpose.CONSULTATION: 18}
CATEGORY_WEIGHTS = {
    "农村农业": 22, "城乡建设": 18, "劳动社保": 14, "涉法涉诉": 6, "公安司法": 5, "纪检监察": 6, "民政": 9,
    "教育": 4, "医疗卫生": 4, "生态环境": 6, "企业改制": 1, "交通运输": 3, "人大代表与人大工作": 1, "其他": 1,
}
TITLES = {
    "土地承包": ["反映{village}土地承包经营权被调整问题", "请求解决{village}承包地确权纠纷"],
    "山林权属": ["反映与邻组山林权属争议问题", "请求确认{village}集体林地权属"],
    "村务财务": ["反映{village}村务财务不公开问题", "要求公开{village}集体资金使用情况"],
    "农业补贴": ["反映耕地地力保护补贴未发放问题"],
    "征地拆迁": ["反映{village}征地补偿款未足额发放问题", "对房屋拆迁安置方案有异议"],
    "住房": ["请求解决危房改造问题", "反映保障性住房分配不公问题"],
    "物业": ["反映小区物业服务质量差问题", "反映小区电梯长期停运问题"],
    "规划建设": ["反映邻居违章建房影响采光问题"],
    "拖欠工资": ["反映{company}拖欠农民工工资问题", "请求追讨建筑工地工资"],
    "社保待遇": ["咨询城乡居民养老保险待遇问题", "反映养老保险缴费年限认定问题"],
    "工伤": ["请求认定工伤并落实待遇"],
    "法院执行": ["反映民事判决长期未执行问题"],
    "审判": ["对一审判决结果不服"],
    "检察": ["请求检察机关监督"],
    "治安": ["反映{village}聚众赌博问题", "反映邻里纠纷引发治安问题"],
    "交通事故": ["请求处理交通事故赔偿问题"],
    "干部作风": ["反映{village}村干部工作作风问题", "举报村干部优亲厚友问题"],
    "违纪": ["举报村干部违规操办宴席问题"],
    "低保": ["申请纳入最低生活保障", "反映低保评定不公问题"],
    "殡葬": ["反映公益性公墓建设问题"],
    "优抚": ["请求落实退役军人优抚待遇"],
    "入学": ["咨询子女入学政策"],
    "教师待遇": ["反映乡村教师补贴发放问题"],
    "医疗纠纷": ["反映医疗事故赔偿问题"],
    "医保": ["咨询医保报销比例问题"],
    "污染": ["反映{company}排放污水问题", "反映养殖场污染环境问题"],
    "噪音": ["反映夜间施工噪音扰民问题"],
    "职工安置": ["反映企业改制职工安置问题"],
    "道路": ["请求修缮{village}通组道路"],
    "客运": ["反映农村客运班线停运问题"],
    "代表建议": ["人大代表转交群众关于修建桥梁的建议"],
    "人大监督": ["请求人大监督{company}欠薪问题"],
    "其他": ["反映其他问题"],
}
LEADERS = ("张县长", "李书记", "王主任", "赵副县长")
COMPANIES = ("青石建筑公司", "河口砂石厂", "城关物业公司", "柳溪养殖场", "白云茶业公司", "县第二建筑公司")
REGION_CODE = "330781"  # a fictional county code (shape only)


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _id_number(rng: random.Random, born: date, male: bool) -> str:
    serial = rng.randrange(0, 100) * 10 + (rng.choice((1, 3, 5, 7, 9)) if male else rng.choice((0, 2, 4, 6, 8)))
    first17 = f"{REGION_CODE}{born:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def require_practice_database(session: Session, label: str) -> None:
    """Demo matters go into a practice database only: in a ledger in use they would take the office's own
    编号, count in its tally and could only be voided one by one, and the demo office's units and places
    would join its lists."""
    held = session.scalar(select(func.count()).select_from(Matter)) or 0
    office = str(get_setting(session, "office_name") or "")
    if held:
        why = f"已有{held}件信访事项"
    elif get_setting(session, "first_start") == "done" and office and office != DEMO_OFFICE["office_name"]:
        why = f"已设置为{office}的数据库"
    else:
        return
    raise ValidationError(f"{label}{why}，演示数据只能生成到新的练习数据库，以免混入正式台账；"
                          "请用 --db 指定一个新文件，如 --db 练习.sqlite3", field="数据库")


def generate(
    session: Session,
    *,
    cases: int,
    seed: int = 1,
    end: date | None = None,
    years: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add `cases` matters received over the `years` years up to `end`; returns how many."""
    seed_defaults(session)
    seed_demo_office(session)
    rng = random.Random(seed)
    end = end or wallclock.today()
    start = date(end.year - years + 1, 1, 1)
    span = (end - start).days + 1
    the_clock = clock(session)
    prefix = str(get_setting(session, "number_prefix"))
    actor = actor_of(session)
    regions = load_default_list("regions.json", "demo")
    towns = list(regions)
    cats = list(session.scalars(select(Category)))
    firsts = {c.name: c for c in cats if c.parent_id is None}
    seconds = {c.id: [s for s in cats if s.parent_id == c.id] for c in firsts.values()}
    units = {u.name: u.id for u in session.scalars(select(Unit))}
    town_unit = {t: units.get(f"{t}人民政府") for t in towns}
    dept_units = [uid for name, uid in units.items() if name.startswith("县")]

    conn = session.connection()
    ids = next_ids(session)
    seq_by_year: dict[int, int] = {}
    for year, top in conn.execute(text("SELECT year, max(seq) FROM matters GROUP BY year")):
        seq_by_year[year] = top
    people: list[int] = []  # earlier petitioners, some of whom come again
    last_matter: dict[int, tuple[int, str]] = {}  # petitioner id -> (matter id, title) of their latest matter

    days = sorted(rng.randrange(span) for _ in range(cases))
    batch = RowBatch()
    now = wallclock.now()
    for done, offset in enumerate(days, 1):
        received = start + timedelta(days=offset)
        ev_at = datetime.combine(received, datetime.min.time()).replace(hour=9)

        def event(matter_id: int, kind: str, txt: str, day: date) -> None:
            batch.add("events", id=ids["events"], matter_id=matter_id, at=datetime.combine(day, ev_at.time()),
                      actor=actor, kind=kind, text=txt, data=None)
            ids["events"] += 1

        channel = _weighted(rng, CHANNEL_WEIGHTS)
        purpose = _weighted(rng, PURPOSE_WEIGHTS)
        first = firsts[str(_weighted(rng, CATEGORY_WEIGHTS))]
        subs = seconds[first.id]
        cat = rng.choice(subs) if subs else first
        town = rng.choice(towns)
        village = rng.choice(regions[town])
        template = rng.choice(TITLES.get(cat.name, TITLES["其他"]))
        title = template.format(village=village, company=rng.choice(COMPANIES))
        if purpose is Purpose.CONSULTATION:
            title = "咨询" + title.removeprefix("反映").removeprefix("请求").removeprefix("咨询")

        persons = 1
        joint = False
        if channel is Channel.VISIT:
            persons = rng.choice((1, 1, 1, 2, 2, 3, 4)) if rng.random() > 0.1 else rng.randint(5, 60)
        elif channel is Channel.LETTER and rng.random() < 0.05:
            joint, persons = True, rng.randint(2, 12)
        anonymous = channel in (Channel.LETTER, Channel.ONLINE, Channel.CALL) and rng.random() < 0.04

        matter_id = ids["matters"]
        ids["matters"] += 1
        seq = seq_by_year.get(received.year, 0) + 1
        seq_by_year[received.year] = seq
        repeat_of = None
        petitioner_ids: list[tuple[int, PetitionerRole]] = []
        if not anonymous:
            if people and rng.random() < 0.08:
                pid = rng.choice(people[-5000:])
                petitioner_ids.append((pid, PetitionerRole.PETITIONER))
                repeat_of, title = last_matter[pid]  # the same matter again
            count = 1 if persons < 5 else min(5, 1 + persons // 10)
            for _ in range(count - len(petitioner_ids)):
                male = rng.random() < 0.6
                born = date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28))
                name = _name(rng)
                phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
                pid = ids["petitioners"]
                ids["petitioners"] += 1
                batch.add("petitioners", id=pid, name=name, sex="男" if male else "女",
                          id_number=_id_number(rng, born, male) if rng.random() < 0.8 else "", phone=phone,
                          address=f"青石县{town}{village}{rng.randint(1, 12)}组", region=f"{town}/{village}")
                petitioner_ids.append((pid, PetitionerRole.REPRESENTATIVE if persons >= 5 else PetitionerRole.PETITIONER))
                people.append(pid)
        for pid, _role in petitioner_ids:
            last_matter[pid] = (matter_id, title)
        for position, (pid, role) in enumerate(petitioner_ids):
            batch.add("matter_petitioners", matter_id=matter_id, petitioner_id=pid, role=role, position=position)

        age = (end - received).days
        source = Source.DIRECT
        level = None
        roll = rng.random()
        if roll < 0.12:
            source, level = Source.ASSIGNED_FROM_ABOVE, rng.choice((SourceLevel.CITY, SourceLevel.COUNTY, SourceLevel.PROVINCE))
        elif roll < 0.16:
            source = Source.LEADER
        elif roll < 0.18:
            source = Source.DEPUTY
        # a visit on a 领导接访日 is received by a county leader
        leader = rng.choice(LEADERS) if channel is Channel.VISIT and rng.random() < 0.12 else ""
        skip = None
        if channel is Channel.VISIT and rng.random() < 0.04:
            skip = rng.choice(("到市", "到市", "赴省", "进京"))

        notice_due = the_clock.notice_due(received)
        status = Status.PENDING
        decision = decided_on = due_on = replied_on = followed = closed_on = settled_on = None
        satisfaction = None
        result = reply_text = competent = ""
        extended = False
        key = rng.random() < 0.03
        event(matter_id, EventKind.REGISTERED, f"登记{channel.value}：{title}", received)
        if rng.random() < 0.3:
            batch.add("instructions", id=ids["instructions"], matter_id=matter_id,
                      leader=rng.choice(("张县长", "李书记", "王主任")), on=received + timedelta(days=1),
                      text="请有关单位认真核查，依法依规处理。")
            ids["instructions"] += 1
        decide_lag = rng.randint(0, 12) if rng.random() < 0.95 else rng.randint(16, 25)
        if age >= decide_lag or age > 20:
            decided_on = received + timedelta(days=min(decide_lag, age))
            if purpose is Purpose.CONSULTATION:
                decision = Decision.ANSWER
            else:
                decision = _weighted(rng, {Decision.ASSIGN: 60, Decision.ACCEPT: 12, Decision.FORWARD: 15,
                                           Decision.REJECT: 6, Decision.FILE: 7})
            event(matter_id, EventKind.DECIDED, f"决定{decision.value}", decided_on)
            # an office closes what it answered at once or forwarded within days, and a 交办 once answered:
            # the month just ended has its 办结 too (the 每月汇总分析 of the demo's last month showed 0)
            if decision is Decision.ANSWER:
                status, replied_on, reply_text = Status.REPLIED, decided_on, "已当场解答相关政策。"
                if age > 2:
                    status, closed_on = Status.CLOSED, decided_on
            elif decision is Decision.REJECT:
                status, competent = Status.REJECTED, "县人民法院"
            elif decision is Decision.FILE:
                status = Status.FILED
            elif decision is Decision.FORWARD:
                status, competent = Status.FORWARDED, rng.choice(list(units))
                forwarded = decided_on + timedelta(days=rng.randint(3, 20))
                if forwarded <= end:
                    status, closed_on = Status.CLOSED, forwarded
            else:
                status = Status.IN_PROGRESS
                due_on = the_clock.handling_due(decided_on)
                feedback_day = None
                if decision is Decision.ASSIGN:
                    lead = town_unit.get(town) if rng.random() < 0.6 else rng.choice(dept_units)
                    lead = lead or rng.choice(dept_units)
                    due_on = the_clock.transfer_due(decided_on)
                    lag = int(rng.triangular(10, 90, 40))
                    reminders = 0
                    tid = ids["transfers"]
                    ids["transfers"] += 1
                    answered = decided_on + timedelta(days=lag) <= end and rng.random() < (0.97 if age < 365 else 0.997)
                    if not answered and (end - due_on).days > 0:
                        reminders = rng.randint(1, 3)
                    elif lag > 60:
                        reminders = 1
                    for r in range(reminders):
                        event(matter_id, EventKind.REMINDED, f"催办（第{r + 1}次）", min(end, due_on))
                    if answered:
                        feedback_day = decided_on + timedelta(days=lag)
                        batch.add("feedback", id=ids["feedback"], transfer_id=tid, received_on=feedback_day,
                                  text="经调查核实，已依法依规处理。", result="已解决", accepted=True, return_reason="")
                        ids["feedback"] += 1
                        event(matter_id, EventKind.FEEDBACK, "收到承办单位反馈", feedback_day)
                    batch.add("transfers", id=tid, matter_id=matter_id, unit_id=lead, kind=TransferKind.ASSIGN,
                              role=TransferRole.LEAD, sent_on=decided_on, due_on=due_on,
                              state=TransferState.ANSWERED if answered else TransferState.WAITING, reminders=reminders)
                else:
                    lag = int(rng.triangular(5, 75, 30))
                    if decided_on + timedelta(days=lag) <= end:
                        feedback_day = decided_on + timedelta(days=lag)
                if feedback_day is not None:
                    if feedback_day > due_on and rng.random() < 0.3:
                        extended = True
                        due_on = min(due_on + timedelta(days=30), feedback_day)
                    replied_on = feedback_day + timedelta(days=rng.randint(0, 5))
                    if replied_on <= end:
                        status, reply_text, result = Status.REPLIED, "经核查，现将处理意见答复如下。", "已解决"
                        event(matter_id, EventKind.REPLIED, "书面答复", replied_on)
                        closing = replied_on + timedelta(days=rng.randint(0, 7))
                        if closing <= end:
                            status, closed_on = Status.CLOSED, closing
                    else:
                        replied_on = None
            if replied_on and (end - replied_on).days > 10 and rng.random() < 0.85:
                followed = replied_on + timedelta(days=rng.randint(3, 10))
                satisfaction = _weighted(rng, {Satisfaction.SATISFIED: 72, Satisfaction.BASICALLY: 20,
                                               Satisfaction.UNSATISFIED: 8})
            # the timeline's lines as the workflow words them: a 回访, 办结 or 息访 in the table has its line
            if followed and satisfaction:
                line = followed_up_line(followed, satisfaction)
                event(matter_id, line.kind, line.text, followed)
            if closed_on:
                line = closed_line(closed_on, result)
                event(matter_id, line.kind, line.text, closed_on)
                if rng.random() < 0.85:
                    settled_on = closed_on
                    line = settled_line(settled_on)
                    event(matter_id, line.kind, line.text, settled_on)
        batch.add(
            "matters", id=matter_id, year=received.year, seq=seq, number=format_number(prefix, received.year, seq),
            received_on=received, channel=channel, source=source, source_level=level, purpose=purpose,
            route=Route.ORDINARY if purpose is Purpose.CLAIM else None, category_id=cat.id,
            place=f"{town}/{village}", title=title, content=f"{title}。来信人称该问题已持续较长时间，多次反映未果。",
            demand="请求依法依规处理", persons=persons, collective=channel is Channel.VISIT and persons >= 5,
            joint=joint, anonymous=anonymous, skip_level=skip, repeat=repeat_of is not None, repeat_of_id=repeat_of,
            involves_deputy=rng.random() < 0.02, in_scope=True, receiving_leader=leader, proposal="",
            decision=decision, decided_on=decided_on, decision_reason="", competent_body=competent,
            notice_due=notice_due, due_on=due_on, extended=extended, extension_reason="", status=status,
            key_supervision=key, replied_on=replied_on, reply_text=reply_text, reply_opinion=None, reply_findings="",
            followed_up_on=followed, satisfaction=satisfaction, follow_up_note="", follow_up_opinion="",
            closed_on=closed_on, result=result, settled=settled_on is not None,
            settled_on=settled_on, stage=ReviewStage.FIRST, parent_id=None, final=False, void_reason="", note="",
            import_key=None, source_number=None, created_at=now,
        )
        if len(batch) >= 5000:
            batch.write(session)
            if progress:
                progress(done, cases)
    batch.write(session)
    _leaders_and_screening(session, rng, start=start, end=end, towns=regions, categories=list(seconds.values()))
    # the years just filled are counted into the tally's cache, so that the first 统计 is fast
    fill_cache(session, date_from=start, date_to=date(end.year, 12, 31))
    if progress:
        progress(cases, cases)
    return cases




LEADER_POSTS = (("王芳", "镇长"), ("李明", "副镇长"), ("赵强", "镇党委副书记"), ("孙丽", "副镇长"))


def _leaders_and_screening(session: Session, rng: random.Random, *, start: date, end: date,
                           towns: dict[str, list[str]], categories: list[list[Category]]) -> None:
    """The leaders' part and the monthly 排查 around the matters just made: 包案 of some key and repeated
    matters, 验证 of some closed ones (a few 未落实 left as they were), 约访 and 下访, the 接访日 roster of
    this month and the next, and three months of 排查 reports from every 村 (disputes or a 零报告)."""
    now = wallclock.now()
    hard = session.execute(select(Matter.id, Matter.received_on).where(
        (Matter.key_supervision.is_(True)) | (Matter.repeat.is_(True)), Matter.status != Status.VOIDED)
        .order_by(Matter.id)).all()
    taken = set(session.scalars(select(LeaderCharge.matter_id)))
    for matter_id, received in hard:
        if matter_id in taken or rng.random() > 0.25:
            continue
        leader, post = rng.choice(LEADER_POSTS)
        on = min(received + timedelta(days=rng.randint(2, 10)), end)
        session.add(LeaderCharge(matter_id=matter_id, leader=leader, post=post, assigned_on=on,
                                 resolve_by=on + timedelta(days=rng.randint(20, 60)),
                                 measures="召集相关部门会商，约见信访人，限期化解"))
    closed = session.execute(select(Matter.id, Matter.closed_on).where(
        Matter.status == Status.CLOSED, Matter.closed_on.is_not(None),
        ~Matter.id.in_(select(Verification.matter_id))).order_by(Matter.id)).all()
    for matter_id, closed_on in closed:
        if closed_on is None or rng.random() > 0.12 or closed_on + timedelta(days=7) > end:
            continue
        session.add(Verification(matter_id=matter_id, checked_on=closed_on + timedelta(days=rng.randint(5, 20)),
                                 checker="张红", method=rng.choice(("实地查看", "电话回访", "走访信访人")),
                                 result=VerifyResult.CONFIRMED, reason=""))
    day = start
    while day <= end:
        leader, post = rng.choice(LEADER_POSTS)
        town = rng.choice(list(towns))
        village = rng.choice(towns[town])
        kind = MeetingKind.VISITING if rng.random() < 0.6 else MeetingKind.INVITED
        batches = rng.randint(2, 6) if kind is MeetingKind.VISITING else 1
        session.add(LeaderMeeting(kind=kind, held_on=day, leader=leader, post=post,
                                  place=f"{town}{village}" if kind is MeetingKind.VISITING else "信访接待室",
                                  matter_id=None, batches=batches, persons=batches * rng.randint(1, 4),
                                  people="村民代表" if kind is MeetingKind.VISITING else "信访人",
                                  talk="听取群众对土地流转、道路修建的意见", agreed="责成相关站所限期答复",
                                  created_at=now))
        day += timedelta(days=rng.randint(10, 20))
    first = end.replace(day=1)
    for offset in range(0, 62, 7):  # every week's Tuesday of this month and the next
        tuesday = first + timedelta(days=offset + (1 - first.weekday()) % 7)
        leader, post = LEADER_POSTS[offset // 7 % len(LEADER_POSTS)]
        if session.scalar(select(ReceptionDay.id).where(ReceptionDay.day == tuesday, ReceptionDay.leader == leader)):
            continue
        session.add(ReceptionDay(day=tuesday, leader=leader, post=post, place="镇信访接待室", hours="上午8:30—12:00"))
    months = []
    month_start = first
    for _ in range(3):
        months.append(month_start)
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    seconds = [c for group in categories for c in group]
    for month_start in months:
        month = f"{month_start.year:04d}-{month_start.month:02d}"
        for town, villages in towns.items():
            for village in villages:
                place = f"{town}/{village}"
                if month_start == first and rng.random() < 0.3:
                    continue  # this month some have not reported yet
                found = min(month_start + timedelta(days=rng.randint(0, 27)), end)
                if session.scalar(select(ZeroReport.id).where(ZeroReport.month == month, ZeroReport.village == place)):
                    continue  # a second run: this 村 already said it found none
                if rng.random() < 0.45:
                    session.add(ZeroReport(month=month, village=place, reported_on=found))
                    continue
                for _ in range(rng.randint(1, 2)):
                    risk = _weighted(rng, {RiskLevel.ORDINARY: 75, RiskLevel.SERIOUS: 20, RiskLevel.MAJOR: 5})
                    state = _weighted(rng, {DisputeState.RESOLVED: 60, DisputeState.RESOLVING: 30,
                                            DisputeState.UNRESOLVED: 10})
                    category = rng.choice(seconds) if seconds else None
                    # 医疗纠纷 is a dispute already: not 医疗纠纷纠纷
                    what = (category.name if category else "邻里").removesuffix("纠纷")
                    session.add(Dispute(found_on=found, village=place, parties=f"{_name(rng)}、{_name(rng)}",
                                        category_id=category.id if category else None,
                                        summary=f"{what}纠纷，双方各执一词",
                                        risk=risk, responsible=_name(rng),
                                        resolve_by=found + timedelta(days=rng.randint(7, 30)), state=state,
                                        petitioned=False, created_at=now))
    session.flush()
