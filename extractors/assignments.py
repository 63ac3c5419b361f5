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
from dataclasses import replace
from typing import Optional

from extractors.assignment_context import (
    Context,
    Env,
    Lead,
    clean_action,
    note,
    task_deadline_of,
)
from extractors.cues import cues, starts
from extractors.deadlines import DateContext, is_deadline_sentence, opening_date
from extractors.leads import (
    after_adjunct,
    agent_after_opening,
    co_at_start,
    group_heading,
    is_issuer,
    issuer_acts_after_opening,
    lead_of,
    own_requirement,
    with_roles,
)
from extractors.models import Block, Notice, Task
from extractors.task_tables import table_tasks
from extractors.textnorm import fold, is_upper_heading
from extractors.unit_names import registry, unit_at, unit_list
from extractors.units import UnitRegistry


def prepare() -> None:
    """Load the cue patterns and the unit registry now (a worker does it once, before its first notice)."""
    cues()
    registry()


def explain(notice: Notice) -> tuple[list[Task], dict[str, str]]:
    """The tasks, and for each block that gave none, why (a code of data/vi/rules.toml)."""
    env = _run(notice)
    return env.tasks, env.trace


def extract_tasks(notice: Notice) -> list[Task]:
    return _run(notice).tasks


def _run(notice: Notice) -> "Env":
    c = cues()
    units = registry()
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
    """A conclusion of a working visit ("... làm việc với lãnh đạo huyện Y") is for the visited
    body; "lãnh đạo tỉnh X" stands for its people's committee."""
    if (env.notice.doc_type or "") in env.cues.report_types:
        return None
    text = " ".join(filter(None, [env.notice.title, env.notice.text[:700]]))
    for m in env.cues.visit.finditer(text):
        rest = re.sub(r"(?i)^(?:tập thể\s+)?(?:lãnh đạo|ban thường vụ|thường trực)\s+", "", text[m.end():m.end() + 160])
        rest = re.sub(r"(?i)^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s", r"UBND \1 ", rest)
        got = unit_at(env, rest, 0, allow_pos=False)
        if got:
            return Lead(env.units.canonical(got[0]), how="visited")
    return None


def _closing_lead(env: Env) -> Optional[Lead]:
    """The bodies the closing formula names ("... thông báo để UBND tỉnh X và các Bộ biết, thực hiện")."""
    tail = env.notice.text[-600:]
    found = None
    for m in env.cues.closing_addressee.finditer(tail):
        told = re.split(r"(?i)\s+(?:được\s+)?biết\b", tail[m.end():], maxsplit=1)[0]
        names = [n for n in unit_list(env, told) if not env.units.is_collective(n)]
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
            note(env, block, "after-signature")
            if block.children:
                _walk_siblings(env, block.children, ctx)
            continue
        if block.kind == "table":
            env.tasks.extend(table_tasks(env, block, ctx))
            previous = None
            continue
        if _is_field(env, block.text, plan_group) or _field_heading(env, block):
            note(env, block, "plan-field")
            continue
        if block.kind == "paragraph" and item_run and not ctx.skip and _is_deadline_tail(env, block.text):
            for task in item_run:
                _attach_deadline(env, task, block.text)
            note(env, block, "deadline-of-previous")
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
        sub = replace(sub, skip=False)  # "2. Giao Ban Văn hóa kiểm tra ..." under a "Nội dung:" heading
    if starts(folded, c.report_future) and (env.is_report or ctx.skip):
        sub = replace(ctx, skip=False, lead=ctx.lead or env.issuer_lead)
    elif starts(folded, c.section) and len(folded.split()) <= 12:
        sub = replace(ctx, skip=True)
    elif block.text.rstrip().endswith(":") and _introduces_context(env, block.text):
        sub = replace(ctx, skip=True)  # "Thành phần tham dự gồm:" set as a heading
    elif _is_directive_section(env, block.text, folded):
        sub = replace(ctx, directing=True)
    if not sub.skip and (task := _plan_item(env, block, sub)):
        return task
    if not block.children and not sub.skip and len(_assignment_sentences(env, block.text)) > 1:
        return _leaf(env, block, sub, None)  # "(2) Về ...: ... . Bộ A chịu trách nhiệm ... . Yêu cầu các Bộ ..."
    found = lead_of(env, block.text, allow_pos=True) or group_heading(env, block.text)
    if found:
        lead, action_at, names_end = found
        sub = replace(sub, lead=lead, deadline=task_deadline_of(env, block.text) or sub.deadline,
                      criteria=bool(_CRITERIA_LEAD_IN.search(block.text)))
        rest = block.text[action_at:].strip(" :.-")
        said = block.text[names_end:].strip(" :.-")  # what the heading says beyond naming the unit
        if lead.how == "inside":  # "8. Thành lập Đoàn kiểm tra ... (Giao Công an tỉnh tham mưu)."
            said = block.text
        # "5. Văn phòng theo dõi, đôn đốc ..." is a task even when a closing paragraph sits under it;
        # "b) Phòng X: Chủ trì các Tiêu chí" + criteria items only leads them in
        if _is_sentence(said, 3) and not sub.skip and not block.text.rstrip().endswith(":") and not _leads_items(block):
            task = _emit_clauses(env, block, Context(lead=lead, deadline=sub.deadline), rest, shape="heading",
                                 keep=max(0, names_end - action_at))
            _walk_siblings(env, block.children, sub, previous=task)
            return task
        if _is_sentence(said, 6) and not sub.skip and re.search(r"\.\s*$", block.text) \
                and not _LEAD_IN_END.search(block.text.rstrip(" .")):
            # "2. Giao Trung tâm Y tế chủ trì ... đăng ký xây dựng mô hình theo quy định." + a) b): a full sentence
            # is a task; the items under it say more of the same unit's work
            task = _emit_clauses(env, block, Context(lead=lead, deadline=sub.deadline), rest, shape="heading",
                                 keep=max(0, names_end - action_at))
            _walk_siblings(env, block.children, sub, previous=task)
            return task
        head = None if sub.skip else _work_before_lead_in(env, block.text)
        if head and not _is_background(env, head, sub):  # "2. Bộ X ... trước ngày 20/10. Trong đó chú ý ... sau:"
            task = _emit(env, block, Context(lead=lead, deadline=sub.deadline), head[action_at:] if action_at < len(head)
                         else head, dated_by=head, shape="heading")
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
    """"III. NHIỆM VỤ TRỌNG TÂM QUÝ TỚI", "Ý KIẾN KẾT LUẬN": a short heading over directives."""
    if len(text.split()) > 14 or not (is_upper_heading(text) or text.rstrip().endswith(":") or len(text.split()) <= 8):
        return False
    words = f" {folded.replace(',', ' ')} "
    return any(f" {cue} " in words for cue in env.cues.directive_section)


def _leads_items(block: Block) -> bool:
    """A heading with items, sub-headings or a table under it introduces them rather than being a task
    (what follows the signature block under the last item, an appendix's table, is not its content)."""
    for ch in block.children:
        if _ends_body(ch) or (ch.kind == "paragraph" and _END_MARK.search(ch.text)):
            return False  # "Nơi nhận", or the "./." that closes the text
        if ch.kind in ("item", "heading", "table") and not _NOTE.match(ch.text):
            return True
    return False


_NOTE = re.compile(r"(?i)^\W*(?:lưu ý|chú ý|ghi chú)\b")  # "* Lưu ý: ..." under an item is a note, not a sub-item
_LETTER = re.compile(r"[^\W\d_]")


def _paragraph(env: Env, block: Block, ctx: Context, previous: Optional[Task]) -> Optional[Task]:
    if _RECIPIENTS_LINE.match(block.text):  # "Kính gửi:" and its list are addressees, not work
        note(env, block, "recipients")
        return previous
    if not block.children and not _LETTER.search(block.text):  # a rule "---" read as a "-" item: no words, no work
        note(env, block, "not-a-sentence")
        return previous
    if ctx.skip:
        # context weighs, it does not veto: "Giao X ...", "Đề nghị X ..." under "Nội dung:", "Kiến nghị"
        if env.is_report or not _names_directive(env, block.text):
            note(env, block, "report-past" if env.is_report else "context-section")
            return previous
        ctx = replace(ctx, skip=False)
    if block.children and _CLOSES_TEXT.search(block.text):
        # the closing "... biết, thực hiện./." ends the text: the lines a layout nested under it ("- Như thành
        # phần dự họp;", "- Lưu: VT.") are the Nơi nhận, not its items
        for child in block.children:
            note(env, child, "after-signature")
        return _leaf(env, block.model_copy(update={"children": []}), ctx, previous)
    if block.children:
        return _lead_in(env, block, ctx) or previous
    return _leaf(env, block, ctx, previous)


def _names_directive(env: Env, text: str) -> bool:
    """Positive evidence of an assignment: a directive word with a body right after it."""
    m = env.cues.lead_in.match(text.strip())
    if m and unit_at(env, text.strip(), m.end(), allow_pos=False):
        return True
    inside = env.cues.directive_inside.search(text, 0, 600)
    return bool(inside and unit_at(env, text, inside.end(), allow_pos=False))


def _lead_in(env: Env, block: Block, ctx: Context) -> Optional[Task]:
    """A paragraph or item with items under it: it gives them its unit (and its deadline), and is a task
    itself unless it only leads in ("... các nội dung sau:")."""
    text = block.text
    _note_addressee(env, text)
    if _introduces_context(env, text):  # "Thành phần tham dự:", "Kết quả đạt được:" + their lists
        _walk_siblings(env, block.children, replace(ctx, skip=True))
        return None
    found = None if ctx.criteria else lead_of(env, text, allow_pos=True)
    sub = replace(ctx, criteria=bool(_CRITERIA_LEAD_IN.search(text)), deadline=task_deadline_of(env, text) or ctx.deadline)
    if found:
        sub = replace(sub, lead=found[0])
    own = None
    parts = _LISTS_PARTS.search(text)  # "Lập hồ sơ ..., bao gồm:" + the papers: one task, its parts below
    if (parts or not text.rstrip().endswith(":")) and sub.lead and not _is_background(env, text.rstrip(" :"), ctx):
        own = _emit(env, block, sub, text[found[1]:] if found else text, shape="lead-in")
    elif sub.lead and (head := _work_before_lead_in(env, text)) and not _is_background(env, head, ctx):
        # "Bộ X chủ trì ... trình Thủ tướng trước ngày 20/10. Trong đó chú ý một số nội dung sau:": the work is
        # a task of its own; the points below say what it must cover
        start = found[1] if found and found[1] < len(head) else 0
        own = _emit(env, block, sub, head[start:], dated_by=head, shape="lead-in")
    _walk_siblings(env, block.children, replace(sub, skip=True) if parts and own else sub)
    return own


_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])(?!.*[.!?]\s+[A-ZĐÀ-Ỹ])", re.S)


def _work_before_lead_in(env: Env, text: str) -> Optional[str]:
    """The sentences before a short closing lead-in ("... . Trong đó chú ý một số nội dung sau:"), when
    they say what to do; None for a paragraph that only leads in."""
    if not text.rstrip().endswith(":"):
        return None
    m = _LAST_SENTENCE.search(text)
    if not m or len(text[m.end():].split()) > 20:
        return None
    head = text[:m.start()].strip()
    return head if _is_sentence(head, 6) and _acts(env, head) else None


# "Căn cứ Quyết định số ..., chủ trì, phối hợp với ...": under a unit, a basis then the unit's role is its work
_ROLE_AFTER_BASIS = re.compile(r"(?i),\s*(?:chủ trì|phối hợp)(?![\wÀ-ỹ])")
_LISTS_PARTS = re.compile(r"(?i)(?<![\wÀ-ỹ])(?:bao gồm|gồm có|gồm)\s*:\s*$")


def _introduces_context(env: Env, text: str) -> bool:
    """A lead-in whose list is context: "Thành phần tham dự:", "Kết quả đạt được:" ("Về ...:" names a topic)."""
    c = env.cues
    folded = fold(text[:120])
    if folded.startswith("vê "):
        return False
    # ("Để ..., UBND phường xây dựng kế hoạch đề nghị các tổ dân phố thực hiện ... sau:" names who acts)
    return (starts(folded, c.opening) or starts(folded, c.section)) and not c.directive_inside.search(text[:160]) \
        and not _names_directive(env, text)


def _leaf(env: Env, block: Block, ctx: Context, previous: Optional[Task]) -> Optional[Task]:
    text = block.text
    segments = [] if ctx.criteria else _assignment_sentences(env, text, ctx)
    if len(segments) > 1:  # "Giao Phòng A ... . Giao Công an xã ...": one task per unit told to act
        last = previous
        for segment in segments:  # each sentence weighed on its own: news tells past work, then directions
            if not _background_reason(env, segment, ctx):
                last = _segment_task(env, block, ctx, segment, last) or last
        if last is previous:
            note(env, block, _background_reason(env, text, ctx) or "no-unit")
        return last
    reason = _background_reason(env, text, ctx)
    if reason:
        _note_addressee(env, text)
        note(env, block, reason)
        return previous
    if previous is not None and _is_deadline_tail(env, text):
        _attach_deadline(env, previous, text)
        note(env, block, "deadline-of-previous")
        return previous
    found = None if ctx.criteria else lead_of(env, text, allow_pos=True)
    # (a body told to announce, "đề nghị UBND các huyện thông báo ...", is told to act)
    if found and found[0].how != "inside" and not env.cues.lead_in.match(text) and _ANNOUNCES.match(text[found[2]:]):
        found = _told_after_announcing(env, text, found[2])
        if found is None:
            note(env, block, "announces")
            return previous  # "UBND phường thông báo đến ... biết, thực hiện": the notice's own voice
    if found:
        lead, action_at, names_end = found
        action = text[action_at:].strip(" :") or text
        if not _is_sentence(text[names_end:]) or not _is_sentence(action):  # a name alone, a header line
            note(env, block, "not-a-sentence")
            return previous
        return _emit_clauses(env, block, replace(ctx, lead=lead), action, keep=max(0, names_end - action_at))
    if env.cues.directive_opening.match(text) and issuer_acts_after_opening(env, text):
        note(env, block, "announces")  # "Căn cứ đề xuất ..., Bộ trưởng Bộ X đồng ý ...": the issuer's own act
        return previous
    if env.cues.future.search(re.split(r"[.;:]\s", text, maxsplit=1)[0]):
        note(env, block, "intention")  # "Căn cứ kết quả ..., Bộ sẽ tổng kết ...": a plan told, no one is directed
        return previous
    lead = _implicit_lead(env, block, ctx, previous)
    if lead is None or not _reads_as_work(env, block, ctx):
        note(env, block, "no-unit" if lead is None else "no-work-verb")
        return previous
    return _emit(env, block, replace(ctx, lead=lead), text)


_ANNOUNCES = re.compile(r"(?i)\s*(?:trân trọng\s+|kính\s+)?thông báo\b")
_ANNOUNCES_AND = re.compile(r"(?i)\s*(?:trân trọng\s+|kính\s+)?thông báo\s*(?:,\s*|và\s+)")


def _told_after_announcing(env: Env, text: str, at: int):
    """"UBND phường X thông báo và đề nghị các tổ chức, ... treo cờ ...": the bodies told to act after the
    issuer's announcing words lead the task; None when the sentence only announces."""
    m = _ANNOUNCES_AND.match(text, at)
    if not m:
        return None
    told = lead_of(env, text[m.end():])
    if told is None or told[0].how == "inside":
        return None
    lead, action_at, names_end = told
    return lead, m.end() + action_at, m.end() + names_end


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


def _assignment_sentences(env: Env, text: str, ctx: Optional[Context] = None) -> list[str]:
    """Split a paragraph before each later sentence that assigns a unit of its own ("Giao X ...")."""
    cuts = [0]
    for m in _SENTENCE_START.finditer(text):
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue  # inside brackets: "(Giao A chủ trì, phối hợp với B; C tham mưu)" is one aside
        rest = text[m.end():]
        lead_in = env.cues.lead_in.match(rest)
        if lead_in and own_requirement(env, text, m.end()):
            continue  # "Phối hợp với ... rà soát ...; yêu cầu các doanh nghiệp ...": the unit itself requires
        if lead_in and unit_at(env, rest, lead_in.end(), allow_pos=False):
            cuts.append(m.end())
        elif ctx is not None and _directed_by_leader(env, rest, ctx):
            cuts.append(m.end())
        elif m.group(0) and text[m.start() - 1] == "." and env.cues.directive_opening.match(rest) \
                and agent_after_opening(env, rest):
            cuts.append(m.end())  # "... tự xây dựng. Trường hợp ..., thì UBND xã có trách nhiệm ..."
        elif env.cues.schedule_opening.match(rest) and agent_after_opening(env, rest):
            cuts.append(m.end())  # "...; từ ngày 5 đến ngày 10 hằng tháng, Phòng X kiểm tra ...": another unit's turn
        elif _acts(env, _sentence_before(text, cuts[-1], m.start())) and _subject_clause(env, rest):
            cuts.append(m.end())  # "UBND các xã có trách nhiệm ...; Thủ trưởng các cơ quan chỉ đạo ..."
    if len(cuts) == 1:
        return [text]
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]


def _directed_by_leader(env: Env, sentence: str, ctx: Context):
    """"Ngoài ra, chỉ đạo Trạm Y tế xã kiểm tra ...": a leader's direction names the unit that acts
    (under a unit's own heading, "chỉ đạo Z" keeps that unit as the lead)."""
    m = env.cues.sentence_lead_in.match(sentence)
    if ctx.lead is not None or not m:
        return None
    got = unit_at(env, sentence, m.end(), allow_pos=False)
    return with_roles(env, sentence, *got) if got else None


def _sentence_before(text: str, start: int, end: int) -> str:
    """The sentence a ';' closes a clause of ("Cùng dự có ...; lãnh đạo UBND xã ..." lists, it does not act)."""
    stop = text.rfind(". ", start, end)
    return text[stop + 2 if stop >= 0 else start:end]


def _acts(env: Env, clause: str) -> bool:
    # "Chủ trì, phối hợp với A; thủ trưởng B ..." names partners, it does not act yet: roles are no work
    return any(clause[v.start()].islower() and not env.cues.roles.match(v.group(0))
               for v in env.cues.verb_anywhere.finditer(clause))


def _subject_clause(env: Env, rest: str) -> bool:
    """A clause opening with a body in the agent role and its work verb ("Thủ trưởng các cơ quan chỉ đạo ...")."""
    got = unit_at(env, rest, 0, allow_pos=False)
    if not got:
        return False
    lead, _, names_end = with_roles(env, rest, *got)
    if is_issuer(env, lead):
        return False  # "Bộ X gửi các thủ tục ... để tham khảo": the issuer telling what it does, no new task
    after = after_adjunct(env, rest[names_end:].lstrip())
    return bool(env.cues.verb.match(after))


def _segment_task(env: Env, block: Block, ctx: Context, segment: str, previous: Optional[Task]) -> Optional[Task]:
    found = _directed_by_leader(env, segment, ctx) or lead_of(env, segment, allow_pos=True)
    lead = found[0] if found else (ctx.lead or (Lead(previous.assignee, how="previous") if previous else None))
    if lead is None or not _is_sentence(segment):
        return None
    return _emit(env, block, replace(ctx, lead=lead), segment, dated_by=segment, shape="clause")


def _emit_clauses(env: Env, block: Block, ctx: Context, action: str, shape: str = "", keep: int = 0) -> Task:
    """One task, or one per ';' clause when two clauses set different dates of their own ("X chỉ đạo: lập
    kế hoạch ... trước ngày 28/2; ...; báo cáo kết quả ... trước ngày 10/11"): each date belongs to its clause.
    `keep`: the start of `action` that names the units ("A; B chỉ đạo:"), never split."""
    colon = action.find(":", keep, keep + 80)
    start = colon + 1 if colon >= 0 else keep
    clauses = [c.strip() for c in re.split(r";\s+", action[start:]) if c.strip()]
    dues = [d.due if (d := task_deadline_of(env, c)) else None for c in clauses]
    if len({d for d in dues if d}) < 2:
        return _emit(env, block, ctx, action, shape=shape)
    task = None
    for clause in clauses:
        task = _emit(env, block, ctx, clause, dated_by=clause, shape="clause")
    return task


def _emit(env: Env, block: Block, ctx: Context, action: str, dated_by: Optional[str] = None,
          shape: str = "") -> Task:
    action = clean_action(action)
    deadline = task_deadline_of(env, dated_by or block.text) or ctx.deadline
    if not ctx.lead.co:  # "Chủ trì, phối hợp với các phòng chuyên môn rà soát ..." under a unit's heading
        co = co_at_start(env, action)
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


def _attach_deadline(env: Env, task: Task, text: str) -> None:
    deadline = task_deadline_of(env, text)
    if deadline and not task.deadline:
        i = next(i for i in range(len(env.tasks) - 1, -1, -1) if env.tasks[i] is task)
        env.tasks[i] = task.model_copy(update={"deadline": deadline})


def _opening_date(text: str):
    try:
        return opening_date(text) if text else None
    except Exception:  # no meeting date is a smaller loss than no tasks
        return None


# ---------------------------------------------------------------- classification
_CRITERIA_LEAD_IN = re.compile(r"(?i)(?:tiêu chí|chỉ tiêu|chỉ số)\s*(?:sau)?\s*(?:như sau)?\s*:?\s*$")
_RECIPIENTS_LINE = re.compile(r"(?i)^kính gửi\b")
_BODY_END = re.compile(r"(?i)^(?:nơi nhận|(?:tm|kt|tl|tuq|q)\.\s+\S)")


_END_MARK = re.compile(r"\./\.?\s*$")
_CLOSES_TEXT = re.compile(r"(?i)\./\.?\s*(?:nơi nhận\s*:?\s*)?$")  # "... thực hiện./. Nơi nhận:" on one line
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
        starts(fold(first_line), env.cues.attachment)


def _ends_body(block: Block) -> bool:
    if block.kind == "table":  # "Nơi nhận | TM. ỦY BAN NHÂN DÂN" laid out as a table
        first = next((c for row in block.rows or [] for c in row if c.strip()), "")
        return bool(_BODY_END.match(first.strip().lstrip("*_ ")))
    return bool(_BODY_END.match(block.text.strip()))


_LEAD_IN_END = re.compile(r"(?i)(?:sau|như sau|cụ thể|cụ thể như sau|sau đây)\s*:?\s*$|:\s*$")


def _note_addressee(env: Env, text: str) -> None:
    """The bodies a lead-in addresses are the assignee of later work that names nobody."""
    if not _LEAD_IN_END.search(text):
        return
    for cue in env.cues.directive_inside.finditer(text):
        # the body right after "yêu cầu"/"đề nghị": "tình hình và yêu cầu nhiệm vụ, Ban X xây dựng kế hoạch
        # như sau:" uses "yêu cầu" as a noun and addresses no one
        got = unit_at(env, text, cue.end(), allow_pos=False)
        if got:
            env.addressee = with_roles(env, text, *got)[0]
            return


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
    if c.preamble.match(text) and not re.search(r"(?i)(?<![\wÀ-ỹ])để\s", text[:200]) \
            and not agent_after_opening(env, text) \
            and not (ctx.lead is not None and _ROLE_AFTER_BASIS.search(text, 0, 400)):
        # "Căn cứ Luật ...", "Xét đề nghị của ...": the decision's bases (under a unit, "Căn cứ QĐ ..., chủ trì ..." is its work)
        return "preamble"
    if starts(folded, c.opening) and not directive and not _directs_after_opening(env, text, ctx):
        return "opening"
    # "Thực hiện Công văn số ..." opens a notice; under a unit's heading it is that unit's work
    if ctx.lead is None and c.opening_reference.match(text) and not directive and not agent_after_opening(env, text):
        return "reference"
    if c.past_issued.match(text):
        return "past"
    issued = c.issued_numbered.search(text, 0, 160)
    if issued and not directive:
        return "past"
    if _tells_earlier_letter(env, text):
        return "earlier-letter"
    first_words = " ".join(text.split()[:8])
    if ctx.lead is None and c.past.search(first_words) and not directive and not _opens_with_verb(env, text):
        return "past"
    if _is_closing(env, text, folded):
        return "closing"
    if _is_headline(env, text):
        return "headline"
    return None


def _tells_earlier_letter(env: Env, text: str) -> bool:
    """A notice with its own header telling of an earlier letter it sent ("Ngày 16/8, Bộ đã có Công văn số ...
    gửi X ... và đề nghị X ..."): the request is background. (A news item telling of a letter is its news.)"""
    n = env.notice
    letter = env.cues.past_letter.search(text, 0, 400)
    if not letter or not (n.doc_type and n.doc_number) or env.cues.lead_in.match(text):
        return False
    told = env.cues.directive_inside.search(text, 0, 600)
    return told is None or told.start() > letter.start()


def _is_headline(env: Env, text: str) -> bool:
    """A news page's title: the first line of a text with no header, no closing punctuation."""
    n = env.notice
    if n.doc_type or n.doc_number or not n.body or n.body[0].text != text:
        return False
    return len(text.split()) <= 25 and not re.search(r"[.;:!?…]\s*$", text)


def _directs_before(env: Env, text: str, end: int) -> bool:
    """"UBND tỉnh yêu cầu UBND huyện X giải quyết đơn của ông A": the directive comes before the petition."""
    inside = env.cues.directive_inside.search(text, 0, end)
    return bool(inside and unit_at(env, text, inside.end(), allow_pos=False))


def _directs_after_opening(env: Env, text: str, ctx: Context) -> bool:
    """Context cues weigh, they do not veto: "Trên cơ sở ..., khẩn trương rà soát ..." under a directing
    heading or a unit is work; so is "Qua rà soát, ...; UBND xã giao X hướng dẫn ..." anywhere."""
    inside = env.cues.directive_inside.search(text, 0, 600)
    if inside and unit_at(env, text, inside.end(), allow_pos=False):
        return True
    if (env.cues.directive_opening.match(text) or env.cues.schedule_opening.match(text)) \
            and agent_after_opening(env, text):
        return True
    if not (ctx.directing or ctx.lead is not None) or not env.cues.directive_opening.match(text):
        return False
    comma = text.find(",")
    return comma > 0 and any(text[v.start()].islower() for v in env.cues.verb_anywhere.finditer(text, comma, comma + 200))


def _is_closing(env: Env, text: str, folded: str) -> bool:
    # The last words of a notice: "... thông báo để các đơn vị biết, thực hiện./."
    if starts(folded, env.cues.closing_start):
        return True
    found = lead_of(env, text) if len(text.split()) <= 20 else None
    if found and fold(text[found[2]:]) and set(fold(text[found[2]:]).split()) <= env.cues.closing_words:
        return True  # "UBND xã yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện.": nothing named to do
    if not re.search(r"\./?\.?\s*$", text) or "./" not in text[-4:]:
        return False
    folded = fold(text)
    deadline = task_deadline_of(env, text)
    return any(cue in folded for cue in env.cues.closing) and (deadline is None or deadline.due is None)


def _is_deadline_tail(env: Env, text: str) -> bool:
    """A short line that only sets the time of the task before it."""
    c = env.cues
    if len(text.split()) > 30 or not is_deadline_sentence(text):
        return False
    return bool(c.time_field.match(text) or c.deadline_tail.match(fold(text)))


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
        elif not (_is_field(env, child.text, True) or _field_heading(env, child)):
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
            names = unit_list(env, value) or ([env.units.canonical(value)] if value else [])
            if names:
                lead = names[0]
                co.extend(names[1:])
        m = c.co_field.match(b.text)
        if m:
            value = b.text[m.end():].strip(" .;")
            co.extend(unit_list(env, value) or ([env.units.canonical(value)] if value else []))
        m = c.time_field.match(b.text)
        if m and ":" in b.text[:40]:
            deadline = task_deadline_of(env, b.text) or deadline
        kind = _field_heading(env, b)
        if kind:  # "2. Cơ quan chủ trì, phối hợp" / "a) Cơ quan chủ trì" with the bodies listed below
            leads, cos = _listed_field_values(env, b, kind)
            if leads and lead is None:
                lead, leads = leads[0], leads[1:]
            co.extend(x for x in leads + cos if x not in co and x != lead)
    if lead is None and not co:
        return ctx, False
    new_lead = Lead(lead, tuple(co), how="plan-fields") if lead else (replace(ctx.lead, co=tuple(co)) if ctx.lead else None)
    return replace(ctx, lead=new_lead, deadline=deadline or ctx.deadline), True

_FIELD_PARTS = re.compile(r"\s*,\s*|\s+và\s+")


def _field_heading(env: Env, block: Block) -> Optional[str]:
    """"Cơ quan chủ trì", "Cơ quan chủ trì, phối hợp", "Đơn vị phối hợp" as a heading whose values are the
    lines below it (a plan's fields written as a list, not "Cơ quan chủ trì: X"): "lead" or "co"."""
    if not block.children or block.kind == "table":
        return None
    text = block.text.strip().rstrip(" :.")
    if ":" in text or len(text.split()) > 8:
        return None
    first, *others = _FIELD_PARTS.split(text)
    c = env.cues
    kind = "lead" if _whole_field(c.lead_field, first) else "co" if _whole_field(c.co_field, first) else None
    if kind and all(_whole_field(c.lead_field, p) or _whole_field(c.co_field, p) or c.roles.match(p)
                    or c.verb.fullmatch(p) for p in others):
        return kind
    return None


def _whole_field(pattern: re.Pattern, words: str) -> bool:
    m = pattern.match(words + ":")
    return bool(m) and m.end() == len(words) + 1


def _listed_field_values(env: Env, block: Block, kind: str) -> tuple[list[str], list[str]]:
    """The bodies a field heading lists (one or more per line), by role; a sub-heading ("a) Cơ quan chủ trì",
    "b) Cơ quan phối hợp", "b) Đơn vị thực hiện: X") sets the role of its own lines."""
    leads: list[str] = []
    cos: list[str] = []
    for child in block.children:
        sub = _field_heading(env, child)
        if sub:
            more_leads, more_cos = _listed_field_values(env, child, sub)
            leads += more_leads
            cos += more_cos
            continue
        c = env.cues
        m = c.lead_field.match(child.text) or c.co_field.match(child.text)
        value = child.text[m.end():] if m else child.text
        names = unit_list(env, value.strip(" .;"))
        if m:
            (leads if c.lead_field.match(child.text) else cos).extend(names)
        else:
            (leads if kind == "lead" else cos).extend(names)
    return leads, cos
