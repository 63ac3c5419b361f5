"""Deadlines: the grammar of time in Vietnamese administrative text.

"trước ngày 10/7/2026", "chậm nhất vào ngày 15 tháng 7 năm 2026", "trong quý III/2026",
"trước ngày 18 hằng tháng", "trong 05 ngày làm việc kể từ ngày ký", "thường xuyên".
A date is a deadline only when the words before it make it one (a cue, a field label,
a period standing on its own); dates of documents, meetings and programmes are not.
The cue words live in data/vi/deadlines.toml; matching runs on a folded view of the text
(lower case, tone-free) and spans point back into the original text.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from extractors.calendar_vi import add_working_days, is_working_day  # noqa: F401  one calendar for the project
from extractors.foldspan import FoldedText, fold_phrase, fold_with_map
from extractors.models import Deadline, Recurrence
from extractors.textnorm import strip_tones
from extractors.vocab import keys as _keys
from extractors.vocab import load, read

_DATA = Path(__file__).parent / "data" / "vi"


@dataclass(frozen=True)
class DateContext:
    """What a notice tells about "now": its own date, its year, the meeting it reports."""

    notice_date: Optional[dt.date] = None
    year: Optional[int] = None  # year shown in the header even when the date is blank
    meeting_date: Optional[dt.date] = None

    def default_year(self) -> Optional[int]:
        for known in (self.notice_date, self.meeting_date):
            if known:
                return known.year
        return self.year


# ---------------------------------------------------------------- data
def _alt(phrases: Iterable[str]) -> str:
    """Regex alternation of folded phrases, longest first (callers add the word boundaries)."""
    folded = sorted({fold_phrase(p) for p in phrases if p.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in folded) + ")"


def _rx(template: str) -> re.Pattern:
    """Compile a pattern written with Vietnamese marks, in the folded alphabet."""
    folded = strip_tones(template).lower()
    return re.compile(folded.replace("(?p<", "(?P<").replace("(?p=", "(?P="))


@dataclass(frozen=True)
class _Grammar:
    expr: re.Pattern  # a date/period expression
    cue: re.Pattern  # the cue before it, on reversed text
    recurrence: re.Pattern
    ongoing: re.Pattern
    not_ongoing_before: re.Pattern
    reference_before: re.Pattern
    reference_cue: re.Pattern
    field_label: re.Pattern
    past_before: re.Pattern
    verb_before: re.Pattern
    thing_before: re.Pattern
    clause_verb: re.Pattern
    sentence_word: re.Pattern
    opening: re.Pattern
    meeting_after: re.Pattern
    cue_kinds: dict  # folded cue → "before" | "within" | "field"
    # words one of which a text must contain for the pattern to be tried (a plain `in` test is cheap)
    expr_hint: tuple[str, ...]
    recurrence_hint: tuple[str, ...]
    ongoing_hint: tuple[str, ...]
    month_parts: dict
    half_year: dict
    weekdays: dict
    periods: dict
    half_yearly_as: str
    max_other_words: int


_YEAR_SUFFIX = r"(?:\s*(?:/|-|\.|,?\s*năm)\s*(?P<{0}>\d{{4}}))?"
_NUM_DATE = r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d/]|[.-]\d)"
_WORD_DATE = r"(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})(?:\s*,?\s*năm\s+(?P<wy>\d{4}))?"
_TIME = r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2}\s*(?:phút|p)?)?\s*(?:(?:sáng|chiều|tối)\s*)?,?\s*)"
_DIGIT = re.compile(r"\d")
# The sexagenary name of a lunar year ("Tết Nguyên đán Bính Ngọ 2026").
_CAN = r"(?:giáp|ất|bính|đinh|mậu|kỷ|canh|tân|nhâm|quý)"
_CHI = r"(?:tý|sửu|dần|mão|mẹo|thìn|tỵ|ngọ|mùi|thân|dậu|tuất|hợi)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _cue_pattern(cues: list[str]) -> re.Pattern:
    """The cue right before an expression, matched on the REVERSED text before it (fast: anchored)."""
    def rev(words: list[str]) -> str:
        folded = sorted({fold_phrase(w)[::-1] for w in words}, key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded) + ")"
    # "trướcngày 20/11" (a portal's typo): "ngày" glued to its cue is left out of the date; read it with the cue
    return re.compile(rf"\s*(?:{rev(['ngày'])}(?=\w))?"
                      rf"\s*(?:{rev(['lúc', 'trước'])}\s+)?(?:{rev(['vào'])}\s+)?(?:{rev(['là'])}\s+)?"
                      rf"\s*:?\s*(?P<cue>{rev(cues)})(?![\w])")


def _expression_pattern(month_parts: str, half_year: str, end_year: str) -> re.Pattern:
    return _rx(
        rf"(?<![\w/])(?P<time>{_TIME})?"
        r"(?:"
        rf"(?P<date>(?:ngày\s*:?\s*)?(?:{_WORD_DATE}|{_NUM_DATE}))"
        rf"|(?P<count>(?:vòng\s+)?(?P<n>\d{{1,3}})\s+ngày(?P<working>\s+làm\s+việc)?"
        r"(?P<from>\s*,?\s*(?:kể\s+từ|tính\s+từ|từ|sau\s+khi|sau)\s+(?:ngày\s+)?[^.;,\n]{1,40})?)"
        rf"|(?P<part>(?P<partword>{month_parts})\s+tháng\s+(?P<pm>\d{{1,2}}){_YEAR_SUFFIX.format('py')})"
        rf"|(?P<half>(?P<halfword>{half_year})(?:\s*,?\s*(?P<hy>\d{{4}}))?)"
        rf"|(?P<month>tháng\s+(?P<mm>\d{{1,2}})(?:\s*(?:-|đến|và|,)\s*(?:tháng\s+)?(?P<mm2>\d{{1,2}}))?"
        rf"{_YEAR_SUFFIX.format('my')})"
        rf"|(?P<quarter>quý\s+(?P<q>iv|i{{1,3}}|[1-4])"
        rf"(?:\s*(?:-|đến|và|,)\s*(?:quý\s+)?(?P<q2>iv|i{{1,3}}|[1-4]))?{_YEAR_SUFFIX.format('qy')})"
        rf"|(?P<endyear>{end_year}(?:\s+(?P<ey>\d{{4}}))?)"
        r"|(?P<year>năm\s+(?P<yy>\d{4}))"
        rf"|(?P<tet>tết\s+(?P<tetkind>nguyên\s+đán|âm\s+lịch|cổ\s+truyền|dương\s+lịch)"
        rf"(?:\s+{_CAN}\s+{_CHI})?(?:\s+(?:năm\s+)?(?P<ty>\d{{4}}))?)"
        r")(?![\w/])(?!\s*-\s*\d{4})"
    )


def _recurrence_pattern(cue: str, every: str, period: str, intro: str, half: str, weekday: str,
                        sunday: str) -> re.Pattern:
    def day(k: str) -> str:  # the day a schedule falls on; group names suffixed by k (used twice)
        date = (rf"(?P<dom{k}>ngày\s+(?P<day{k}>\d{{1,2}})"
                rf"(?:\s*[/.-]\s*(?P<dm{k}>\d{{1,2}})|\s+tháng\s+(?P<dwm{k}>\d{{1,2}}))?)"
                rf"|(?P<dd{k}>\d{{1,2}})\s*[/.-]\s*(?P<ddm{k}>\d{{1,2}})")
        weekday_ = rf"thứ\s+(?P<wd{k}>{weekday})|(?P<sun{k}>{sunday})"
        return (rf"(?:(?:{cue})\s+)?(?:vào\s+)?(?:{_TIME})?(?:{date}|{weekday_})"
                rf"\s*,?\s*(?:của\s+)?(?:các\s+)?")
    return _rx(
        rf"(?<![\w])(?:(?P<intro>{intro})\s+(?:vào\s+)?(?:{day('a')})?(?:(?:{every})\s+)?"
        rf"(?:(?P<half>{half})(?:\s+một\s+lần)?|(?P<iperiod>{period}))"
        rf"|(?:{day('b')})?(?P<every>{every})\s+(?P<period>{period})"
        rf"|(?P<times>\d{{1,2}}\s+lần\s*(?:/|trên|mỗi|một|trong\s+(?:1|một))\s*(?P<tperiod>{period}))"
        rf"|(?:(?:{cue})\s+)?ngày\s+(?P<qday>\d{{1,2}})\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:(?:{every})\s+)?quý)(?![\w])"
    )


def _group(m: re.Match, name: str) -> Optional[str]:
    return m[name + "a"] or m[name + "b"]


_WORD_LISTS = {"cues": ("before", "within", "field"), "periods": ("end_of_year",),
               "recurrence": ("every", "intro", "half_yearly", "sunday", "verbs", "things", "clause_verbs"),
               "ongoing": ("words", "not_after"), "never": ("reference", "reference_cue", "past"),
               "sentence": ("words",), "opening": ("before", "meeting")}


_SCHEMA = {"cues": _keys("before", "within", "field", "field_separators"),
           "periods": _keys("end_of_year", "half_year", "month_parts"),
           "recurrence": _keys("clause_verbs", "every", "half_yearly", "half_yearly_as", "intro", "period", "sunday",
                              "things", "verbs", "weekdays"),
           "ongoing": _keys("not_after", "words"), "never": _keys("past", "reference", "reference_cue"),
           "sentence": _keys("max_other_words", "words"), "opening": _keys("before", "meeting")}


def _check(d: dict) -> None:
    """Refuse a deadlines.toml that lacks a list or maps to an unknown recurrence."""
    for section, keys in _WORD_LISTS.items():
        for key in keys:
            value = d.get(section, {}).get(key)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValueError(f"deadlines.toml: [{section}] {key} phải là danh sách cụm từ không rỗng")
    if set(d["recurrence"].get("period", {}).values()) - {"weekly", "monthly", "quarterly", "yearly"}:
        raise ValueError("deadlines.toml: [recurrence] period chỉ nhận weekly, monthly, quarterly, yearly")
    if d["recurrence"].get("half_yearly_as") not in {"weekly", "monthly", "quarterly", "yearly"}:
        raise ValueError("deadlines.toml: [recurrence] half_yearly_as chỉ nhận weekly, monthly, quarterly, yearly")


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    d = load("deadlines.toml", _SCHEMA)  # no section or key the grammar does not read
    _check(d)
    cues, rec = d["cues"], d["recurrence"]
    kinds = {fold_phrase(c): k for k in ("before", "within", "field") for c in cues[k]}
    parts = {fold_phrase(k): v for k, v in d["periods"]["month_parts"].items()}
    halves = {fold_phrase(k): v for k, v in d["periods"]["half_year"].items()}
    weekdays = {fold_phrase(k): v for k, v in rec["weekdays"].items()}
    periods = {fold_phrase(k): v for k, v in rec["period"].items()}
    never = d["never"]
    return _Grammar(
        expr=_expression_pattern(_alt(parts), _alt(halves), _alt(d["periods"]["end_of_year"])),
        cue=_cue_pattern([c for k in ("before", "within", "field") for c in cues[k]]),
        recurrence=_recurrence_pattern(_alt(cues["before"]), _alt(rec["every"]), _alt(rec["period"]),
                                       _alt(rec["intro"]), _alt(rec["half_yearly"]), _alt(rec["weekdays"]),
                                       _alt(rec["sunday"])),
        ongoing=re.compile(rf"(?<![\w/]){_alt(d['ongoing']['words'])}(?![\w/])"),
        not_ongoing_before=re.compile(rf"(?<![\w]){_alt(d['ongoing']['not_after'])}\s*$"),
        reference_before=_rx(rf"(?<![\w]){_alt(never['reference'])}\s*:?\s*(?:ngày\s*)?$"),
        reference_cue=_rx(rf"(?<![\w]){_alt(never['reference_cue'])}\s+(?:ngày\s*)?$"),
        field_label=re.compile(rf"(?:^|[.;\n]\s*)[-+•*]?\s*{_alt(cues['field'])}[^:.;]{{0,50}}:\s*$"),
        past_before=re.compile(rf"(?<![\w]){_alt(never['past'])}(?:\s+\S+){{0,2}}\s*$"),
        verb_before=re.compile(rf"(?<![\w]){_alt(rec['verbs'])}\s*,?\s*$"),
        # the thing governs the recurrence only when no "và" or comma stands between them
        thing_before=re.compile(rf"(?<![\w]){_alt(rec['things'])}(?:\s+(?!va\b)[^\s,]+){{0,3}}\s*$"),
        clause_verb=re.compile(rf"(?<![\w]){_alt(rec['clause_verbs'])}(?![\w])"),
        sentence_word=re.compile(rf"(?<![\w]){_alt(d['sentence']['words'])}(?![\w])"),
        opening=_rx(rf"(?:(?<![\w]){_alt(d['opening']['before'])}\s*,?\s*(?:ngày\s+)?|(?<![\w])ngày\s+)"
                    rf"(?:{_WORD_DATE}|{_NUM_DATE})"),
        meeting_after=re.compile(rf"(?<![\w]){_alt(d['opening']['meeting'])}(?![\w])"),
        cue_kinds=kinds,
        expr_hint=("quy i", "quy 1", "quy 2", "quy 3", "quy 4", "têt", *map(fold_phrase, d["periods"]["end_of_year"]),
                   *(h for h in halves if not any(c.isdigit() for c in h))),
        recurrence_hint=(*(fold_phrase(e) + " " for e in rec["every"]), *map(fold_phrase, rec["intro"]), "cuôi", "lân"),
        ongoing_hint=tuple(fold_phrase(w) for w in d["ongoing"]["words"]),
        month_parts=parts, half_year=halves, weekdays=weekdays, periods=periods,
        half_yearly_as=rec["half_yearly_as"], max_other_words=int(d["sentence"]["max_other_words"]),
    )


# ---------------------------------------------------------------- dates
def _safe_date(year: Optional[int], month: int, day: int) -> Optional[dt.date]:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: Optional[int], month: int, day: int = 0) -> Optional[dt.date]:
    if year is None or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last) if day else last)


def _year(group: Optional[str], ctx: DateContext) -> Optional[int]:
    return int(group) if group else ctx.default_year()


# ---------------------------------------------------------------- deadlines
def _expression_due(m: re.Match, ctx: DateContext, g: _Grammar) -> tuple[Optional[dt.date], bool]:
    """(due date, whether the phrase is a deadline at all) of one expression match."""
    due, ok = _due_as_written(m, ctx, g)
    written_year = any(m[k] for k in ("wy", "y", "py", "hy", "my", "qy", "ey", "yy")) or m["tet"]
    if due and not written_year and not m["count"]:
        due = _roll_into_next_year(due, ctx)
    return due, ok


def _roll_into_next_year(due: dt.date, ctx: DateContext) -> dt.date:
    """A date without its year that would fall half a year before the notice means next year
    ("trước ngày 15/01" in a notice of December)."""
    reference = ctx.notice_date or ctx.meeting_date
    if reference and (reference - due).days > 180:
        try:
            return due.replace(year=due.year + 1)
        except ValueError:  # 29/02
            return due.replace(year=due.year + 1, day=28)
    return due


def _due_as_written(m: re.Match, ctx: DateContext, g: _Grammar) -> tuple[Optional[dt.date], bool]:
    if m["date"]:
        if m["wd"]:
            return _safe_date(_year(m["wy"], ctx), int(m["wm"]), int(m["wd"])), True
        return _safe_date(_year(m["y"], ctx), int(m["m"]), int(m["d"])), 1 <= int(m["m"]) <= 12
    if m["count"]:
        if not ctx.notice_date:
            return None, True
        n = int(m["n"])
        if m["working"]:
            return add_working_days(ctx.notice_date, n), True
        return ctx.notice_date + dt.timedelta(days=n), True
    if m["part"]:
        day = g.month_parts.get(re.sub(r"\s+", " ", m["partword"]), 0)
        return _month_end(_year(m["py"], ctx), int(m["pm"]), day), 1 <= int(m["pm"]) <= 12
    if m["half"]:
        return _month_end(_year(m["hy"], ctx), g.half_year[re.sub(r"\s+", " ", m["halfword"])]), True
    if m["month"]:  # "tháng 7-8/2026": the last month of the range
        month = int(m["mm2"] or m["mm"])
        return _month_end(_year(m["my"], ctx), month), 1 <= month <= 12
    if m["quarter"]:
        return _month_end(_year(m["qy"], ctx), 3 * _ROMAN[m["q2"] or m["q"]]), True  # "quý III, IV": the last
    if m["endyear"]:
        return _month_end(_year(m["ey"], ctx), 12), True
    if m["tet"]:
        return _eve_of_tet(m, ctx), True
    return _month_end(int(m["yy"]), 12), True


def _eve_of_tet(m: re.Match, ctx: DateContext) -> Optional[dt.date]:
    """"trước Tết Nguyên đán": the last day before mùng 1 (of the year written, else the next Tết)."""
    if m["tetkind"].startswith("dương"):
        year = int(m["ty"]) - 1 if m["ty"] else ctx.default_year()
        return _month_end(year, 12)
    tets = _tet_days()
    if m["ty"]:
        tet = tets.get(int(m["ty"]))
    else:
        reference = ctx.notice_date or ctx.meeting_date
        tet = next((t for _, t in sorted(tets.items()) if reference and t > reference), None)
    return tet - dt.timedelta(days=1) if tet else None


@lru_cache(maxsize=1)
def _tet_days() -> dict[int, dt.date]:
    path = _DATA / "holidays.toml"
    lunar = read("holidays.toml").get("lunar", {}) if path.exists() else {}
    return {int(year): dt.date.fromisoformat(days["tet"]) for year, days in lunar.items()}


def _cue(folded: FoldedText, start: int, g: _Grammar) -> tuple[Optional[str], int]:
    """(folded cue, where it starts) right before an expression starting at `start`."""
    lo = max(0, start - 40)
    m = g.cue.match(folded.text[lo:start][::-1])
    if not m:
        return None, start
    return re.sub(r"\s+", " ", m["cue"][::-1]), start - m.end()


def _accepts(m: re.Match, cue: Optional[str], cue_start: int, folded: FoldedText, ctx: DateContext,
             due: Optional[dt.date], g: _Grammar) -> bool:
    """Whether the words around an expression make it a deadline."""
    before = folded.text[max(0, cue_start - 60):cue_start]
    if g.past_before.search(before):  # "đã hoàn thành trước ngày ..." reports, it does not assign
        return False
    if g.reference_cue.search(folded.text, max(0, cue_start - 30), m.start()):
        return False  # "số liệu tính đến ngày 30/6/2026": a reference point, not a deadline
    if cue is None and g.field_label.search(before):
        cue = "thơi gian"  # "Thời gian tổ chức hội nghị: ngày 10/7/2026"
    if cue:
        kind = g.cue_kinds.get(cue, "field")
        if kind == "within" and m["date"] and not m["time"]:
            return True
        if m["year"] and kind == "before" and not cue.startswith(("hoan thanh", "xong", "kêt thuc", "đên hêt")):
            return False
        if m["count"] and kind != "within" and not m["from"]:
            return False  # "Thời gian: 02 ngày" is how long, not by when
        if kind == "within" and _reported_after(folded, m.end()):
            return False
        return _not_past_period(m, ctx, due) if not m["date"] else True
    if (m["mm2"] or m["q2"]) and re.search(r"(?<![\w])tư\s*$", before):
        return True  # "từ tháng 7 đến tháng 12/2026": the work runs until the range ends
    if g.reference_before.search(before) or _reported_after(folded, m.end()):
        return False
    alone = not before.strip(" (-:") and not folded.text[m.end():].strip(" .;)")
    if m["year"] or m["endyear"]:  # "Năm 2026" alone in a table's deadline cell
        return alone
    if m["count"] or m["tet"]:
        return False
    if m["date"]:  # a bare date: only as a value standing alone ("30/6/2026" in a table cell)
        return alone
    # a bare period (month, quarter, half year): at the start or after punctuation
    if before.strip() and not re.search(r"[,:;(\-]\s*$", before):
        return False
    return _not_past_period(m, ctx, due)


_PAST_IN_CLAUSE = re.compile(r"[^.;\n]{0,60}?(?<![\w])(?:đa|vưa)(?![\w])")


def _reported_after(folded: FoldedText, end: int) -> bool:
    """"Trong tháng 5/2026, UBND xã đã tổ chức ...": a period that opens a report of done work."""
    return _PAST_IN_CLAUSE.match(folded.text, end) is not None


def _not_past_period(m: re.Match, ctx: DateContext, due: Optional[dt.date]) -> bool:
    # "trong năm 2025" in a 2026 notice reports the past; a deadline is never a closed period
    if due is None or ctx.notice_date is None or m["date"] or m["count"]:
        return True
    return due >= ctx.notice_date


def _recurrence_deadline(m: re.Match, ctx: DateContext, g: _Grammar, phrase: str) -> Optional[Deadline]:
    if m["qday"]:
        return Deadline(phrase=phrase, recurrence="quarterly", day_of_period=int(m["qday"]))
    if m["half"]:
        return Deadline(phrase=phrase, recurrence=g.half_yearly_as)
    period = m["iperiod"] or m["period"] or m["tperiod"]
    recurrence: Recurrence = g.periods[re.sub(r"\s+", " ", period)]
    day: Optional[int] = None
    due: Optional[dt.date] = None
    if _group(m, "wd"):
        day = g.weekdays.get(_group(m, "wd"))
    elif _group(m, "sun"):
        day = 8
    elif _group(m, "day") or _group(m, "dd"):
        day = int(_group(m, "day") or _group(m, "dd"))
        month = _group(m, "dm") or _group(m, "dwm") or _group(m, "ddm")
        if month and recurrence == "yearly":
            due, day = _safe_date(ctx.default_year(), int(month), day), None
    return Deadline(due=due, phrase=phrase, recurrence=recurrence, day_of_period=day)


def _is_schedule(m: re.Match, folded: FoldedText, g: _Grammar) -> bool:
    """A recurrence that says when the work recurs, not a name ("kế hoạch hàng năm")."""
    if m["intro"] or m["qday"] or m["times"] or any(_group(m, k) for k in ("dom", "dd", "wd", "sun")):
        return True
    text = folded.text
    clause_start = max(text.rfind(c, 0, m.start()) for c in ".;:\n(")
    before = text[clause_start + 1:m.start()]
    if not before.strip() or re.search(r",\s*$", before) and not g.thing_before.search(before.rstrip(" ,")):
        return True  # "Hằng tháng, ..." / ", hằng quý báo cáo"
    if g.thing_before.search(before):
        return False
    if g.verb_before.search(before):
        return True
    after = text[m.end():m.end() + 3]
    clause = before[before.rfind(",") + 1:] if "," in before else before
    verb = None
    for verb in g.clause_verb.finditer(clause):
        pass  # the last reporting verb of the clause
    if verb and len(clause[verb.end():].split()) <= 5:
        return True  # "báo cáo tình hình dịch hằng tuần về UBND tỉnh": the report recurs
    return bool(re.match(r"\s*(?:[.;,\n]|$)", after)) and bool(verb)


def _candidates(text: str, ctx: DateContext) -> list[tuple[tuple[int, int], int, Deadline]]:
    """Every deadline phrase: (original span, rank, deadline).

    Rank orders kinds for find_deadline: 0 a schedule, 1 a date after a firm cue ("trước ngày"),
    2 a period ("trong tháng 7"), 3 a deadline with no date yet, 4 ongoing work.
    """
    g = _grammar()
    folded = fold_with_map(text)
    found: list[tuple[tuple[int, int], int, Deadline]] = []
    hinted = lambda hints: any(h in folded.text for h in hints)  # noqa: E731
    for m in g.recurrence.finditer(folded.text) if hinted(g.recurrence_hint) else ():
        if _is_schedule(m, folded, g):
            span = folded.span(m.start(), m.end())
            found.append((span, 0, _recurrence_deadline(m, ctx, g, text[span[0]:span[1]])))
    has_expr = _DIGIT.search(folded.text) or hinted(g.expr_hint)
    for m in g.expr.finditer(folded.text) if has_expr else ():
        due, ok = _expression_due(m, ctx, g)
        cue, start = _cue(folded, m.start(), g)
        if ok and _accepts(m, cue, start, folded, ctx, due, g):
            span = folded.span(start, m.end())
            firm = cue is not None and g.cue_kinds.get(cue) != "within"  # "trước ngày", "Thời hạn:"
            rank = (1 if firm else 2) if due else 3
            found.append((span, rank, Deadline(due=due, phrase=text[span[0]:span[1]].strip())))
    for m in g.ongoing.finditer(folded.text) if hinted(g.ongoing_hint) else ():
        span = folded.span(m.start(), m.end())
        if not g.not_ongoing_before.search(folded.text, 0, m.start()):
            found.append((span, 4, Deadline(phrase=text[span[0]:span[1]], ongoing=True)))
    return _without_overlaps(found)


def _without_overlaps(found):
    kept = []
    for item in sorted(found, key=lambda f: (f[1] > 0, -(f[0][1] - f[0][0]), f[0][0])):
        (s, e) = item[0]
        if all(e <= ks or s >= ke for (ks, ke), _, _ in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f[0])


def find_deadlines(text: str, ctx: DateContext) -> list[tuple[tuple[int, int], Deadline]]:
    """Every deadline phrase of a text with its character span, in reading order."""
    return [(span, deadline) for span, _, deadline in _candidates(text, ctx)]


def find_deadline(text: str, ctx: DateContext) -> Optional[Deadline]:
    """The deadline a sentence or paragraph sets: a schedule first, then the first date, else ongoing."""
    found = _candidates(text, ctx)
    if not found:
        return None
    best = min(found, key=lambda f: (f[1], f[0][0]))[2]
    if best.recurrence and best.due is None and best.day_of_period is None:
        return _with_day_of_period(best, text, found)
    return best


_DUE_CUE = re.compile(r"(?i)^(?:trước|chậm nhất|hoàn thành|xong|hạn|thời hạn|thời gian)")


def task_deadline(text: str, ctx: DateContext) -> Optional[Deadline]:
    """The deadline of a task whose text names several dates (paragraphs and table rows alike): a recurring
    duty first, with its day when written apart ("Hằng tháng, trước ngày 25, ..."); else the last phrase
    that sets a limit ("trước ngày ...": notices close a task with its time); else the last date named."""
    found = _candidates(text, ctx)
    if not found:
        return None
    recurring = [d for _, _, d in found if d.recurrence]
    if recurring:
        best = recurring[0]
        if best.due is None and best.day_of_period is None:
            return _with_day_of_period(best, text, found)
        return best
    dates = [d for _, _, d in found]
    limits = [d for d in dates if _DUE_CUE.match(d.phrase.strip())]
    return (limits or dates)[-1]


_DAY_ONLY = _rx(r"(?<![\w])(?:trước|chậm nhất|vào)\s+(?:ngày\s+)?(\d{1,2})(?!\s*[/.-]?\s*\d)(?!\s+tháng)")


def _with_day_of_period(schedule: Deadline, text: str, found) -> Deadline:
    """"Hằng tháng, trước ngày 25 ...": the day the schedule falls on, written apart from it."""
    dated = [d for _, rank, d in found if rank == 1 and d.due]
    if dated and schedule.recurrence == "yearly":
        return schedule.model_copy(update={"due": dated[0].due})
    if dated and schedule.recurrence in ("monthly", "quarterly"):
        return schedule.model_copy(update={"day_of_period": dated[0].due.day})
    m = _DAY_ONLY.search(fold_with_map(text).text)
    if m and schedule.recurrence in ("monthly", "quarterly") and 1 <= int(m.group(1)) <= 31:
        return schedule.model_copy(update={"day_of_period": int(m.group(1))})
    return schedule


def is_deadline_sentence(sentence: str) -> bool:
    """A sentence whose job is to set the time: "Thời gian hoàn thành trước ngày 10/7/2026."."""
    found = _candidates(sentence, DateContext(year=2000))
    if not found:
        return False
    rest = sentence
    for (s, e), _, _ in sorted(found, key=lambda f: -f[0][0]):
        rest = rest[:s] + " " + rest[e:]
    g = _grammar()
    leftover = g.sentence_word.sub(" ", fold_with_map(rest).text)
    words = [w for w in re.split(r"[^\w]+", leftover) if w and not w.isdigit()]
    return len(words) <= g.max_other_words


_DOCUMENT_BEFORE = re.compile(r"(?:\d+\s*/\s*[a-zđ]|(?<![\w])sô\s+\d)[^,;]*$")


def opening_date(text: str) -> Optional[dt.date]:
    """The date of the meeting an opening paragraph reports ("Ngày 03/4/2026, đồng chí ... chủ trì ...")."""
    g = _grammar()
    folded = fold_with_map(text).text
    for m in g.opening.finditer(folded):
        if _DOCUMENT_BEFORE.search(folded, max(0, m.start() - 40), m.start()):
            continue  # "Kế hoạch số 12/KH-UBND ngày 05/3/2026 về tổ chức hội nghị": the document's date
        if g.meeting_after.search(folded, m.end(), m.end() + 250) or g.meeting_after.search(
                folded, max(0, m.start() - 40), m.start()):
            if m["wd"]:
                day = _safe_date(int(m["wy"]) if m["wy"] else None, int(m["wm"]), int(m["wd"]))
            else:
                day = _safe_date(int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]))
            if day:
                return day
    return None
