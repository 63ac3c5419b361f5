"""`nhiemvu eval`: extract tasks from notices and score them against hand-made gold files.

The scoring functions below (fold .. f1) are copied from the project's evaluation
scorer `shared/eval/score.py` (standard library only; one change: score_document's
"wrong" lines go through `_echo` instead of print), so that the
project does not need the shared folder at run time; `summarise` and `evaluate`
reproduce its `main()` on records made in memory. tests/test_eval.py checks that
both give the same strict_f1 on the same export when the shared folder exists.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, Optional

_echo: Callable[[str], None] = print  # where score_document's verbose lines go

# Tone marks are dropped before comparing; vowel-quality marks (ă â ê ô ơ ư)
# and đ are kept.  This makes "hoá"/"hóa" and "khoẻ"/"khỏe" compare equal.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

_ABBREVIATIONS = [
    # (pattern on the tone-free lower-case text, replacement)
    (r"\bhđnd\b", "hôi đông nhân dân"),
    (r"\bubnd\b", "uy ban nhân dân"),
    (r"\bvh ?xh\b", "văn hoa xa hôi"),
    (r"\bvhxh\b", "văn hoa xa hôi"),
    (r"\btt ?pvhcc\b", "trung tâm phuc vu hanh chinh công"),
    (r"\btt ?dvsnc\b", "trung tâm dich vu sư nghiêp công"),
    (r"&", " và "),
]
# Matched before tones are dropped: without tones "phường" and "phương" (as in "địa phương") collide.
_LOCALITY_TAIL = re.compile(r"\s+(xã|phường|thị trấn)$")


def fold(text: str) -> str:
    """Lower-case, tone-free, punctuation-free, single-spaced."""
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(c for c in text if c not in _TONES)
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("*", "")
    text = re.sub(r"[^\w&]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def fold_unit(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"[^\w)]+$", "", text.strip())
    text = fold(_LOCALITY_TAIL.sub("", text))
    for pattern, repl in _ABBREVIATIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(giao|đông chi)\s+", "", text)


def unit_matches(predicted: str | None, aliases) -> bool:
    if aliases == "*":
        return True
    if not predicted:
        return False
    p = fold_unit(predicted)
    for alias in aliases:
        a = fold_unit(alias)
        if a and (p == a or re.search(r"(^| )" + re.escape(a) + r"( |$)", p)):
            return True
    return False


def field_ok(gold_value, predicted) -> bool:
    if gold_value == "*":
        return True
    return (gold_value or None) == (predicted or None)


def co_ok(gold_co, predicted_co) -> bool:
    if gold_co == "*":
        return True
    predicted_co = list(predicted_co or [])
    if len(gold_co) != len(predicted_co):
        return False
    return all(any(unit_matches(p, aliases) for p in predicted_co) for aliases in gold_co)


def load_predictions(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig").strip()
    if not text:
        return []
    if text[0] == "[":
        records = json.loads(text)
    elif text[0] == "{":
        try:
            obj = json.loads(text)
            records = obj.get("tasks", obj) if isinstance(obj, dict) else obj
            if isinstance(records, dict):
                records = [records]
        except json.JSONDecodeError:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        raise SystemExit(f"{path}: not JSON")
    return records


def stem(source: str) -> str:
    name = Path(str(source)).name
    return name.split(".")[0] if name else name


def score_document(gold: dict, preds: list[dict], verbose: bool) -> dict:
    tasks = gold["tasks"]
    order = sorted(range(len(tasks)), key=lambda i: bool(tasks[i].get("optional")))
    folded_actions = [fold(p.get("action", "")) for p in preds]
    taken: set[int] = set()
    result = dict(required=0, matched=0, optional_matched=0, assignee_ok=0,
                  deadline_n=0, deadline_ok=0, recurrence_n=0, recurrence_ok=0,
                  co_n=0, co_ok=0, strict=0, predicted=len(preds), misses=[], extras=[])
    for i in order:
        g = tasks[i]
        keys = g["key"] if isinstance(g["key"], list) else [g["key"]]
        keys = [fold(k) for k in keys]
        candidates = [j for j, a in enumerate(folded_actions)
                      if j not in taken and any(k in a for k in keys)]
        optional = bool(g.get("optional"))
        if not optional:
            result["required"] += 1
        if not candidates:
            if not optional:
                result["misses"].append(g["key"])
            continue

        def agreement(j: int) -> int:
            p = preds[j]
            return (unit_matches(p.get("assignee"), g["assignee"]) * 2
                    + field_ok(g.get("deadline"), p.get("deadline"))
                    + field_ok(g.get("recurrence"), p.get("recurrence")))

        j = max(candidates, key=lambda c: (agreement(c), -c))
        taken.add(j)
        p = preds[j]
        if optional:
            result["optional_matched"] += 1
            continue
        result["matched"] += 1
        a_ok = unit_matches(p.get("assignee"), g["assignee"])
        d_ok = field_ok(g.get("deadline"), p.get("deadline"))
        r_ok = field_ok(g.get("recurrence"), p.get("recurrence"))
        result["assignee_ok"] += a_ok
        if g.get("deadline") != "*":
            result["deadline_n"] += 1
            result["deadline_ok"] += d_ok
        if g.get("recurrence", "*") != "*":
            result["recurrence_n"] += 1
            result["recurrence_ok"] += r_ok
        if "co_assignees" in g and g["co_assignees"] != "*":
            result["co_n"] += 1
            result["co_ok"] += co_ok(g["co_assignees"], p.get("co_assignees"))
        if a_ok and d_ok and r_ok:
            result["strict"] += 1
        elif verbose:
            why = []
            if not a_ok:
                why.append(f"assignee {p.get('assignee')!r} not in {g['assignee']}")
            if not d_ok:
                why.append(f"deadline {p.get('deadline')!r} != {g.get('deadline')!r}")
            if not r_ok:
                why.append(f"recurrence {p.get('recurrence')!r} != {g.get('recurrence')!r}")
            _echo(f"  wrong  [{keys[0][:50]}]: " + "; ".join(why))
    result["extras"] = [preds[j].get("action", "")[:90] for j in range(len(preds)) if j not in taken]
    return result


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0



# ---------------------------------------------------------------- end of the copied scorer


class GoldError(ValueError):
    """A gold file that cannot be used; the message is one Vietnamese line naming it."""


def load_golds(gold_dir: Path) -> list[dict]:
    golds = []
    for path in sorted(Path(gold_dir).glob("*.gold.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8-sig"))
            if not isinstance(gold.get("source"), str) or not isinstance(gold.get("tasks"), list):
                raise ValueError
        except (ValueError, AttributeError, UnicodeDecodeError) as exc:
            raise GoldError(f"{path.name}: không đọc được đáp án (cần JSON có 'source' và 'tasks')") from exc
        golds.append(gold)
    return golds


def summarise(golds: list[dict], records: list[dict], verbose: bool = False,
              echo: Callable[[str], None] = print, where: Optional[dict] = None) -> dict:
    """Per-notice lines and the totals, exactly as shared/eval/score.py prints them.

    verbose: each miss and extra is placed in its family (see pipeline/eval_families.py; `where` maps a
    notice's stem to its blocks' decisions), and a table "family → count" follows the per-notice lines."""
    global _echo
    from collections import Counter

    from pipeline import eval_families as fam

    missed_by: Counter = Counter()
    extra_by: Counter = Counter()
    by_source: dict[str, list[dict]] = {}
    for record in records:
        by_source.setdefault(stem(record.get("source", "")), []).append(record)
    totals: dict[str, int] = {}
    meta_n = meta_ok = 0
    saved_echo, _echo = _echo, echo
    try:
        for gold in golds:
            preds = by_source.get(gold["source"], [])
            if verbose:
                echo(f"== {gold['source']}")
            r = score_document(gold, preds, verbose)
            for fld, expected in (gold.get("document") or {}).items():
                if expected == "*" or not preds:
                    continue
                got = preds[0].get(fld)
                meta_n += 1
                ok = (fold_unit(str(got)) == fold_unit(str(expected))) if expected is not None else not got
                meta_ok += ok
                if verbose and not ok:
                    echo(f"  document {fld}: {got!r} != {expected!r}")
            if verbose:
                for miss in r["misses"]:
                    family, path = fam.locate((where or {}).get(gold["source"]), miss, fold)
                    missed_by[family] += 1
                    echo(f"  missed [{miss}]  ← {family}" + (f" ({path})" if path else ""))
                for extra, rule in zip(r["extras"], fam.extra_rules(preds, r["extras"])):
                    extra_by[rule] += 1
                    echo(f"  extra  {extra}  ← {rule}")
            fp = r["predicted"] - r["matched"] - r["optional_matched"]
            p = ratio(r["matched"], r["matched"] + fp)
            rc = ratio(r["matched"], r["required"])
            sp = ratio(r["strict"], r["matched"] + fp)
            sr = ratio(r["strict"], r["required"])
            echo(f"{gold['source']:<40} gold={r['required']:>3} pred={r['predicted']:>3} "
                 f"found={r['matched']:>3} extra={fp:>3} F1={f1(p, rc):.3f} strict_F1={f1(sp, sr):.3f}")
            for k, v in r.items():
                if isinstance(v, int):
                    totals[k] = totals.get(k, 0) + v
            totals["fp"] = totals.get("fp", 0) + fp
    finally:
        _echo = saved_echo
    if verbose:
        echo("")
        for line in fam.family_table("missed by family", missed_by) + fam.family_table("extra by rule", extra_by):
            echo(line)
    t = totals
    p = ratio(t.get("matched", 0), t.get("matched", 0) + t.get("fp", 0))
    rc = ratio(t.get("matched", 0), t.get("required", 0))
    sp = ratio(t.get("strict", 0), t.get("matched", 0) + t.get("fp", 0))
    sr = ratio(t.get("strict", 0), t.get("required", 0))
    return {
        "documents": len(golds),
        "gold_tasks": t.get("required", 0),
        "predicted_tasks": t.get("predicted", 0),
        "detection_precision": round(p, 4),
        "detection_recall": round(rc, 4),
        "detection_f1": round(f1(p, rc), 4),
        "assignee_accuracy": round(ratio(t.get("assignee_ok", 0), t.get("matched", 0)), 4),
        "deadline_accuracy": round(ratio(t.get("deadline_ok", 0), t.get("deadline_n", 0)), 4),
        "recurrence_accuracy": round(ratio(t.get("recurrence_ok", 0), t.get("recurrence_n", 0)), 4),
        "co_assignee_accuracy": round(ratio(t.get("co_ok", 0), t.get("co_n", 0)), 4),
        "document_field_accuracy": round(ratio(meta_ok, meta_n), 4),
        "strict_f1": round(f1(sp, sr), 4),
    }


def extract_records(paths: Iterable[Path], where: Optional[dict] = None) -> tuple[list[dict], list[str], dict]:
    """Task records for every notice under `paths`, the one-line errors, and timings in seconds.
    `where`, when given, gets each notice's blocks with their decisions (for eval --verbose)."""
    from pipeline.eval_families import places
    from extractors.errors import NoticeError
    from extractors.models import task_record
    from pipeline import api

    records: list[dict] = []
    errors: list[str] = []
    timing = {"parse": 0.0, "extract": 0.0, "notices": 0}
    for path in api.iter_notice_files(paths):
        t0 = time.perf_counter()
        try:
            notice = api.parse(path)
        except NoticeError as exc:
            errors.append(str(exc))
            continue
        t1 = time.perf_counter()
        tasks, trace = api.explain(notice)
        timing["extract"] += time.perf_counter() - t1
        if where is not None:
            where[stem(notice.source)] = places(notice, tasks, trace, fold)
        timing["parse"] += t1 - t0
        timing["notices"] += 1
        records.extend(task_record(notice, t) for t in tasks)
    return records, errors, timing


def evaluate(gold_dir: Path, paths: Iterable[Path], verbose: bool = False,
             echo: Callable[[str], None] = print, records_out: Optional[Path] = None,
             warn: Optional[Callable[[str], None]] = None) -> dict:
    """Extract, score, print the scorer's lines (last: strict_f1=...); `warn` gets unreadable files."""
    golds = load_golds(gold_dir)
    if not golds:
        raise FileNotFoundError(f"không có tệp *.gold.json trong {gold_dir}")
    where: Optional[dict] = {} if verbose else None
    records, errors, timing = extract_records(paths, where)
    for e in errors:
        (warn or echo)(f"Lỗi: {e}")
    if records_out:
        Path(records_out).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = summarise(golds, records, verbose, echo, where)
    echo("")
    for k, v in summary.items():
        echo(f"{k:<26} {v}")
    if verbose and timing["notices"]:
        from extractors import nlp

        echo(f"{'seconds_parse':<26} {timing['parse']:.3f}")
        echo(f"{'seconds_extract':<26} {timing['extract']:.3f}  ({timing['notices']} notices)")
        for k in sorted(nlp.STATS):
            echo(f"{'nlp.' + k:<26} {nlp.STATS[k]:.3f}" if k.endswith("seconds") else f"{'nlp.' + k:<26} {nlp.STATS[k]}")
    echo(f"strict_f1={summary['strict_f1']}")
    summary["errors"] = len(errors)
    return summary
