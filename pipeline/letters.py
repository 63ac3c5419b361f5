"""What a công văn đôn đốc and the báo cáo tổng hợp say, built from the register's tasks (no rendering here).

Tasks arrive as a stream in unit order (`Register.iter_tasks`); each unit is digested on its own with only
the rows a letter lists kept (at most MAX_ROWS, overdue first), so a 10,000-notice register drafts in flat
memory. The sentences agree with the facts: counts written as a clerk writes them ("02 nhiệm vụ"), nothing
said about zero, a common-noun addressee in lower case mid-sentence, a second reminder worded as one.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from extractors.calendar_vi import add_working_days
from extractors.models import NoticeRef, RegisteredTask
from pipeline.config import SenderConfig
from pipeline.status import DONE_LATE, DONE_ON_TIME, DUE_SOON_DAYS, OPEN_LATE, OPEN_ON_TIME, STATES, days_left, \
    is_open
from pipeline.wording import capitalised, in_sentence, recurrence_word, unit_key

MAX_ROWS = 100  # rows a letter lists per unit (overdue first); the rest are counted, the register has them
MAX_REPORT_ROWS = 300  # overdue rows a báo cáo lists
MAX_CITED = 3  # notices named in the opening sentence
MAX_NAMED_UNITS = 3  # units the báo cáo's closing names for their overdue tasks


# ---------------------------------------------------------------- words
def nd30_date(day: dt.date) -> str:
    """'ngày 05 tháng 7 năm 2026': days under 10 and months 1-2 padded (Phụ lục I, II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: Optional[dt.date]) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def count(n: int, noun: str = "nhiệm vụ") -> str:
    """'02 nhiệm vụ', '15 nhiệm vụ': numbers under ten written with two digits, as in official letters."""
    return f"{n:02d} {noun}"


def _ratio(part: int, whole: int) -> str:
    """'66,7' (Vietnamese decimal comma); '-' when there is nothing to measure."""
    return f"{100 * part / whole:.1f}".replace(".", ",") if whole else "-"


@lru_cache(maxsize=1)
def _type_names() -> dict[str, str]:
    try:
        with open(Path(__file__).resolve().parent.parent / "extractors" / "data" / "vi" / "doc_types.toml", "rb") as fh:
            return tomllib.load(fh)["types"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {"TB": "Thông báo", "KH": "Kế hoạch", "CV": "Công văn", "BC": "Báo cáo"}


_ABOUT = re.compile(r"^\s*(v/v|về việc|về)\s+", re.IGNORECASE)


def has_number(symbol: Optional[str]) -> bool:
    """'125/UBND-VP' has its number; '/UBND-VP' (a draft's blank for the văn thư) has not."""
    return bool(symbol and re.search(r"\d", symbol.split("/")[0]))


def cited_date(day: dt.date) -> str:
    """'5/12/2026': a document's date where it is cited ('Thông báo số 12/TB-UBND ngày 5/7/2026')."""
    return f"{day.day}/{day.month}/{day.year}"


def notice_phrase(notice: NoticeRef | RegisteredTask, about: bool = False) -> str:
    """'Thông báo số 12/TB-UBND ngày 05/7/2026'; with `about` (or when there is no number) the trích yếu
    follows ('... về kết luận giao ban tháng 6'); a notice with nothing to cite is named by its file."""
    n = notice.notice if isinstance(notice, RegisteredTask) else notice
    words = [_type_names().get(n.doc_type or "", "Văn bản") if n.doc_type != "CV" else "Công văn"]
    numbered = has_number(n.doc_number)
    if numbered:
        words.append(f"số {n.doc_number}")
    if n.doc_date:
        words.append(f"ngày {cited_date(n.doc_date)}")
    title = _ABOUT.sub("", (n.title or "").strip())
    if title and (about or not numbered):
        words.append(f"về {title[:1].lower() + title[1:]}")
    elif not numbered and not n.doc_date:
        words.append(f"(tệp {Path(n.source).name})")
    return " ".join(words)


def due_text(rt: RegisteredTask) -> str:
    """The deadline cell: a date, an extension, or a recurring duty with its missed and next occurrences."""
    deadline = rt.task.deadline
    if rt.extended_to:
        first = f" (gia hạn, thời hạn ban đầu {short_date(rt.original_due)})" if rt.original_due else " (gia hạn)"
        return short_date(rt.extended_to) + first
    if deadline is None:
        return "Không ghi thời hạn"
    if deadline.recurrence:
        said = capitalised(deadline.phrase.strip()) if deadline.phrase.strip() else \
            recurrence_word(deadline.recurrence, capital=True)
        parts = [said]
        if rt.missed:
            parts.append("chưa báo cáo kỳ " + ", ".join(short_date(d) for d in rt.missed[-6:]))
        if rt.next_due:
            parts.append(f"kỳ tới {short_date(rt.next_due)}")
        return "; ".join(parts)
    if deadline.due:
        return short_date(deadline.due)
    return "Thường xuyên" if deadline.ongoing else "Không ghi thời hạn"


def status_text(rt: RegisteredTask, due_soon_days: int = DUE_SOON_DAYS) -> str:
    """The state cell of an open task, in a clerk's words."""
    if rt.missed:
        return f"Chưa báo cáo {len(rt.missed):02d} kỳ"
    due, as_of = rt.current_due, rt.as_of
    if rt.status == OPEN_LATE:
        late = (as_of - due).days if due and as_of else 0
        return f"Quá hạn {late} ngày" if late > 0 else "Quá hạn"
    left = days_left(rt, due_soon_days)
    if left is not None:
        return "Đến hạn hôm nay" if left == 0 else f"Sắp đến hạn (còn {left} ngày)"
    return "Trong hạn" if due else "Chưa có báo cáo"


# ---------------------------------------------------------------- digesting the stream unit by unit
def _urgency(rt: RegisteredTask) -> tuple:
    return (rt.status != OPEN_LATE, rt.current_due or dt.date.max, rt.id)


def is_chased(rt: RegisteredTask) -> bool:
    """A task a letter chases: open, and its notice not revoked or replaced by a later one (such tasks stay in
    the register, not in the letters)."""
    return is_open(rt.status) and not rt.notice.superseded


def open_tasks(tasks: Iterable[RegisteredTask]) -> list[RegisteredTask]:
    """Tasks a letter chases, overdue first, then by the date they are measured against."""
    return sorted((t for t in tasks if is_chased(t)), key=_urgency)


@dataclass
class UnitDigest:
    """What the letters need of one unit: counts, and the open tasks to list (bounded)."""

    name: str
    key: str
    counts: Counter = field(default_factory=Counter)  # tasks by state (all, for the báo cáo's counts)
    chased: Counter = field(default_factory=Counter)  # open tasks a letter chases, by state
    per_notice: Counter = field(default_factory=Counter)  # all tasks by notice id
    open_per_notice: Counter = field(default_factory=Counter)
    soon: int = 0
    listed: list[RegisteredTask] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return self.chased[OPEN_ON_TIME] + self.chased[OPEN_LATE]

    @property
    def overdue(self) -> int:
        return self.chased[OPEN_LATE]

    def add(self, rt: RegisteredTask, due_soon_days: int) -> None:
        self.counts[rt.status] += 1
        self.per_notice[rt.notice.id] += 1
        if not is_chased(rt):
            return
        self.chased[rt.status] += 1
        self.open_per_notice[rt.notice.id] += 1
        self.soon += days_left(rt, due_soon_days) is not None
        self.listed.append(rt)
        if len(self.listed) > 2 * MAX_ROWS:  # keep memory bounded: only the most urgent can be listed
            self.listed = sorted(self.listed, key=_urgency)[:MAX_ROWS]

    def finish(self) -> "UnitDigest":
        self.listed = sorted(self.listed, key=_urgency)[:MAX_ROWS]
        return self


def digest_units(tasks: Iterable[RegisteredTask], due_soon_days: int = DUE_SOON_DAYS) -> Iterator[UnitDigest]:
    """One digest per lead unit. A list is grouped whatever its order; any other iterable is read as a stream
    in unit order (Register.iter_tasks), one unit in memory at a time."""
    if isinstance(tasks, (list, tuple)):
        tasks = sorted(tasks, key=lambda t: unit_key(t.task.assignee))  # stable: keeps the order within a unit
    current: Optional[UnitDigest] = None
    for rt in tasks:
        key = unit_key(rt.task.assignee)
        if current is None or key != current.key:
            if current is not None:
                yield current.finish()
            current = UnitDigest(capitalised(rt.task.assignee), key)
        current.add(rt, due_soon_days)
    if current is not None:
        yield current.finish()


# ---------------------------------------------------------------- công văn đôn đốc
@dataclass(frozen=True)
class PreviousReminder:
    """The last đôn đốc letter recorded for a unit (Register.reminders)."""

    on: dt.date
    round: int
    task_ids: frozenset[str]
    number: Optional[str] = None


def reminder_round(digest: UnitDigest, previous: Optional[PreviousReminder], as_of: dt.date) -> int:
    """2 and more when an earlier letter (before today) chased some of the same tasks, else 1."""
    if previous is None or previous.on >= as_of:
        return 1
    if previous.task_ids & {t.id for t in digest.listed}:
        return previous.round + 1
    return 1


def roman(n: int) -> str:
    """Heading numbers of a letter's table groups: I, II, ... (as Phụ lục I of Nghị định 30 numbers parts)."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _groups(digests: list[UnitDigest], combined: bool) -> list[dict]:
    """Table groups: per unit (a bold heading row in a letter to several units), then per notice; the notice's
    cell is merged down its rows. Notices come in the order of their most urgent task."""
    groups = []
    for g, digest in enumerate(digests, 1):
        by_notice: dict[int, list[RegisteredTask]] = {}
        for rt in digest.listed:
            by_notice.setdefault(rt.notice.id, []).append(rt)
        k = 0
        for i, rows in enumerate(by_notice.values()):
            cells = []
            for rt in rows:
                k += 1
                cells.append({"stt": str(k), "action": rt.task.action, "due": due_text(rt),
                              "status": status_text(rt), "id": rt.id})
            heading = digest.name if combined and i == 0 else ""
            groups.append({"heading": heading, "heading_stt": roman(g) if heading else "",
                           "notice": notice_phrase(rows[0]), "rows": cells})
    return groups


def _cited(digests: list[UnitDigest]) -> list[RegisteredTask]:
    seen: dict[int, RegisteredTask] = {}
    for d in digests:
        for rt in d.listed:
            seen.setdefault(rt.notice.id, rt)
    return list(seen.values())


def _state_clause(open_: int, overdue: int, soon: int, due_soon_days: int) -> str:
    """', trong đó 01 nhiệm vụ đã quá thời hạn' and the like; nothing said about a zero."""
    parts = []
    if overdue and overdue == open_:
        parts.append("đã quá thời hạn" if open_ == 1 else "tất cả đều đã quá thời hạn")
    elif overdue:
        parts.append(f"trong đó {count(overdue)} đã quá thời hạn")
    if soon:
        parts.append(f"{count(soon)} sắp đến hạn trong {due_soon_days} ngày tới")
    return (", " + ", ".join(parts)) if parts else ""


def letter_context(digests: list[UnitDigest], as_of: dt.date, config: SenderConfig,
                   report_by: Optional[dt.date] = None, previous: Optional[PreviousReminder] = None,
                   due_soon_days: int = DUE_SOON_DAYS) -> dict:
    """Everything a công văn đôn đốc shows: to one unit, or to several (rows grouped by unit then notice)."""
    combined = len(digests) > 1
    report_by = report_by or add_working_days(as_of, config.report_within_working_days)
    cited = _cited(digests)
    if len(cited) == 1:
        source = notice_phrase(cited[0], about=True)
    elif len(cited) <= MAX_CITED:
        source = ", ".join(notice_phrase(t) for t in cited[:-1]) + " và " + notice_phrase(cited[-1])
    else:
        source = "các văn bản nêu tại cột \"Văn bản giao\" của bảng dưới đây"
    addressee = "các đơn vị" if combined else in_sentence(digests[0].name)
    round_ = 1 if combined else reminder_round(digests[0], previous, as_of)
    open_ = sum(d.open for d in digests)
    overdue = sum(d.overdue for d in digests)
    soon = sum(d.soon for d in digests)
    issuer = config.issuer_name
    state = _state_clause(open_, overdue, soon, due_soon_days)
    if round_ > 1 and previous is not None:
        if previous.number:  # the letter as the văn thư numbered and dated it
            earlier = (f"{capitalised(issuer)} đã có Công văn số {previous.number} ngày {cited_date(previous.on)} "
                       f"đôn đốc")
        else:
            earlier = (f"Ngày {previous.on.day:02d} tháng {previous.on.month} năm {previous.on.year}, {issuer} đã có "
                       f"văn bản đôn đốc")
        opening = (f"{earlier} {addressee} thực hiện các nhiệm vụ được giao tại {source} "
                   f"(lần {previous.round}). Tuy nhiên, đến {nd30_date(as_of)}, {addressee} vẫn còn "
                   f"{count(open_)} chưa hoàn thành{state}, cụ thể như sau:")
    else:
        assigned = sum(d.per_notice[t.notice.id] for d in digests for t in _cited([d]))
        done = assigned - sum(d.open_per_notice[t.notice.id] for d in digests for t in _cited([d]))
        progress = f"đã hoàn thành {count(done)}, còn" if done else "còn"
        opening = (f"Tại {source}, {issuer} đã giao {addressee} chủ trì thực hiện {count(assigned)}. "
                   f"Đến {nd30_date(as_of)}, {progress} {count(open_)} chưa hoàn thành{state}, cụ thể như sau:")
    more = sum(d.open - len(d.listed) for d in digests)
    closing = []
    if more:
        closing.append(f"Ngoài các nhiệm vụ nêu trên, còn {count(more)} chưa hoàn thành khác "
                       f"(chi tiết tại bảng theo dõi nhiệm vụ kèm theo).")
    ask = ("khẩn trương tập trung thực hiện các nhiệm vụ nêu trên" if overdue else
           "chủ động triển khai, bảo đảm hoàn thành các nhiệm vụ nêu trên đúng thời hạn")
    closing.append(f"Đề nghị {addressee} {ask}; báo cáo kết quả thực hiện (nêu rõ nhiệm vụ đã hoàn thành, nhiệm vụ "
                   f"chưa hoàn thành và nguyên nhân, giải pháp) về {config.report_to} trước {nd30_date(report_by)}"
                   + ("; trường hợp không hoàn thành, báo cáo rõ nguyên nhân và trách nhiệm của tập thể, cá nhân "
                      "liên quan." if round_ > 1 else "."))
    closing.append(f"{capitalised(issuer)} đề nghị {addressee} nghiêm túc triển khai thực hiện./.")
    word = f"đôn đốc lần {round_}" if round_ > 1 else "đôn đốc"
    subject = (f"V/v {word} thực hiện nhiệm vụ được giao tại {notice_phrase(cited[0])}" if len(cited) == 1
               else f"V/v {word} thực hiện các nhiệm vụ được giao")
    return {
        "number": f"      /{config.issuer_symbol}-{config.drafting_symbol}",
        "subject": subject, "recipients": [d.name for d in digests],
        "opening": [opening], "closing": closing, "groups": _groups(digests, combined),
        "report_by": short_date(report_by), "round": round_,
        "cc": ["Như trên", *config.cc, f"Lưu: VT, {config.drafting_symbol}"],
    }


# ---------------------------------------------------------------- báo cáo tổng hợp
_KEYS = ("done_on_time", "done_late", "open_on_time", "open_late")


def _report_row(stt: str, unit: str, counts: Counter) -> dict:
    total = sum(counts.values())
    row = {"stt": stt, "unit": unit, "total": total, **{k: counts[s] for k, s in zip(_KEYS, STATES)}}
    row["on_time_ratio"] = _ratio(counts[DONE_ON_TIME], total)
    row["late_ratio"] = _ratio(counts[DONE_LATE] + counts[OPEN_LATE], total)
    return row


def report_context(tasks: Iterable[RegisteredTask], as_of: dt.date, config: SenderConfig,
                   due_soon_days: int = DUE_SOON_DAYS) -> dict:
    """The báo cáo in the provincial layout: by unit × the four states with on-time and overdue ratios, the
    overdue tasks (longest overdue first, at most MAX_REPORT_ROWS), and a closing naming the units most behind."""
    rows, totals, late, soon = [], Counter(), [], 0
    behind: list[tuple[int, str]] = []
    for k, digest in enumerate(digest_units(tasks, due_soon_days), 1):
        rows.append(_report_row(str(k), digest.name, digest.counts))
        totals.update(digest.counts)
        soon += digest.soon
        if digest.overdue:
            behind.append((digest.overdue, digest.name))
        late += [rt for rt in digest.listed if rt.status == OPEN_LATE]
        if len(late) > 2 * MAX_REPORT_ROWS:
            late = sorted(late, key=_urgency)[:MAX_REPORT_ROWS]
    late = sorted(late, key=_urgency)
    rows.append(_report_row("", "Tổng cộng", totals))
    listed = [{"stt": str(k), "action": rt.task.action, "unit": capitalised(rt.task.assignee),
               "due": due_text(rt), "notice": notice_phrase(rt)} for k, rt in enumerate(late[:MAX_REPORT_ROWS], 1)]
    total, done = sum(totals.values()), totals[DONE_ON_TIME] + totals[DONE_LATE]
    open_ = totals[OPEN_ON_TIME] + totals[OPEN_LATE]
    opening = (f"Thực hiện chế độ theo dõi, đôn đốc việc thực hiện nhiệm vụ được giao, {config.issuer_name} "
               f"báo cáo tình hình thực hiện nhiệm vụ tính đến {nd30_date(as_of)} như sau: tổng số {count(total)}; "
               f"{_done_part(done, totals)}; {_open_part(open_, totals)}.")
    notes = ["Ghi chú: tỷ lệ đúng hạn: số nhiệm vụ hoàn thành đúng hạn trên tổng số nhiệm vụ; tỷ lệ quá hạn: số nhiệm vụ "
             "hoàn thành quá hạn và chưa hoàn thành quá hạn trên tổng số nhiệm vụ."]
    closing = []
    if behind:
        named = sorted(behind, key=lambda b: (-b[0], b[1]))[:MAX_NAMED_UNITS]
        units = ", ".join(f"{in_sentence(name)} ({count(n)})" for n, name in named)
        lead = "Đơn vị còn nhiều nhiệm vụ chưa hoàn thành quá hạn nhất là" if len(named) == 1 else \
            "Các đơn vị còn nhiều nhiệm vụ chưa hoàn thành quá hạn nhất là"
        closing.append(f"{lead} {units}. Đề xuất {config.report_recipient} chỉ đạo "
                       f"{'đơn vị' if len(named) == 1 else 'các đơn vị'} này khẩn trương hoàn thành, báo cáo rõ "
                       f"nguyên nhân chậm trễ và trách nhiệm của tập thể, cá nhân liên quan.")
    else:
        closing.append("Không có nhiệm vụ chưa hoàn thành quá hạn; các đơn vị thực hiện nhiệm vụ bảo đảm thời hạn "
                       "được giao.")
    if soon:
        closing.append(f"Trong {due_soon_days} ngày tới có {count(soon)} đến hạn; {config.issuer_name} tiếp tục "
                       f"theo dõi, đôn đốc các đơn vị hoàn thành đúng thời hạn.")
    if len(late) > MAX_REPORT_ROWS:
        closing.insert(0, f"Danh sách tại mục 2 nêu {MAX_REPORT_ROWS} nhiệm vụ quá hạn lâu nhất; "
                          f"{count(len(late) - MAX_REPORT_ROWS)} quá hạn khác có trong bảng theo dõi kèm theo.")
    closing.append(f"Trên đây là báo cáo tình hình thực hiện nhiệm vụ được giao tính đến {nd30_date(as_of)}./.")
    return {
        "number": f"      /BC-{config.issuer_symbol}",
        "title": f"Tình hình thực hiện nhiệm vụ được giao tính đến ngày {short_date(as_of)}",
        "recipients": [config.report_recipient], "opening": [opening], "notes": notes, "closing": closing,
        "rows": rows, "overdue": listed, "cc": ["Như trên", *config.cc, f"Lưu: VT, {config.drafting_symbol}"],
    }


def _done_part(done: int, totals: Counter) -> str:
    """Nothing said about zero: "chưa có nhiệm vụ nào hoàn thành", never "đã hoàn thành 00 nhiệm vụ"."""
    if not done:
        return "chưa có nhiệm vụ nào hoàn thành"
    return f"đã hoàn thành {count(done)}{_split(totals[DONE_ON_TIME], totals[DONE_LATE], 'đúng hạn', 'quá hạn')}"


def _open_part(open_: int, totals: Counter) -> str:
    if not open_:
        return "không còn nhiệm vụ nào chưa hoàn thành"
    return f"chưa hoàn thành {count(open_)}{_split(totals[OPEN_ON_TIME], totals[OPEN_LATE], 'trong hạn', 'quá hạn')}"


def _split(first: int, second: int, first_word: str, second_word: str) -> str:
    """' (03 đúng hạn, 01 quá hạn)', ' (đều đúng hạn)', '' for none."""
    if not first and not second:
        return ""
    if not second:
        return f" (đều {first_word})"
    if not first:
        return f" (đều {second_word})"
    return f" ({first:02d} {first_word}, {second:02d} {second_word})"
