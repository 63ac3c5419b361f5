"""The Văn bản pages: the list of notices, and one notice's text beside its tasks."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

from extractors.models import RegisteredTask
from pipeline.register import Register, _registered
from pipeline.web.notice_view import LABEL_VI, render_lines, task_marks


def notice_list(conn, q: str, page: int, size: int) -> tuple[list[dict], int]:
    where, args = "", []
    if q.strip():
        where, args = "WHERE n.meta LIKE ? OR n.source LIKE ?", [f"%{q.strip()}%"] * 2
    n = conn.execute(f"SELECT COUNT(*) FROM notices n {where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT n.id, n.source, n.meta, (SELECT COUNT(*) FROM tasks t WHERE t.notice_id=n.id)"
        f" FROM notices n {where} ORDER BY n.id DESC LIMIT ? OFFSET ?", [*args, size, (page - 1) * size])
    items = []
    for nid, source, meta, count in rows:
        m = json.loads(meta)
        items.append({"id": nid, "name": Path(source).name, "number": m.get("doc_number"),
                      "type": m.get("doc_type"), "date": m.get("doc_date"), "title": m.get("title"), "tasks": count})
    return items, n


def notice_tasks(reader: Register, notice_id: int, as_of: dt.date) -> list[RegisteredTask]:
    rows = reader.conn.execute(reader._select() + " WHERE n.id=? ORDER BY t.ordinal", (notice_id,))
    tasks = [_registered(row, as_of) for row in rows]
    return sorted(tasks, key=lambda t: t.task.span[0] if t.task.span else 10**9)


def notice_page(reader: Register, notice_id: int, as_of: dt.date) -> Optional[dict]:
    row = reader.conn.execute("SELECT source, meta FROM notices WHERE id=?", (notice_id,)).fetchone()
    if row is None:
        return None
    source, meta = row[0], json.loads(row[1])
    body = reader.notice_body(notice_id) or {"text": "", "blocks": []}
    text = body["text"]
    tasks = notice_tasks(reader, notice_id, as_of)
    marks, cards = [], []
    origins = dict(reader.conn.execute("SELECT id, origin FROM tasks WHERE notice_id=?", (notice_id,)))
    for rt in tasks:
        task_marks_, reasons = task_marks(text, body["blocks"], rt)
        marks.extend(task_marks_)
        if origins.get(rt.id) == "officer":
            reasons.insert(0, "Cán bộ thêm vào (văn bản có giao nhưng chương trình bỏ sót).")
        cards.append({"rt": rt, "reasons": reasons, "line": None})
    lines = render_lines(text, marks)
    for card in cards:
        span = card["rt"].task.span
        if span:
            card["line"] = next((ln.start for ln in lines if ln.start <= span[0] < ln.end + 1), None)
    return {"notice_id": notice_id, "source": source, "meta": meta, "lines": lines, "cards": cards,
            "has_text": bool(text), "labels": LABEL_VI, "as_of": as_of}
