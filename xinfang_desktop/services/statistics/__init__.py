"""统计: every figure of the year-end tally (DOMAIN §4), counted in SQL with GROUP BY, and 同比.

Definitions (the period is by 登记日期, both ends included; 已作废 matters are left out of
every figure, including the 承办单位 table and last year's column):

- 总量 (件次): matters registered. A visit is 1 批 and adds its 人数 to 来访人次.
- 集体访: matters flagged 集体访 (a visit of 5 or more, or so marked in an imported ledger);
  批 = matters, 人次 = the sum of their 人数.
- 需办理: every matter whose 受理决定 is not 不予受理 or 存查. Matters still awaiting a
  decision are included: they must be handled, and leaving them out would flatter the rate.
- 办结 = status 已办结; 办结率 = 办结 / 需办理.
- 按期办结 = 办结 on or before the matter's due date (after any 延期). A matter with no
  deadline of its own (转送, 直接答复) cannot be late and counts as 按期.
  按期办结率 = 按期办结 / 办结.
- 超期 = 办理中 with the due date before the as-of date (today unless given), plus 办结
  after the due date. Both parts are kept (`overdue_open`, `overdue_closed`).
- 平均办理天数 = mean of (办结日期 − 登记日期) over 办结 matters, one decimal.
- 反馈率 = 交办 transfers that have received feedback (accepted, or 退回补办: the unit did
  answer) / all 交办 transfers of the period's matters. 转送 owes no feedback and is not counted.
- 满意率 = (满意 + 基本满意) / matters with a 回访 result.
- 领导阅批 = matters with at least one 领导批示; share of 总量.
- 领导接访 = 来访 with a receiving leader recorded: 批 and 人次.
- 督办件 = matters marked 重点督办 OR reminded (催办) at least once on any of their
  transfers; a matter figure, so a 复查/复核 is in neither part (DOMAIN §4: they count only in
  their own rows). 催办 times = the sum of the transfers' 催办 counters, a transfer figure like
  反馈率: every transfer of the period's matters, a 复查/复核's too. handling.remind raises the
  counter in the same transaction as it writes the 催办 event, so the two agree, and the
  counter avoids a join through the whole timeline.
- 息访 = matters marked 息访; 办结未息访 = 办结 and not 息访.
- 越级 by level 到市 / 赴省 / 进京.
- 承办单位 (per unit, over its 交办 transfers of the period's matters): 交办数 = transfers;
  办结 = transfers whose report was accepted (已反馈, the unit's 报结); 按期 = accepted report
  received on or before the transfer's deadline; 超期 = accepted after it, or still
  unanswered past it at the as-of date; 平均天数 = mean of (report date − 交办日期);
  满意率 over the 回访 results of those matters.
- Percentages have one decimal, rounded half up; a division by zero gives None ("—").
  同比 = (this − last) / last over the same dates one year earlier (29 Feb → 28 Feb).

Cost at a million matters (a year holds about 345,000): reading ~690,000 index rows for a
year and the year before took 2.5–3.4 s however the SQL was squeezed, and the bare read of
those index rows alone costs about 1 s. So every figure that does not depend on the as-of
date is counted per 登记日期 and kept in `tally_days` (migration 0007), one row per day;
triggers delete a day's row whenever a write could change its figures, whoever writes. A
tally reads the kept days, counts only the missing ones (grouped into ranges) with the
queries below, folds the day rows in Python, and stores the new days. A clerk's action
drops the days of the matters it wrote (one or two: counted again in milliseconds by the
next tally); whatever drops many days at once counts them again itself before it returns
(`complete_cache`: every upgrade, so also a file of an older version, the ledger import, a
copy onto a server; the demo fills its own years), so a tally never meets a year of
missing days. A restored backup brings its own kept days, right for its own data. The live
parts (办理中 past due; a unit's transfers unanswered past due; the leaders' figures, by the
day of each 包案, 验证 or meeting) are counted every time from small indexes; where days are
counted, by the count's threads after its parts (they fill the gap where one finishes first).
`use_cache=False` counts every day afresh and stores nothing: the same queries, so the
same definitions.

The per-day queries: this year and last year are read in one range of the covering index
ix_matters_tally, grouped by day and 信访形式 in index order (no sort). Every 0/1 figure of a
matter is a generated column (migration 0020 spells out each condition), packed four to a
column so that one plain SUM adds four figures; so are the persons of a 集体访 or met by a
leader and the days to 办结. The transfer figures (交办, 反馈, 催办, 督办 by 催办) and 领导阅批 come
from that same pass: each matter carries the sums of its own transfers and 批示
(assigned_transfers, answered_transfers, reminder_times, leader_reviewed), kept by the triggers
of migration 0014 whoever writes, so the pass probes neither the transfers nor the
instructions. The 承办单位 pass sums, per day and unit, three generated columns of the 交办 transfers
(its five 0/1 figures packed, its report days, its two satisfaction figures packed), made of its
accepted report's date and its matter's 回访 result, which the triggers of migrations 0025 and 0029
keep on the transfer, over one range of ix_transfers_day by the matter's 登记日期 (0029 keeps that on
the transfer too, none while the matter is voided): no matter or feedback row is read, no join, no sort. The breakdowns (承办单位, 问题分类, 发生地) are counted only for the period's own
days (问题分类 and 发生地 each from its own narrow index in day order); last year's days get them
when their own year is tallied (complete_cache counts every day with them). Measured at a
million matters (a demo to 2026-12-02, the tally of 2025 and its 同比, CPU seconds): no kept day
1.4 s at load 8 (2.7 s at load 0.5 before 0020, 3.6 s before 0014): the two matter passes
0.25 s each, the 承办单位 join 0.5 s (0.3 s since 0025, load 4; 0.10-0.14 s since 0029, load 3), the
问题分类 and 发生地 counts 0.08 s each; every day
kept, the first tally of a new process 0.42 s; counting all 1,096 days of the three years
(an upgrade) 10 s. Where the session allows it (read() and derive(), on a file or a server, not a write
transaction, whose own writes another connection would not see: db.database.second_reader; on a
server the second session imports the first one's snapshot),
the parts of a count (the matter pass of each period, the 承办单位 join, the 问题分类/发生地
counts) are taken by two threads at once, one on a second connection: sqlite3 lets the GIL go
while a statement runs (psycopg while it waits on the server), and the clerk's PC has two cores or more. The main window also counts this year's and last year's missing days ahead
(ui/stats/tally_warmup.py), for a cache dropped as damaged.
"""

from xinfang_desktop.services.statistics.cache import WARM_FROM_MATTERS, complete_cache, fill_cache, warm_ranges
from xinfang_desktop.services.statistics.figures import (
    PLACE_SEPARATOR,
    UNCATEGORISED,
    head_counts,
    one_year_earlier,
    tally,
    tally_year,
    year_range,
    years_with_matters,
)

__all__ = [
    "PLACE_SEPARATOR",
    "UNCATEGORISED",
    "WARM_FROM_MATTERS",
    "complete_cache",
    "fill_cache",
    "head_counts",
    "one_year_earlier",
    "tally",
    "tally_year",
    "warm_ranges",
    "year_range",
    "years_with_matters",
]
