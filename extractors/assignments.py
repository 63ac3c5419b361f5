"""Notice -> [Task]: who is assigned what.

Walks the body tree with the assignment context the enclosing blocks set
("2.1. Giao Phòng X", "a) Phòng Y:", a lead-in "Giao X thực hiện các nội dung sau:",
a plan's "Cơ quan chủ trì: ..." fields). One task per paragraph or list item that
directs a unit to act (shared/eval/GUIDELINES.md); a block whose children are the
items is a lead-in, not a task of its own. Where several bodies lead one action
("Giao Sở A, Sở B, Đài C ..."), one task names the first as lead and the others as
co-operating units (the scorer counts both readings the same).

Language knowledge (cue words, section names, table headers) is in data/vi/cues.toml;
unit names come from extractors.units, dates from extractors.deadlines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

from extractors.deadlines import DateContext, is_deadline_sentence, opening_date, task_deadline
from extractors.models import Block, Deadline, Notice, Task
from extractors.textnorm import clean, fold, is_upper_heading
from extractors.units import UnitRegistry

_DATA = Path(__file__).parent / "data" / "vi" / "cues.toml"


# ---------------------------------------------------------------- cue data
@dataclass(frozen=True)
class Cues:
    lead_in: re.Pattern  # "Giao", "Yêu cầu", "Đề nghị" opening a paragraph
    lead_in_inside: re.Pattern  # "... yêu cầu|đề nghị|giao <unit>" inside a sentence
    titles: re.Pattern
    person: re.Pattern
    about: re.Pattern
    recipients: re.Pattern
    recipients_bare: re.Pattern
    lead_field: re.Pattern
    co_field: re.Pattern
    content_field: re.Pattern
    time_field: re.Pattern
    co_role: re.Pattern
    roles: re.Pattern
    verb: re.Pattern  # an action verb at the current position
    verb_anywhere: re.Pattern
    verb_in_names: re.Pattern
    opening: tuple[str, ...]  # folded
    opening_reference: re.Pattern
    directive_inside: re.Pattern
    section: tuple[str, ...]
    report_future: tuple[str, ...]
    past: re.Pattern
    past_issued: re.Pattern
    received: re.Pattern  # a petition received and quoted: its requests are not directives
    closing: tuple[str, ...]
    closing_start: tuple[str, ...]
    collective: re.Pattern
    unit_head: re.Pattern
    table: dict
    report_types: frozenset
    preamble: re.Pattern  # "Căn cứ Luật ...", "Xét đề nghị của ...": a decision's bases
    attachment: tuple[str, ...]  # folded titles of a document attached after the signature
    directive_opening: re.Pattern  # "Trên cơ sở ...," / "Theo đó," before a clause whose subject acts
    directive_section: tuple[str, ...]  # folded words of a heading over directives
    adjunct: re.Pattern  # "theo chức năng, nhiệm vụ được giao" between a body and its verb
    visit: re.Pattern  # "làm việc với <body>": the body a working visit's conclusions are for
    closing_addressee: re.Pattern  # "thông báo để <body> ... biết, thực hiện"


def _alternation(words) -> str:
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


_REQUIRED = {"assign": ["lead_in", "lead_in_inside", "titles", "person", "recipients", "recipients_bare", "about", "lead_field",
                        "co_field", "content_field", "time_field", "giao_compounds", "giao_before", "adjunct",
                        "visit", "closing_addressee"],
             "roles": ["lead", "co"], "verbs": ["action", "in_names"],
             "skip": ["opening", "directive_inside", "section", "report_future", "past", "closing", "closing_start",
                      "directive_section", "attachment", "directive_openings"],
             "collective": ["heads"], "units": ["heads", "not_heads"], "table": ["index", "action", "lead", "co", "deadline"],
             "types": ["report"]}
_PATTERNS = [("skip", "opening_reference"), ("skip", "past_issued"), ("skip", "received"), ("skip", "preamble")]


def _validate(d: dict) -> None:
    """Every list the extractor reads is there and holds words; every pattern compiles."""
    for section, keys in _REQUIRED.items():
        for key in keys:
            words = d.get(section, {}).get(key)
            if not words or not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise ValueError(f"{_DATA.name}: mục [{section}].{key} phải là danh sách từ, không rỗng")
    for section, key in _PATTERNS:
        try:
            re.compile(d[section][key])
        except (KeyError, TypeError, re.error) as exc:
            raise ValueError(f"{_DATA.name}: mẫu [{section}].{key} thiếu hoặc sai ({exc})") from exc


@lru_cache(maxsize=1)
def cues() -> Cues:
    import tomllib

    with open(_DATA, "rb") as fh:
        d = tomllib.load(fh)
    _validate(d)
    a, s = d["assign"], d["skip"]
    verbs = _alternation(d["verbs"]["action"])
    flags = re.IGNORECASE
    # "giao" as "to assign", not in "giao ban", "giao thông", "bàn giao", "được giao"
    not_giao = (rf"(?<!{_lookbehind_words(a['giao_before'])})"
                rf"(?!giao\s+(?-i:{_alternation(a['giao_compounds'])})(?![\wÀ-ỹ]))")  # "Giao Ban Quản lý" assigns
    return Cues(
        lead_in=re.compile(rf"^{not_giao}(?:{_alternation(a['lead_in'])})(?:\s+cho)?\s+", flags),
        lead_in_inside=re.compile(rf"(?:^|[\s,;(]){not_giao}(?:{_alternation(a['lead_in_inside'])})(?:\s+cho)?\s+(?=\S)", flags),
        titles=re.compile(rf"^(?:{_alternation(a['titles'])})(?:\s*:\s*|\s+)(?=\S)", flags),
        person=re.compile(rf"^(?:{_alternation(a['person'])})\s+(?=\S)", flags),
        about=re.compile(rf"^(?:{_alternation(a['about'])})\s+(?=\S)", flags),
        recipients=re.compile(rf"^(?:{_alternation(a['recipients'])})\b", flags),
        recipients_bare=re.compile(rf"^(?:{_alternation(a['recipients_bare'])})(?=\s+(?:{verbs})(?![\wÀ-ỹ]))", flags),
        lead_field=re.compile(rf"^(?:{_alternation(a['lead_field'])})\s*:\s*", flags),
        co_field=re.compile(rf"^(?:{_alternation(a['co_field'])})\s*:\s*", flags),
        content_field=re.compile(rf"^(?:{_alternation(a['content_field'])})\s*:\s*", flags),
        time_field=re.compile(rf"^(?:{_alternation(a['time_field'])})\s*:?\s*", flags),
        co_role=re.compile(rf"(?:{_alternation(d['roles']['co'])})\s+", flags),
        roles=re.compile(rf"^(?:{_alternation(d['roles']['lead'] + d['roles']['co'])})$", flags),
        verb=re.compile(rf"^(?:{verbs})(?![\wÀ-ỹ])", flags),
        verb_anywhere=re.compile(rf"(?<![\wÀ-ỹ])(?:{verbs})(?![\wÀ-ỹ])", flags),
        verb_in_names=re.compile(rf"^(?:{_alternation(d['verbs']['in_names'])})$", flags),
        opening=tuple(fold(x) for x in s["opening"]),
        opening_reference=re.compile(s["opening_reference"], flags),
        directive_inside=re.compile(rf"(?<![\wÀ-ỹ]){not_giao}(?:{_alternation(s['directive_inside'])})(?![\wÀ-ỹ])", flags),
        section=tuple(fold(x) for x in s["section"]),
        report_future=tuple(fold(x) for x in s["report_future"]),
        past=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(s['past'])})(?![\wÀ-ỹ])", flags),
        past_issued=re.compile(s["past_issued"], flags),
        received=re.compile(s["received"], flags),
        closing=tuple(fold(x) for x in s["closing"]),
        closing_start=tuple(fold(x) for x in s["closing_start"]),
        collective=re.compile(rf"^(?:{_alternation(d['collective']['heads'])})(?![\wÀ-ỹ])", flags),
        unit_head=re.compile(rf"^(?!(?:{_alternation(d['units']['not_heads'])})(?![\wÀ-ỹ]))"
                             rf"(?:{_alternation(d['units']['heads'])})(?![\wÀ-ỹ])", flags),
        table={k: tuple(fold(x) for x in v) for k, v in d["table"].items()},
        report_types=frozenset(d["types"]["report"]),
        preamble=re.compile(s["preamble"], flags),
        attachment=tuple(fold(x) for x in s["attachment"]),
        directive_opening=re.compile(rf"^(?:{_alternation(s['directive_openings'])})(?![\wÀ-ỹ])", flags),
        directive_section=tuple(fold(x) for x in s["directive_section"]),
        adjunct=re.compile(rf"^,?\s*(?:{_alternation(a['adjunct'])})(?![\wÀ-ỹ])", flags),
        visit=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['visit'])})\s+", flags),
        closing_addressee=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['closing_addressee'])})\s+", flags),
    )


def _lookbehind_words(words) -> str:
    # fixed-width look-behinds, one per word: "(?<!bàn )(?<!được )"
    return ")(?<!".join(re.escape(w) + r"\s" for w in words)


def _starts(folded: str, prefixes) -> bool:
    return any(folded == p or folded.startswith(p + " ") for p in prefixes)


# ---------------------------------------------------------------- context
@dataclass(frozen=True)
class Lead:
    """Who a block's work goes to: the lead unit (or person) and the co-operating units."""

    assignee: str
    co: tuple[str, ...] = ()
    how: str = "named"  # where the lead came from: named, heading, plan-fields, recipients, visited, ...


@dataclass(frozen=True)
class Context:
    lead: Optional[Lead] = None
    deadline: Optional[Deadline] = None
    skip: bool = False  # under "Đánh giá chung", "Kết quả", a report's past work...
    criteria: bool = False  # items of "... thực hiện các Tiêu chí:": each names a criterion, not a unit
    directing: bool = False  # under "Nhiệm vụ, giải pháp", "Kết luận", "Tổ chức thực hiện": items are directives


@dataclass
class Env:
    notice: Notice
    units: UnitRegistry
    dates: DateContext
    cues: Cues
    is_report: bool
    issuer_lead: Optional[Lead]
    recipients_lead: Optional[Lead]
    addressee: Optional[Lead] = None  # "... yêu cầu các phòng, đơn vị thực hiện các nhiệm vụ sau:"
    visited_lead: Optional[Lead] = None  # the body a working visit's conclusions are for
    closing_lead: Optional[Lead] = None  # "... thông báo để <body> biết, thực hiện"
    tasks: list[Task] = field(default_factory=list)
    stopped: bool = False
    trace: dict[str, str] = field(default_factory=dict)  # block path → why it gave no task (rules.toml code)


@lru_cache(maxsize=1)
def _registry() -> UnitRegistry:
    return UnitRegistry.default()


@lru_cache(maxsize=4096)
def _match_prefix(text: str):
    # the same sentence start is asked about several times (lead-in, heading, sentence split)
    return _registry().match_prefix(text)


def _note(env: Env, block: Block, code: str) -> None:
    env.trace.setdefault(block.path, code)


def explain(notice: Notice) -> tuple[list[Task], dict[str, str]]:
    """The tasks, and for each block that gave none, why (a code of data/vi/rules.toml)."""
    env = _run(notice)
    return env.tasks, env.trace


def extract_tasks(notice: Notice) -> list[Task]:
    return _run(notice).tasks


def _run(notice: Notice) -> "Env":
    c = cues()
    units = _registry()
    meeting = _opening_date(notice.text[:600])
    dates = DateContext(notice_date=notice.doc_date, year=notice.year, meeting_date=meeting)
    recipients = [units.canonical(r) for r in notice.recipients if r.strip()]
    env = Env(
        notice=notice, units=units, dates=dates, cues=c,
        is_report=(notice.doc_type or "") in c.report_types,
        issuer_lead=_issuer_lead(notice, units),
        recipients_lead=Lead("; ".join(recipients), how="recipients") if recipients else None,
    )
    env.visited_lead = _visited_lead(env)
    env.closing_lead = _closing_lead(env)
    root = Context(skip=env.is_report)
    _walk_siblings(env, notice.body, root)
    return env


def _issuer_lead(notice: Notice, units: UnitRegistry) -> Optional[Lead]:
    """The issuing body; when the header does not show it, the body a report's opening names as
    reporting ("..., Ủy ban nhân dân phường X báo cáo kết quả ... như sau:")."""
    if notice.issuer:
        return Lead(units.canonical(notice.issuer), how="issuer")
    if (notice.doc_type or "") not in cues().report_types:
        return None  # only a report's own plans need their issuer
    opening = notice.text[:800]
    for mention in units.find(opening):
        if re.match(r"\s+(?:xin\s+)?báo cáo\b", opening[mention.end:]):
            return Lead(mention.canonical, how="issuer")
    return None


def _visited_lead(env: Env) -> Optional[Lead]:
    """A conclusion of a working visit ("... tại buổi làm việc với lãnh đạo tỉnh X") is for the visited
    body; "lãnh đạo tỉnh X" stands for its people's committee."""
    if (env.notice.doc_type or "") in env.cues.report_types:
        return None
    text = " ".join(filter(None, [env.notice.title, env.notice.text[:700]]))
    for m in env.cues.visit.finditer(text):
        rest = re.sub(r"(?i)^(?:tập thể\s+)?(?:lãnh đạo|ban thường vụ|thường trực)\s+", "", text[m.end():m.end() + 160])
        rest = re.sub(r"(?i)^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s", r"UBND \1 ", rest)
        got = _unit_at(env, rest, 0, allow_pos=False)
        if got:
            return Lead(env.units.canonical(got[0]), how="visited")
    return None


def _closing_lead(env: Env) -> Optional[Lead]:
    """The bodies the closing formula names ("... thông báo để UBND tỉnh X và các Bộ biết, thực hiện")."""
    tail = env.notice.text[-600:]
    found = None
    for m in env.cues.closing_addressee.finditer(tail):
        told = re.split(r"(?i)\s+(?:được\s+)?biết\b", tail[m.end():], maxsplit=1)[0]
        names = [n for n in _unit_list(env, told) if not env.units.is_collective(n)]
        if names:
            found = Lead(names[0], tuple(names[1:]), how="closing")
    return found


# ---------------------------------------------------------------- the walk
def _walk_siblings(env: Env, blocks: list[Block], ctx: Context, previous: Optional[Task] = None) -> None:
    """`previous`: the last task made at this level (or the heading's own), for carried leads and deadlines."""
    ctx, plan_group = _plan_fields(env, blocks, ctx)
    item_run: list[Task] = []  # tasks of the list items just above: a time line under a list dates them all
    for block in blocks:
        if env.stopped and _starts_attachment(env, block):
            env.stopped = False  # the plan a decision issues: its tasks follow the decision's signature
        if env.stopped or _ends_body(block):
            env.stopped = True  # "Nơi nhận:" or a signature block: nothing after is a task until an attachment
            _note(env, block, "after-signature")
            if block.children:
                _walk_siblings(env, block.children, ctx)
            continue
        if block.kind == "table":
            from extractors.task_tables import table_tasks

            env.tasks.extend(table_tasks(env, block, ctx))
            previous = None
            continue
        if _is_field(env, block.text, plan_group):
            _note(env, block, "plan-field")
            continue
        if block.kind == "paragraph" and item_run and not ctx.skip and _is_deadline_tail(env, block.text):
            for task in item_run:
                _attach_deadline(env, task, block.text)
            _note(env, block, "deadline-of-previous")
            item_run = []
            continue
        before = len(env.tasks)
        if block.kind == "heading":
            previous = _heading(env, block, ctx) or previous
        else:
            previous = _paragraph(env, block, ctx, previous)
        made = env.tasks[before:] if block.kind == "item" and not block.children else []
        item_run = item_run + made if block.kind == "item" else []
        if _END_MARK.search(block.text):
            env.stopped = True  # "./." closes the text of a notice (NĐ 30/2020): what follows is not its body


def _heading(env: Env, block: Block, ctx: Context) -> Optional[Task]:
    c = env.cues
    folded = fold(block.text)
    sub = ctx
    if sub.skip and not env.is_report and _names_directive(env, block.text):
        sub = replace(sub, skip=False)  # "2. Giao Ban Văn hóa kiểm tra ..." under "Nội dung thông báo:"
    if _starts(folded, c.report_future) and (env.is_report or ctx.skip):
        sub = replace(ctx, skip=False, lead=ctx.lead or env.issuer_lead)
    elif _starts(folded, c.section) and len(folded.split()) <= 12:
        sub = replace(ctx, skip=True)
    elif block.text.rstrip().endswith(":") and _introduces_context(env, block.text):
        sub = replace(ctx, skip=True)  # "Thành phần tham dự gồm:" set as a heading
    elif _is_directive_section(env, block.text, folded):
        sub = replace(ctx, directing=True)
    if not sub.skip and (task := _plan_item(env, block, sub)):
        return task
    if not block.children and not sub.skip and len(_assignment_sentences(env, block.text)) > 1:
        return _leaf(env, block, sub, None)  # "(2) Về ...: ... . Bộ A chịu trách nhiệm ... . Yêu cầu các Bộ ..."
    found = _lead_of(env, block.text, allow_pos=True) or _group_heading(env, block.text)
    if found:
        lead, action_at, names_end = found
        sub = replace(sub, lead=lead, deadline=_deadline(env, block.text) or sub.deadline,
                      criteria=bool(_CRITERIA_LEAD_IN.search(block.text)))
        rest = block.text[action_at:].strip(" :.-")
        said = block.text[names_end:].strip(" :.-")  # what the heading says beyond naming the unit
        if lead.how == "inside":  # "8. Thành lập Đoàn kiểm tra ... (Giao Công an tỉnh tham mưu)."
            said = block.text
        # "5. Văn phòng theo dõi, đôn đốc ..." is a task even when a closing paragraph sits under it;
        # "b) Phòng X: Chủ trì các Tiêu chí" + criteria items only leads them in
        if _is_sentence(said, 3) and not sub.skip and not block.text.rstrip().endswith(":") and not _leads_items(block):
            task = _emit(env, block, Context(lead=lead, deadline=sub.deadline), rest, shape="heading")
            _walk_siblings(env, block.children, sub, previous=task)
            return task
    elif _is_sentence(block.text, 6) and not sub.skip and not _leads_items(block) and \
            (not block.children or re.search(r"[.;!]\s*$", block.text)):
        # "3. Tổ chức trực ban 24/24 giờ ... ." is a task even when a closing paragraph sits under it;
        # a title without a full stop ("1. Quán triệt trách nhiệm người đứng đầu") heads its paragraphs
        task = _paragraph(env, block.model_copy(update={"children": []}), sub, None)
        _walk_siblings(env, block.children, sub, previous=task)
        return task
    _walk_siblings(env, block.children, sub)
    return None


def _is_directive_section(env: Env, text: str, folded: str) -> bool:
    """"II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI", "Ý KIẾN KẾT LUẬN": a short heading over directives."""
    if len(text.split()) > 14 or not (is_upper_heading(text) or text.rstrip().endswith(":") or len(text.split()) <= 8):
        return False
    words = f" {folded.replace(',', ' ')} "
    return any(f" {cue} " in words for cue in env.cues.directive_section)


def _leads_items(block: Block) -> bool:
    """A heading with items, sub-headings or a table under it introduces them rather than being a task."""
    return any(ch.kind in ("item", "heading", "table") and not _ends_body(ch) for ch in block.children)


def _paragraph(env: Env, block: Block, ctx: Context, previous: Optional[Task]) -> Optional[Task]:
    if _RECIPIENTS_LINE.match(block.text):  # "Kính gửi:" and its list are addressees, not work
        _note(env, block, "recipients")
        return previous
    if ctx.skip:
        # context weighs, it does not veto: "Giao X ...", "Đề nghị X ..." under "Nội dung:", "Kiến nghị"
        if env.is_report or not _names_directive(env, block.text):
            _note(env, block, "report-past" if env.is_report else "context-section")
            return previous
        ctx = replace(ctx, skip=False)
    if block.children:
        return _lead_in(env, block, ctx) or previous
    return _leaf(env, block, ctx, previous)


def _names_directive(env: Env, text: str) -> bool:
    """Positive evidence of an assignment: a directive word with a body right after it."""
    m = env.cues.lead_in.match(text.strip())
    if m and _unit_at(env, text.strip(), m.end(), allow_pos=False):
        return True
    inside = env.cues.directive_inside.search(text, 0, 600)
    return bool(inside and _unit_at(env, text, inside.end(), allow_pos=False))


def _lead_in(env: Env, block: Block, ctx: Context) -> Optional[Task]:
    """A paragraph or item with items under it: it gives them its unit (and its deadline), and is a task
    itself unless it only leads in ("... các nội dung sau:")."""
    text = block.text
    _note_addressee(env, text)
    if _introduces_context(env, text):  # "Thành phần tham dự:", "Kết quả đạt được:" + their lists
        _walk_siblings(env, block.children, replace(ctx, skip=True))
        return None
    found = None if ctx.criteria else _lead_of(env, text, allow_pos=True)
    sub = replace(ctx, criteria=bool(_CRITERIA_LEAD_IN.search(text)), deadline=_deadline(env, text) or ctx.deadline)
    if found:
        sub = replace(sub, lead=found[0])
    own = None
    if not text.rstrip().endswith(":") and sub.lead and not _is_background(env, text, ctx):
        own = _emit(env, block, sub, text[found[1]:] if found else text, shape="lead-in")
    _walk_siblings(env, block.children, sub)
    return own


def _introduces_context(env: Env, text: str) -> bool:
    """A lead-in whose list is context: "Thành phần tham dự:", "Kết quả đạt được:" ("Về ...:" names a topic)."""
    c = env.cues
    folded = fold(text[:120])
    if folded.startswith("vê "):
        return False
    return (_starts(folded, c.opening) or _starts(folded, c.section)) and not c.directive_inside.search(text[:160])


def _leaf(env: Env, block: Block, ctx: Context, previous: Optional[Task]) -> Optional[Task]:
    text = block.text
    reason = _background_reason(env, text, ctx)
    if reason:
        _note_addressee(env, text)
        _note(env, block, reason)
        return previous
    if previous is not None and _is_deadline_tail(env, text):
        _attach_deadline(env, previous, text)
        _note(env, block, "deadline-of-previous")
        return previous
    segments = [] if ctx.criteria else _assignment_sentences(env, text)
    if len(segments) > 1:  # "Giao Phòng A ... . Giao Công an xã ...": one task per unit told to act
        last = previous
        for segment in segments:
            last = _segment_task(env, block, ctx, segment, last) or last
        return last
    found = None if ctx.criteria else _lead_of(env, text, allow_pos=True)
    if found and _ANNOUNCES.match(text[found[2]:]):
        _note(env, block, "announces")
        return previous  # "UBND phường thông báo đến ... biết, thực hiện": the notice's own voice
    if found:
        lead, action_at, names_end = found
        action = text[action_at:].strip(" :") or text
        if not _is_sentence(text[names_end:]) or not _is_sentence(action):  # a name alone, a header line
            _note(env, block, "not-a-sentence")
            return previous
        return _emit(env, block, replace(ctx, lead=lead), action)
    lead = _implicit_lead(env, block, ctx, previous)
    if lead is None or not _reads_as_work(env, block, ctx):
        _note(env, block, "no-unit" if lead is None else "no-work-verb")
        return previous
    return _emit(env, block, replace(ctx, lead=lead), text)


_ANNOUNCES = re.compile(r"(?i)\s*(?:trân trọng\s+|kính\s+)?thông báo\b")


def _implicit_lead(env: Env, block: Block, ctx: Context, previous: Optional[Task]) -> Optional[Lead]:
    """Who does work that names nobody: the unit of the enclosing heading; for a sentence opening with a
    verb, the unit of the paragraph before, else the bodies the lead-in or Kính gửi address
    (a report's own plans: its issuer)."""
    if ctx.lead is not None:
        return ctx.lead if ctx.lead.how != "named" else replace(ctx.lead, how="heading")
    if not (_opens_with_verb(env, block.text) or ctx.directing):
        return None
    if previous is not None and block.kind == "paragraph":
        return Lead(previous.assignee, tuple(previous.co_assignees), how="previous")
    if env.is_report:
        return env.issuer_lead
    closing = env.closing_lead if ctx.directing else None  # a named body the closing formula tells to act
    addressee = replace(env.addressee, how="addressee") if env.addressee else None
    return addressee or env.visited_lead or env.recipients_lead or closing


def _reads_as_work(env: Env, block: Block, ctx: Context) -> bool:
    """A paragraph that names no unit is work only if it says what to do: a list item or criterion,
    or a sentence with an action verb ("Số: 88/TB-UBND", "An Hòa, ngày ..." are not)."""
    if ctx.criteria or block.kind == "item":
        return True
    return _is_sentence(block.text) and bool(env.cues.verb_anywhere.search(block.text))


_SENTENCE_START = re.compile(r"(?<=[.;])\s+(?=\S)")


def _assignment_sentences(env: Env, text: str) -> list[str]:
    """Split a paragraph before each later sentence that assigns a unit of its own ("Giao X ...")."""
    cuts = [0]
    for m in _SENTENCE_START.finditer(text):
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue  # inside brackets: "(Giao A chủ trì, phối hợp với B; C tham mưu)" is one aside
        rest = text[m.end():]
        lead_in = env.cues.lead_in.match(rest)
        if lead_in and _unit_at(env, rest, lead_in.end(), allow_pos=False):
            cuts.append(m.end())
        elif _acts(env, text[cuts[-1]:m.start()]) and _subject_clause(env, rest):
            cuts.append(m.end())  # "UBND các xã có trách nhiệm ...; Thủ trưởng các cơ quan chỉ đạo ..."
    if len(cuts) == 1:
        return [text]
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]


def _acts(env: Env, clause: str) -> bool:
    return any(clause[v.start()].islower() for v in env.cues.verb_anywhere.finditer(clause))


def _subject_clause(env: Env, rest: str) -> bool:
    """A clause opening with a body in the agent role and its work verb ("Thủ trưởng các cơ quan chỉ đạo ...")."""
    got = _unit_at(env, rest, 0, allow_pos=False)
    if not got:
        return False
    names_end = _with_roles(env, rest, *got)[2]
    after = _after_adjunct(env, rest[names_end:].lstrip())
    return bool(env.cues.verb.match(after))


def _segment_task(env: Env, block: Block, ctx: Context, segment: str, previous: Optional[Task]) -> Optional[Task]:
    found = _lead_of(env, segment, allow_pos=True)
    lead = found[0] if found else (ctx.lead or (Lead(previous.assignee, how="previous") if previous else None))
    if lead is None or not _is_sentence(segment):
        return None
    return _emit(env, block, replace(ctx, lead=lead), segment, dated_by=segment, shape="clause")


def _emit(env: Env, block: Block, ctx: Context, action: str, dated_by: Optional[str] = None,
          shape: str = "") -> Task:
    action = _clean_action(action)
    deadline = _deadline(env, dated_by or block.text) or ctx.deadline
    if not ctx.lead.co:  # "Chủ trì, phối hợp với các phòng chuyên môn rà soát ..." under a unit's heading
        co = _co_at_start(env, action)
        if co:
            ctx = replace(ctx, lead=replace(ctx.lead, co=tuple(co)))
    span = block.span
    if span and action in block.text:
        off = block.text.index(action)
        span = (span[0] + off, span[0] + off + len(action))
    task = Task(source=env.notice.source, assignee=ctx.lead.assignee, co_assignees=list(ctx.lead.co),
                action=action, deadline=deadline, block_path=block.path, span=span,
                rule=f"{shape or block.kind}/{ctx.lead.how}")
    env.tasks.append(task)
    return task


def _clean_action(text: str) -> str:
    text = re.sub(r"\*+|#+\s", "", text)
    text = re.sub(r"\s*\./\.?\s*$", ".", text)  # the closing "./." of a notice's last sentence
    text = re.sub(r"\s+", " ", text).strip(" -+•:;")
    return text[:1].upper() + text[1:] if text else text


def _attach_deadline(env: Env, task: Task, text: str) -> None:
    deadline = _deadline(env, text)
    if deadline and not task.deadline:
        i = next(i for i in range(len(env.tasks) - 1, -1, -1) if env.tasks[i] is task)
        env.tasks[i] = task.model_copy(update={"deadline": deadline})


def _opening_date(text: str):
    try:
        return opening_date(text) if text else None
    except Exception:  # no meeting date is a smaller loss than no tasks
        return None


def _deadline(env: Env, text: str) -> Optional[Deadline]:
    try:
        return task_deadline(text, env.dates)
    except Exception:  # a date the deadline module cannot place is no deadline, not a crash
        return None


# ---------------------------------------------------------------- classification
_CRITERIA_LEAD_IN = re.compile(r"(?i)(?:tiêu chí|chỉ tiêu|chỉ số)\s*(?:sau)?\s*(?:như sau)?\s*:?\s*$")
_RECIPIENTS_LINE = re.compile(r"(?i)^kính gửi\b")
_BODY_END = re.compile(r"(?i)^(?:nơi nhận|(?:tm|kt|tl|tuq|q)\.\s+\S)")


_END_MARK = re.compile(r"\./\.?\s*$")
_ATTACHED = re.compile(r"(?i)^\(?\s*(?:ban hành\s+)?kèm theo\b")


def _starts_attachment(env: Env, block: Block) -> bool:
    """"KẾ HOẠCH" / "PHỤ LỤC" in capitals, or "(Kèm theo Quyết định số ...)": a document attached after the signature."""
    text = block.text.strip()
    if block.kind == "table" or not text:
        return False
    if _ATTACHED.match(text):
        return True
    first_line = text.split("\n")[0]
    return is_upper_heading(first_line) and len(first_line.split()) <= 8 and \
        _starts(fold(first_line), env.cues.attachment)


def _ends_body(block: Block) -> bool:
    if block.kind == "table":  # "Nơi nhận | TM. ỦY BAN NHÂN DÂN" laid out as a table
        first = next((c for row in block.rows or [] for c in row if c.strip()), "")
        return bool(_BODY_END.match(first.strip().lstrip("*_ ")))
    return bool(_BODY_END.match(block.text.strip()))


_LEAD_IN_END = re.compile(r"(?i)(?:sau|như sau|cụ thể|cụ thể như sau|sau đây)\s*:?\s*$|:\s*$")


def _note_addressee(env: Env, text: str) -> None:
    """The bodies a lead-in addresses are the assignee of later work that names nobody."""
    if _LEAD_IN_END.search(text) and env.cues.directive_inside.search(text):
        found = _lead_of(env, text)
        if found:
            env.addressee = found[0]


def _is_sentence(text: str, min_words: int = 3) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(text.split()) >= min_words and upper < 0.6 * max(1, len(letters))


def _opens_with_verb(env: Env, text: str) -> bool:
    return bool(env.cues.verb.match(text.strip()))


def _is_background(env: Env, text: str, ctx: Context) -> bool:
    return _background_reason(env, text, ctx) is not None


def _background_reason(env: Env, text: str, ctx: Context) -> Optional[str]:
    """Openings, assessments, past work, closing formulae: context, not tasks. Returns why (a code of
    data/vi/rules.toml), or None for a paragraph that may be work."""
    c = env.cues
    folded = fold(text[:200])  # openings are matched on the first words only
    head = text[:160]
    directive = c.directive_inside.search(head)
    if text.rstrip().endswith(":"):  # a lead-in whose items did not nest under it
        return "lead-in-alone"
    received = c.received.search(head)
    if received and not c.lead_in.match(text) and not _directs_before(env, text, received.start()):
        return "petition"  # "... nhận được đơn của ông A đề nghị ...": the citizen asks
    if c.preamble.match(text):  # "Căn cứ Luật ...", "Xét đề nghị của ...": the decision's bases
        return "preamble"
    if _starts(folded, c.opening) and not directive and not _directs_after_opening(env, text, ctx):
        return "opening"
    # "Thực hiện Công văn số ..." opens a notice; under a unit's heading it is that unit's work
    if ctx.lead is None and c.opening_reference.match(text) and not directive:
        return "reference"
    if c.past_issued.match(text):
        return "past"
    first_words = " ".join(text.split()[:8])
    if ctx.lead is None and c.past.search(first_words) and not directive and not _opens_with_verb(env, text):
        return "past"
    if _is_closing(env, text, folded):
        return "closing"
    return None


def _directs_before(env: Env, text: str, end: int) -> bool:
    """"UBND tỉnh yêu cầu UBND huyện X giải quyết đơn của ông A": the directive comes before the petition."""
    inside = env.cues.directive_inside.search(text, 0, end)
    return bool(inside and _unit_at(env, text, inside.end(), allow_pos=False))


def _directs_after_opening(env: Env, text: str, ctx: Context) -> bool:
    """Context cues weigh, they do not veto: "Trên cơ sở ..., khẩn trương rà soát ..." under a directing
    heading or a unit is work; so is "Qua rà soát, ...; UBND xã giao X hướng dẫn ..." anywhere."""
    inside = env.cues.directive_inside.search(text, 0, 600)
    if inside and _unit_at(env, text, inside.end(), allow_pos=False):
        return True
    if env.cues.directive_opening.match(text) and _agent_after_opening(env, text):
        return True
    if not (ctx.directing or ctx.lead is not None) or not env.cues.directive_opening.match(text):
        return False
    comma = text.find(",")
    return comma > 0 and any(text[v.start()].islower() for v in env.cues.verb_anywhere.finditer(text, comma, comma + 200))


def _agent_after_opening(env: Env, text: str) -> Optional[tuple[Lead, int, int]]:
    """"Trên cơ sở đề nghị của UBND các huyện, Sở Xây dựng chủ trì, phối hợp ... lập Đề án": after the
    opening clause, a body in the agent role followed by its (not past) work verb."""
    for comma in re.finditer(r",\s*", text[:400]):
        rest = text[comma.end():]
        got = _unit_at(env, rest, 0, allow_pos=False)
        if not got:
            continue
        found = _with_roles(env, rest, *got)
        after = _after_adjunct(env, rest[found[2]:].lstrip())
        if env.cues.verb.match(after) and not env.cues.lead_in.match(after):
            lead, action_at, names_end = found
            return lead, comma.end() + action_at, comma.end() + names_end
    return None


def _is_closing(env: Env, text: str, folded: str) -> bool:
    # The last words of a notice: "... thông báo để các đơn vị biết, thực hiện./."
    if _starts(folded, env.cues.closing_start):
        return True
    if not re.search(r"\./?\.?\s*$", text) or "./" not in text[-4:]:
        return False
    folded = fold(text)
    deadline = _deadline(env, text)
    return any(cue in folded for cue in env.cues.closing) and (deadline is None or deadline.due is None)


def _is_deadline_tail(env: Env, text: str) -> bool:
    """A short line that only sets the time of the task before it."""
    c = env.cues
    if len(text.split()) > 30 or not is_deadline_sentence(text):
        return False
    if c.time_field.match(text):
        return True
    folded = fold(text)
    return folded.startswith(("hoan thanh", "đê nghi cac đơn vi hoan thanh", "yêu câu hoan thanh", "hoàn thành"))


def _is_field(env: Env, text: str, plan_group: bool) -> bool:
    """A plan's field line; a lone "Thời hạn: ..." outside a plan section is the deadline of the task before."""
    c = env.cues
    return bool(c.lead_field.match(text) or c.co_field.match(text)
                or (plan_group and c.time_field.match(text) and ":" in text[:40] and len(text.split()) <= 25))


def _plan_item(env: Env, block: Block, ctx: Context) -> Optional[Task]:
    """A plan's item whose sub-lines are only fields ("1. Tuyên truyền ..." / "- Nội dung: ..." /
    "- Đơn vị chủ trì: X" / "- Thời gian thực hiện: ..."): one task, the heading and its content."""
    fields_ctx, has_fields = _plan_fields(env, block.children, ctx)
    if not has_fields or fields_ctx.lead is None:
        return None
    c = env.cues
    content = []
    for child in block.children:
        m = c.content_field.match(child.text)
        if m:
            content.append(child.text[m.end():].strip())
        elif not _is_field(env, child.text, True):
            return None  # real sub-items: they are the tasks
    action = block.text.rstrip(" .:") + (": " + "; ".join(content) if content else "")
    return _emit(env, block, fields_ctx, action, shape="plan-item")


def _plan_fields(env: Env, blocks: list[Block], ctx: Context) -> tuple[Context, bool]:
    """A plan's section: items, then "Cơ quan chủ trì: X", "Cơ quan phối hợp: Y", "Thời gian thực hiện: Z".
    Returns the context for the section's items and whether the section has such fields."""
    c = env.cues
    lead, co, deadline = None, [], None
    for b in blocks:
        if b.kind == "table":
            continue
        m = c.lead_field.match(b.text)
        if m:
            value = b.text[m.end():].strip(" .;")
            names = _unit_list(env, value) or ([env.units.canonical(value)] if value else [])
            if names:
                lead = names[0]
                co.extend(names[1:])
        m = c.co_field.match(b.text)
        if m:
            value = b.text[m.end():].strip(" .;")
            co.extend(_unit_list(env, value) or ([env.units.canonical(value)] if value else []))
        m = c.time_field.match(b.text)
        if m and ":" in b.text[:40]:
            deadline = _deadline(env, b.text) or deadline
    if lead is None and not co:
        return ctx, False
    new_lead = Lead(lead, tuple(co), how="plan-fields") if lead else (replace(ctx.lead, co=tuple(co)) if ctx.lead else None)
    return replace(ctx, lead=new_lead, deadline=deadline or ctx.deadline), True


# ---------------------------------------------------------------- who
_GROUP = re.compile(r"(?i)^(?:tất cả\s+)?các\s+\S")


def _group_heading(env: Env, text: str) -> Optional[tuple[Lead, int, int]]:
    """A short heading naming a group of bodies ("3. Các bệnh viện", "Các trường học:")."""
    name = text.strip().rstrip(":. ")
    if _GROUP.match(name) and len(name.split()) <= 8 and not _iter_verbs(env, name, len(name)):
        return Lead(env.units.canonical(name)), len(text), len(text)
    return None


def _lead_of(env: Env, text: str, allow_pos: bool = False) -> Optional[tuple[Lead, int, int]]:
    """The lead a paragraph names for itself, where its action starts, and where the names end."""
    c = env.cues
    text = text.strip()
    m = c.lead_in.match(text)
    if m:
        # only "Giao X ..." is sure to name a body next ("Yêu cầu các nhiệm vụ phải ..." does not)
        handing = fold(m.group(0)).split()[-1] in ("giao", "cho", "công")
        got = _unit_at(env, text, m.end(), allow_pos=allow_pos and handing)
        if got:
            return _with_roles(env, text, *got)
    about = c.about.match(text)  # "Đối với Phòng Kinh tế: ..."
    got = _unit_at(env, text, about.end() if about else 0, allow_pos=False)
    if got:
        found = _with_roles(env, text, *got)  # "Sở A; UBND các huyện tiếp tục ...": every body named first
        after = _after_adjunct(env, text[found[2]:].lstrip())
        if after.startswith(":") or c.verb.match(after) or not after:
            return found
    # "Để ..., Chủ tịch UBND xã yêu cầu các phòng chuyên môn tập trung ..."; "UBND tỉnh yêu cầu X ...";
    # "(Giao Công an tỉnh chủ trì, ...)" closing an item
    for m in c.lead_in_inside.finditer(text, 0, 1500):
        got = _unit_at(env, text, m.end(), allow_pos=False)
        if got:
            lead, action_at, names_end = _with_roles(env, text, *got)
            return (replace(lead, how="inside") if m.start() > 0 else lead), action_at, names_end
    if env.cues.directive_opening.match(text):
        return _agent_after_opening(env, text)
    return None


def _after_adjunct(env: Env, after: str) -> str:
    """Skip "theo chức năng, nhiệm vụ được giao" between a body and its verb, up to the first verb."""
    if not env.cues.adjunct.match(after):
        return after
    for v in env.cues.verb_anywhere.finditer(after, 0, 200):
        if after[v.start()].islower() and not re.search(r"(?i)(?:được|đã)\s+$", after[:v.start()]):
            return after[v.start():]
    return after


def _with_roles(env: Env, text: str, name: str, end: int) -> tuple[Lead, int, int]:
    """Split "X, Y chủ trì, phối hợp với Z, W: ..." into the lead and co-operating units."""
    c = env.cues
    leads = [name]
    rest = text[end:]
    # several leads: "Giao Sở A, Sở B, Đài C phối hợp ..." → the first leads, the rest co-operate
    while True:
        m = re.match(r"\s*(?:,|và|;)\s*", rest)
        if not m:
            break
        got = _unit_at(env, rest, m.end(), allow_pos=False)
        if not got:
            break
        leads.append(got[0])
        end += got[1]
        rest = text[end:]
    co = list(leads[1:])
    m = c.co_role.search(text, end, min(len(text), end + 120))
    if m and m.start() - end < 60:
        co.extend(x for x in _unit_list(env, text[m.end():]) if x not in co and x != name)
    # the action starts after "X:" / "Giao X chủ trì:"; otherwise the sentence is kept whole,
    # since where an unknown name ends is a guess and the action must not lose words
    action_at = 0
    role = re.match(r"\s*(?:chủ trì|thực hiện|là đơn vị chủ trì)?\s*:\s*", text[end:], re.IGNORECASE)
    if role:
        action_at = end + role.end()
    return Lead(name, tuple(co)), action_at, end


_LEAD_ROLE_START = re.compile(r"(?i)^(?:là đơn vị |là cơ quan )?chủ trì\s*,?\s*")


def _co_at_start(env: Env, action: str) -> list[str]:
    """Co-operating units the task's own words name: "Chủ trì, phối hợp với X, Y ...",
    "...; đồng thời phối hợp với Z xây dựng ..."."""
    for co in env.cues.co_role.finditer(action):
        if not re.search(r"(?i)\s(?:với|cùng)\s*$", co.group(0)) and not _LEAD_ROLE_START.match(action):
            continue  # a bare "phối hợp" names its partners only right after "chủ trì"
        names = _unit_list(env, action[co.end():])
        if names:
            return names
    return []


def _unit_list(env: Env, text: str) -> list[str]:
    """Units named one after another at the start of `text` ("Phòng A, Phòng B và các đơn vị liên quan")."""
    names, pos = [], 0
    while pos < len(text):
        got = _unit_at(env, text, pos, allow_pos=False)
        if not got:
            break
        names.append(got[0])
        pos = got[1]
        m = re.match(r"\s*(?:,|;|và|với)\s*", text[pos:])
        if not m:
            break
        pos += m.end()
    return names


def _unit_at(env: Env, text: str, pos: int, allow_pos: bool) -> Optional[tuple[str, int]]:
    """The unit (or person) named at text[pos:]: its canonical name and where the name ends.
    `allow_pos`: after "Giao", an unknown capitalised body may be cut out by the POS tagger."""
    c = env.cues
    pos += len(text[pos:]) - len(text[pos:].lstrip())
    rest = text[pos:]
    m = c.recipients_bare.match(rest)
    if m and env.recipients_lead:  # "Yêu cầu các đồng chí sắp xếp ...": the people in Kính gửi
        return env.recipients_lead.assignee, pos + m.end()
    m = c.person.match(rest)
    if m and (person := _person_name(env, rest[m.end():])):
        return person[0], pos + m.end() + person[1]
    m = c.recipients.match(rest)
    if m:  # "Quý cơ quan" = the bodies in Kính gửi
        return (env.recipients_lead.assignee if env.recipients_lead else clean(m.group(0))), pos + m.end()
    m = c.titles.match(rest)
    if m and (got := _unit_at(env, text, pos + m.end(), allow_pos=False)):
        return got  # "Giám đốc Sở Y tế" → Sở Y tế; "Chủ tịch UBND huyện X" → UBND huyện X
    if c.collective.match(rest) and (end := _phrase_end(env, rest)):
        return clean(rest[:end]), pos + end  # a group is kept as written
    got = _known_unit(env, rest) or _headed_unit(env, rest, allow_pos and pos > 0)
    if got:
        return got[0], pos + got[1]
    if allow_pos and pos > 0 and rest[:1].isupper() and not is_upper_heading(rest.split("\n")[0][:60]):
        # (a heading in capitals, "PHÂN CÔNG NHIỆM VỤ", names no body: no need to load the tagger)
        got = _tagged_unit(env, rest)
        return (got[0], pos + got[1]) if got else None
    return None


_NAME_SPAN = 160  # no body's name is longer; the registry need not read the whole paragraph


def _known_unit(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """A name the registry knows, or the longer name written around it."""
    mention = _match_prefix(rest[:_NAME_SPAN])
    if not mention or mention.end <= 0:
        return None
    end = _mention_end(rest, mention.end)
    longer = _phrase_end(env, rest, verbs_in_names=False)  # a known name is not lengthened by a verb
    tail = rest[longer:].lstrip()
    verb_next = bool(env.cues.verb.match(tail)) and not tail.startswith(",")
    if end < longer and _extends_name(rest[end:longer], verb_next):
        # "Phòng Nông nghiệp" is known, "Phòng Nông nghiệp và Môi trường" is what is written
        return env.units.canonical(rest[:longer]), longer
    return mention.canonical, end


def _headed_unit(env: Env, rest: str, may_tag: bool) -> Optional[tuple[str, int]]:
    """An unknown name opening with a body's head noun ("Ban ...", "Hợp tác xã ..."), cut before its verb."""
    if not env.cues.unit_head.match(rest):
        return None
    end = _phrase_end(env, rest)
    sentence_end = len(re.split(r"[.;:]", rest, maxsplit=1)[0].rstrip())
    words = len(rest[:end].split())
    swallowed = end >= sentence_end - 3 and words > 8  # the verb was missed: let the tagger find it
    if end and not (swallowed and may_tag) and words <= 14:
        return env.units.canonical(rest[:end]), end
    return None


def _tagged_unit(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """An unknown body after "Giao" ("Giao Hạt Kiểm lâm ..."): the noun phrase before the first verb."""
    if env.cues.collective.match(rest):
        return None
    from extractors.nlp import noun_phrase_before_verb

    phrase = noun_phrase_before_verb(re.split(r"[.;:]", rest, maxsplit=1)[0])
    if phrase and len(phrase.split()) <= 12 and rest.startswith(phrase.split()[0]):
        end = _locate_phrase(rest, phrase)
        if end:
            return env.units.canonical(rest[:end]), end
    return None


_NOT_IN_NAMES = re.compile(r"(?i)(?<![\wÀ-ỹ])(?:về|trong|tại|cho|của|với|để|theo|nhằm|đối với)(?![\wÀ-ỹ])")


def _mention_end(rest: str, end: int) -> int:
    # a name never runs over a colon or semicolon ("Trạm Y tế phường: Chủ trì ...")
    m = re.search(r"\s*[:;]", rest[:end])
    return m.start() if m else end


_LOCALITY_WORD = re.compile(r"(?i)^(?:và\s+)?(?:các\s+)?(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)\b")


def _extends_name(extra: str, verb_next: bool = False) -> bool:
    """Words after a known name that still belong to it: "và Môi trường", "các huyện, thị xã, thành phố"."""
    words = extra.split()
    if not 0 < len(words) <= 8 or _NOT_IN_NAMES.search(extra) or re.search(r"[:;.]", extra):
        return False
    if re.search(r"\ssố\s+\d+$", extra.rstrip()):  # "... xây dựng số 1": a numbered body's name
        return True
    parts = [p.strip() for p in extra.split(",")]
    if re.search(r"(?i)(?<![\wÀ-ỹ])(?:các|và (?:phòng|văn phòng|trung tâm|công an|trạm|ban|đài|sở|ubnd|ủy ban))(?![\wÀ-ỹ])",
                 extra) and not _LOCALITY_WORD.match(parts[0]):
        return False  # "Phòng A và các đơn vị liên quan", "Phòng A và Phòng B": two names, not one
    if len(parts) > 1:
        return all(_LOCALITY_WORD.match(p) for p in parts[1:])
    # beyond a known name, lower-case words are the action ("Phòng Kinh tế | kiểm kê ...") unless the
    # extension is a proper name ("và Môi trường", "- Xã hội") or ends at a locality ("đầu tư xây dựng huyện")
    first = re.sub(r"^(?:và|-|&)\s+", "", extra.strip())
    if verb_next and len(words) <= 2:  # "Chi cục Thuế khu vực | phối hợp ...": a short tail right before the verb
        return True
    return first[:1].isupper() or bool(re.search(r"(?i)(?<![\wÀ-ỹ])(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)"
                                                 r"(?:\s+(?:-\s+)?" + _CAP + r")*\s*$", extra.strip()))


def _locate_phrase(rest: str, phrase: str) -> int:
    # pos_tag joins syllables of a word with spaces or underscores: map back by syllable count
    syllables = len(phrase.replace("_", " ").split())
    m = re.match(r"(?:\S+\s+){%d}" % (syllables - 1) + r"\S+", rest)
    return len(m.group(0).rstrip(",;:")) if m else 0


def _phrase_end(env: Env, rest: str, verbs_in_names: bool = True) -> int:
    """Where a unit's noun phrase ends: before the first action verb, ':' or end of clause."""
    stop = len(rest)
    m = re.search(r"[:;.(]", rest)
    if m:
        stop = m.start()
    p = _NOT_IN_NAMES.search(rest, 1, stop)  # "các phòng chuyên môn trong việc ...": a preposition ends it
    if p and rest[p.start()].islower():
        stop = p.start()
    # a capitalised verb inside a name is part of it: "Sở Xây dựng", "Ban Quản lý dự án"
    for v in _iter_verbs(env, rest, stop):
        if _listed_noun(rest, v):
            continue  # "các cơ quan, tổ chức có liên quan": "tổ chức" is a noun in a list
        if rest[v.start()].islower() and not _LOCALITY_AFTER.match(rest, v.end()) \
                and not (verbs_in_names and _verb_in_name(env, rest, v)) \
                and not (env.cues.verb_in_names.match(v.group(0)) and _NUMBERED.match(rest, v.end())):
            stop = v.start()
            break
    if not env.cues.collective.match(rest):
        # "Phòng A, Phòng B" / "Mặt trận Tổ quốc và các đoàn thể": a comma or "và" before another body's name
        # (a head noun written with its capital, or "các", "UBND") closes this one
        for m in _JOINER.finditer(rest, 0, stop):
            nxt = rest[m.end():]
            if re.match(r"(?i)(?:các|ubnd|ủy ban|uỷ ban)\s", nxt) or (nxt[:1].isupper() and env.cues.unit_head.match(nxt)):
                stop = m.start()
                break
    if not env.cues.collective.match(rest):
        # a proper name closes the body's name: "Hợp tác xã Thành Công | thu gom rác thải"
        m = _PROPER_THEN_LOWER.search(rest, 0, stop)
        if m:
            stop = m.end(1)
    return len(rest[:stop].rstrip(" ,"))


_JOINER = re.compile(r"\s*,\s*|\s+và\s+")
_CAP = r"[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][\wÀ-ỹ]*"
_PROPER_THEN_LOWER = re.compile(
    rf"\s({_CAP}(?:\s+{_CAP})+)(?=\s+(?!(?:và|huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã|cũ|mới)(?![\wÀ-ỹ]))"
    r"[a-zđà-ỹ])")


# "Ban Quản lý dự án đầu tư xây dựng huyện": a verb followed closely by a locality word is inside the name
_LOCALITY_AFTER = re.compile(r"(?i)\s+(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)(?![\wÀ-ỹ])")


_NUMBERED = re.compile(r"\s+số\s+\d+\b")


_LISTED_AFTER = re.compile(r"\s*(?:,|;|và\b|có liên quan\b|liên quan\b|$)")


def _listed_noun(rest: str, v: re.Match) -> bool:
    return rest[:v.start()].rstrip().endswith(",") and bool(_LISTED_AFTER.match(rest, v.end()))


def _verb_in_name(env: Env, rest: str, v: re.Match) -> bool:
    """"Trung tâm Dịch vụ tổng hợp chuẩn bị ...": a verb that names bodies' work ("tổng hợp", "xây dựng")
    right before another verb is part of the name."""
    if not env.cues.verb_in_names.match(v.group(0)):
        return False
    if _NUMBERED.match(rest, v.end()):  # "Ban Quản lý dự án đầu tư xây dựng số 1": a numbered body
        return True
    return bool(env.cues.verb.match(rest[v.end():].lstrip(" "))) and not rest[v.end():].lstrip(" ").startswith(",")


_PASSIVE_BEFORE = re.compile(r"(?i)(?:được|đã|bị)\s+$")
_BODY_NOUN_BEFORE = re.compile(r"(?i)(?:đơn vị|cơ quan|bộ phận)\s+$")


def _word_before(pattern: re.Pattern, text: str, end: int) -> bool:
    """`pattern` (a word, then spaces to the end) matches just before `end`. Only the words next to
    `end` are searched: a search over the whole prefix made long paragraphs cost quadratic time."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return pattern.search(text, max(0, start - 16), end) is not None


def _iter_verbs(env: Env, rest: str, stop: int):
    c = env.cues
    hits = [m for m in c.verb_anywhere.finditer(rest, 1, stop)] + [m for m in c.directive_inside.finditer(rest, 1, stop)]
    # "đơn vị được giao nhiệm vụ", "được phân công": a passive verb belongs to the noun phrase
    hits = [m for m in hits if not _word_before(_PASSIVE_BEFORE, rest, m.start())]
    # "các đơn vị chủ trì", "cơ quan phối hợp": a role after a body's noun names the body
    hits = [m for m in hits if not (_word_before(_BODY_NOUN_BEFORE, rest, m.start())
                                    and env.cues.roles.match(m.group(0)))]
    return sorted(hits, key=lambda m: m.start())


_NAME_WORD = r"[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][a-zà-ỹđ]+"
_PERSON = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}")


def _person_name(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """"Lưu Thị Tươi - Phó Chủ tịch UBND xã chủ trì ..." → ("Lưu Thị Tươi", end of the title);
    "Phó Chủ tịch UBND xã Trần Văn B chỉ đạo ..." → the name after the title; with no name, the title."""
    t = env.cues.titles.match(rest)
    if t:
        stop = _first_verb(env, rest, t.end())
        m = _PERSON.search(rest, t.end(), stop)
        if not m:
            title = rest[:stop].strip(" ,-")
            return (clean(title), stop) if title else None
        return m.group(0), m.end()
    m = _PERSON.match(rest)
    if m:
        name, end = m.group(0), m.end()
    else:  # lower-cased or unusual names: the CRF NER
        from extractors.nlp import person_names

        names = person_names(rest[:80])
        if not names or not rest.startswith(names[0].split()[0]):
            return None
        name = names[0]
        end = len(name)
    title = re.match(r"\s*[-,]\s*", rest[end:])  # "- Phó Chủ tịch UBND xã" up to the verb
    if title:
        end = _first_verb(env, rest, end + title.end())
    return name, end


def _first_verb(env: Env, text: str, start: int) -> int:
    stop = len(text)
    m = re.search(r"[:;.(,]", text[start:])
    if m:
        stop = start + m.start()
    for v in env.cues.verb_anywhere.finditer(text, start, stop):
        if text[v.start()].islower():
            return v.start()
    return stop
