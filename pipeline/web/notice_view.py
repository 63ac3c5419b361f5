"""A notice's text with each task's source marked: unit, action and deadline phrase in their own colours.

The marks are rendered by spaCy's displaCy in manual mode ('ent' style, character offsets, no model loaded);
the text is cut into lines, each a block carrying its offset in the notice text, so that the page can jump to a
task's sentence and turn a selection back into offsets for adding a missed task.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from extractors import rules
from extractors.models import RegisteredTask
from extractors.textnorm import fold

UNIT, ACTION, DEADLINE, COUNIT = "UNIT", "ACTION", "DEADLINE", "COUNIT"
LABEL_VI = {UNIT: "đơn vị chủ trì", COUNIT: "đơn vị phối hợp", ACTION: "nội dung", DEADLINE: "thời hạn"}
# one mark per span; the label's class gives its colour (static/app.css), the data attribute its task
MARK = '<mark class="nv nv-{label}" data-label="{label}">{text}</mark>'
PRIORITY = {UNIT: 0, COUNIT: 1, DEADLINE: 2, ACTION: 3}


@dataclass
class Mark:
    start: int
    end: int
    label: str
    task_id: str


@dataclass
class Line:
    start: int
    end: int
    html: Markup
    task_ids: list[str]


def rule_words(rule: str) -> str:
    """Task.rule ("<shape>/<lead>") in the officer's words, as `nhiemvu explain` says it (extractors.rules);
    a code the words do not know yet is shown as the code: one unexplained task must not break the page."""
    table = rules.rule_words()
    shape, _, lead = rule.partition("/")
    said = table["shape"].get(shape, shape)
    text = f"Đọc là nhiệm vụ vì là {said}"
    if lead:
        text += f"; đơn vị chủ trì là {table['lead'].get(lead, lead)}"
    return text + f" (quy tắc {rule})."


def _find(text: str, needle: str, lo: int, hi: int) -> Optional[tuple[int, int]]:
    """`needle` in text[lo:hi], exactly, else ignoring case and tone placement (same length after fold)."""
    if not needle:
        return None
    at = text.find(needle, lo, hi)
    if at >= 0:
        return at, at + len(needle)
    folded, key = fold(text[lo:hi]), fold(needle)
    if len(folded) == hi - lo:
        at = folded.find(key)
        if at >= 0:
            return lo + at, lo + at + len(key)
    return None


def _heading_ranges(blocks: list, path: str) -> list[tuple[int, int, str]]:
    """The headings above a block (by path prefix), nearest first."""
    out = []
    for bpath, kind, label, start, end in blocks:
        if kind == "heading" and path.startswith(bpath + ".") and bpath:
            out.append((start, end, bpath))
    return sorted(out, key=lambda r: -len(r[2]))


def task_marks(text: str, blocks: list, rt: RegisteredTask) -> tuple[list[Mark], list[str]]:
    """Marks for one task and the reasons it was read, in Vietnamese."""
    t = rt.task
    marks: list[Mark] = []
    reasons: list[str] = []
    if getattr(t, "rule", ""):  # the extractor's own account of its decision
        reasons.append(rule_words(t.rule))
    if not t.span:
        reasons.append("Không có vị trí trong văn bản (nhiệm vụ do cán bộ nhập hoặc từ bản đọc cũ).")
        return marks, reasons
    lo, hi = max(0, t.span[0]), min(len(text), t.span[1])
    reasons.append(f"Đoạn {t.block_path or '?'} của văn bản giao việc.")
    unit_at = _find(text, t.assignee, lo, hi)
    if unit_at:
        marks.append(Mark(*unit_at, UNIT, rt.id))
        reasons.append(f"Đơn vị chủ trì «{t.assignee}» có trong câu.")
    else:
        for start, end, path in _heading_ranges(blocks, t.block_path):
            found = _find(text, t.assignee, start, end)
            if found:
                marks.append(Mark(*found, UNIT, rt.id))
                reasons.append(f"Đơn vị chủ trì «{t.assignee}» lấy từ tiêu đề mục {path}: «{text[start:end]}».")
                break
        else:
            reasons.append(f"Đơn vị chủ trì «{t.assignee}» suy ra từ ngữ cảnh (nơi nhận, tiêu đề, bảng).")
    for co in t.co_assignees:
        found = _find(text, co, lo, hi)
        if found:
            marks.append(Mark(*found, COUNIT, rt.id))
    if t.deadline and t.deadline.phrase:
        found = _find(text, t.deadline.phrase, lo, hi)
        if found:
            marks.append(Mark(*found, DEADLINE, rt.id))
        reasons.append(f"Thời hạn đọc từ «{t.deadline.phrase}».")
    elif t.deadline and t.deadline.ongoing:
        reasons.append("Nhiệm vụ thường xuyên, không có thời hạn.")
    else:
        reasons.append("Văn bản không ghi thời hạn cho nhiệm vụ này.")
    head = _find(text, t.action[:40], lo, hi) if t.action else None
    a_lo = head[0] if head else lo
    marks.append(Mark(a_lo, min(hi, a_lo + len(t.action)) if head else hi, ACTION, rt.id))
    return marks, reasons


def _ents(marks: list[Mark], lo: int, hi: int) -> list[dict]:
    """Non-overlapping entities within [lo, hi): unit and deadline win, the action fills the gaps."""
    taken: list[tuple[int, int]] = []
    ents = []
    for m in sorted(marks, key=lambda m: (PRIORITY[m.label], m.start)):
        pieces = [(max(m.start, lo), min(m.end, hi))]
        for a, b in taken:
            pieces = [p for s, e in pieces for p in ((s, min(e, a)), (max(s, b), e)) if p[0] < p[1]]
        for s, e in pieces:
            if s < e:
                ents.append({"start": s - lo, "end": e - lo, "label": m.label})
                taken.append((s, e))
    return sorted(ents, key=lambda e: e["start"])


def render_lines(text: str, marks: list[Mark]) -> list[Line]:
    from spacy import displacy

    lines = []
    pos = 0
    for raw in text.split("\n"):
        lo, hi = pos, pos + len(raw)
        pos = hi + 1
        if not raw.strip():
            continue
        inside = [m for m in marks if m.start < hi and m.end > lo]
        if not inside:
            html = Markup.escape(raw)
        else:
            doc = {"text": raw, "ents": _ents(inside, lo, hi), "title": None}
            html = Markup(displacy.render(doc, style="ent", manual=True, page=False, minify=True,
                                          options={"template": MARK}))
        ids = list(dict.fromkeys(m.task_id for m in inside))
        lines.append(Line(lo, hi, html, ids))
    return lines
