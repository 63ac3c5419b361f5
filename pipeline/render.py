"""Follow-up dispatches from the register: công văn đôn đốc and the báo cáo tổng hợp.

Templates are .docx files with docxtpl (Jinja) tags in `templates/`; they are always
rendered with autoescaping in a sandboxed Jinja environment, so a task's "&", "<" or a
template an officer supplies can neither break the document nor reach Python.
The context is built here from `RegisteredTask`s only; letters are written under `out_dir`
with portable file names whatever a unit is called.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import templates
from extractors.calendar_vi import add_working_days  # noqa: F401  (re-exported for callers of render)
from extractors.models import RegisteredTask
from extractors.textnorm import bare
from pipeline.config import SenderConfig, load_config

TEMPLATES = Path(templates.__file__).parent
SINGLE, COMBINED, REPORT = "cong_van_don_doc.docx", "cong_van_don_doc_nhieu_don_vi.docx", "bao_cao_tong_hop.docx"
OVERDUE, OPEN = "chưa hoàn thành quá hạn", "chưa hoàn thành trong hạn"
STATES = ("hoàn thành đúng hạn", "hoàn thành quá hạn", OPEN, OVERDUE)
RECURRENCE_WORDS = {"weekly": "Hằng tuần", "monthly": "Hằng tháng", "quarterly": "Hằng quý", "yearly": "Hằng năm"}
MAX_NAME = 100  # characters of a unit's name kept in a file name
MAX_ROWS = 100  # rows a letter lists per unit (overdue first); the rest are counted, the register has them
MAX_REPORT_ROWS = 300  # overdue rows a báo cáo lists
MAX_CITED = 3  # notices named in the opening sentence
_RENDER_VERSION = 2  # bump when the templates change, so cached letters are redrawn


class RenderError(RuntimeError):
    """A letter that could not be written; one Vietnamese line."""


# ---------------------------------------------------------------- dates and words
def nd30_date(day: dt.date) -> str:
    """'ngày 05 tháng 7 năm 2026': days under 10 and months 1-2 padded (Phụ lục I, II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    return f"{place}, {nd30_date(day)}" if place else nd30_date(day).capitalize()


def short_date(day: Optional[dt.date]) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def due_text(rt: RegisteredTask) -> str:
    if rt.extended_to:
        first = f" (gia hạn, thời hạn ban đầu {short_date(rt.original_due)})" if rt.original_due else " (gia hạn)"
        return short_date(rt.extended_to) + first
    deadline = rt.task.deadline
    if deadline is None:
        return "Không ghi thời hạn"
    if deadline.recurrence:
        word = RECURRENCE_WORDS.get(deadline.recurrence, "Định kỳ")
        return f"{word} (kỳ tới {short_date(rt.next_due)})" if rt.next_due else word
    if deadline.due:
        return short_date(deadline.due)
    return "Thường xuyên" if deadline.ongoing else "Không ghi thời hạn"


@lru_cache(maxsize=1)
def _type_names() -> dict[str, str]:
    try:
        with open(Path(__file__).resolve().parent.parent / "extractors" / "data" / "vi" / "doc_types.toml", "rb") as fh:
            return tomllib.load(fh)["types"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {"TB": "Thông báo", "KH": "Kế hoạch", "CV": "Công văn", "BC": "Báo cáo"}


def notice_phrase(rt: RegisteredTask) -> str:
    """'Thông báo số 12/TB-UBND ngày 05/7/2026' (number and date only when the notice has them)."""
    n = rt.notice
    words = [_type_names().get(n.doc_type or "", "văn bản") if n.doc_type != "CV" else "Công văn"]
    if n.doc_number and re.search(r"\d", n.doc_number.split("/")[0]):
        words.append(f"số {n.doc_number}")
    if n.doc_date:
        words.append(f"ngày {n.doc_date.day}/{n.doc_date.month}/{n.doc_date.year}")
    return " ".join(words)


# ---------------------------------------------------------------- choosing and ordering tasks
def open_tasks(tasks: Iterable[RegisteredTask]) -> list[RegisteredTask]:
    """Tasks still to do, overdue first, then by the date they are measured against."""
    # a notice revoked or replaced by a later package keeps its tasks in the register, not in the letters
    todo = [t for t in tasks if t.status in (OVERDUE, OPEN) and not t.notice.superseded]
    far = dt.date.max
    return sorted(todo, key=lambda t: (t.status != OVERDUE, t.current_due or far, t.id))


def by_unit(tasks: Iterable[RegisteredTask]) -> dict[str, list[RegisteredTask]]:
    groups: dict[str, list[RegisteredTask]] = defaultdict(list)
    for t in tasks:
        groups[t.task.assignee].append(t)
    return dict(groups)


# ---------------------------------------------------------------- contexts
def _sender(config: SenderConfig) -> dict:
    return {"parent_lines": config.parent_lines, "issuer_lines": config.issuer_lines,
            "authority_line": config.authority_line, "signer_title": config.signer_title,
            "signer": config.signer}


def _subject(tasks: list[RegisteredTask]) -> str:
    notices = {t.notice.id: t for t in tasks}
    if len(notices) == 1:
        return f"V/v đôn đốc thực hiện nhiệm vụ được giao tại {notice_phrase(next(iter(notices.values())))}"
    return "V/v đôn đốc thực hiện các nhiệm vụ được giao"


def _row(k: int, t: RegisteredTask) -> dict:
    return {"stt": str(k), "action": t.task.action, "due": due_text(t), "status": _status_word(t),
            "unit": t.task.assignee, "notice": notice_phrase(t), "id": t.id}


def _status_word(t: RegisteredTask) -> str:
    return "Quá hạn" if t.status == OVERDUE else "Đang thực hiện, chưa có báo cáo"


def letter_context(units: list[str], tasks: list[RegisteredTask], as_of: dt.date, config: SenderConfig,
                   report_by: Optional[dt.date] = None) -> dict:
    """Everything a công văn đôn đốc shows; one unit, or several with rows grouped by unit.

    A letter lists at most MAX_ROWS tasks per unit, overdue first: a clerk signs pages, not the register."""
    report_by = report_by or add_working_days(as_of, config.report_within_working_days)
    groups = {unit: open_tasks(by_unit(tasks).get(unit, [])) for unit in units}
    listed = {unit: todo[:MAX_ROWS] for unit, todo in groups.items()}
    more = sum(len(todo) - len(listed[unit]) for unit, todo in groups.items())
    cited = sorted({notice_phrase(t) for todo in listed.values() for t in todo})
    source = ", ".join(cited) if len(cited) <= MAX_CITED else "các văn bản chỉ đạo đã ban hành"
    overdue = sum(t.status == OVERDUE for t in tasks)
    addressee = units[0] if len(units) == 1 else "các đơn vị"
    opening = (f"Thực hiện {source}, {config.issuer_name} đã giao {addressee} chủ trì thực hiện "
               f"một số nhiệm vụ. Đến {nd30_date(as_of)}, còn {len(tasks)} nhiệm vụ chưa có báo cáo "
               f"hoàn thành, trong đó {overdue} nhiệm vụ đã quá thời hạn, cụ thể như sau:")
    closing = [f"Đề nghị {addressee} khẩn trương tập trung thực hiện các nhiệm vụ nêu trên; báo cáo kết quả "
               f"thực hiện (nêu rõ nhiệm vụ đã hoàn thành, nhiệm vụ chưa hoàn thành và nguyên nhân, giải pháp) "
               f"về {config.report_to} trước {nd30_date(report_by)}.",
               f"{config.issuer_name[:1].upper() + config.issuer_name[1:]} đề nghị {addressee} nghiêm túc "
               f"triển khai thực hiện./."]
    if more:
        closing.insert(0, f"Ngoài các nhiệm vụ nêu trên, còn {more} nhiệm vụ chưa hoàn thành khác "
                          f"(chi tiết tại bảng theo dõi nhiệm vụ kèm theo).")
    return {
        "sender": _sender(config), "number": f"      /{config.issuer_symbol}-{config.drafting_symbol}",
        "place_date": place_date(config.place, as_of), "subject": _subject(tasks), "recipients": units,
        "opening": [opening], "closing": closing, "rows": _rows(units, listed),
        "cc": ["Như trên", *config.cc, f"Lưu: VT, {config.drafting_symbol}"],
        "report_by": short_date(report_by),
    }


def _rows(units: list[str], listed: dict[str, list[RegisteredTask]]) -> list[dict]:
    if len(units) == 1:
        return [_row(k, t) for k, t in enumerate(listed[units[0]], 1)]
    from docxtpl import RichText

    rows = []
    for g, unit in enumerate(units, 1):
        rows.append({"stt": RichText(_roman(g), bold=True), "action": RichText(unit, bold=True), "due": "", "status": ""})
        for k, t in enumerate(listed[unit], 1):
            row = _row(k, t)
            rows.append({**row, "stt": RichText(row["stt"]), "action": RichText(row["action"])})
    return rows


def _roman(n: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def report_context(tasks: list[RegisteredTask], as_of: dt.date, config: SenderConfig) -> dict:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for t in tasks:
        counts[t.task.assignee][t.status] += 1
    keys = ("done_on_time", "done_late", "open_on_time", "open_late")
    rows = [{"stt": str(k), "unit": unit, "total": sum(c.values()), **{key: c[s] for key, s in zip(keys, STATES)}}
            for k, (unit, c) in enumerate(sorted(counts.items()), 1)]
    totals = {key: sum(r[key] for r in rows) for key in ("total", *keys)}
    rows.append({"stt": "", "unit": "Tổng cộng", **totals})
    late = open_tasks(t for t in tasks if t.status == OVERDUE)
    overdue = [_row(k, t) for k, t in enumerate(late[:MAX_REPORT_ROWS], 1)]
    opening = (f"Thực hiện chế độ theo dõi, đôn đốc việc thực hiện nhiệm vụ được giao, {config.issuer_name} "
               f"báo cáo tình hình thực hiện {totals['total']} nhiệm vụ tính đến {nd30_date(as_of)} như sau:")
    closing = [f"Trên đây là báo cáo tình hình thực hiện nhiệm vụ được giao tính đến {nd30_date(as_of)}; "
               f"có {totals['open_late']} nhiệm vụ chưa hoàn thành quá hạn cần được chỉ đạo đôn đốc./."]
    if len(late) > MAX_REPORT_ROWS:
        closing.insert(0, f"Danh sách trên nêu {MAX_REPORT_ROWS} nhiệm vụ quá hạn lâu nhất; "
                          f"{len(late) - MAX_REPORT_ROWS} nhiệm vụ quá hạn khác có trong bảng theo dõi kèm theo.")
    return {
        "sender": _sender(config), "number": f"      /BC-{config.issuer_symbol}",
        "place_date": place_date(config.place, as_of),
        "title": f"Tình hình thực hiện nhiệm vụ được giao tính đến ngày {short_date(as_of)}",
        "recipients": [config.report_recipient], "opening": [opening], "closing": closing,
        "rows": rows, "overdue": overdue, "cc": ["Như trên", *config.cc, f"Lưu: VT, {config.drafting_symbol}"],
    }


# ---------------------------------------------------------------- rendering
def _jinja_env():
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def render_docx(template: Path, context: dict, out_path: Path) -> Path:
    """Render a .docx template (sandboxed, autoescaped) to `out_path`."""
    from docxtpl import DocxTemplate

    try:
        from pipeline.export import safe_values

        doc = DocxTemplate(str(template))
        # a register written before text was made safe at the reader may hold characters XML refuses
        doc.render(safe_values(context), jinja_env=_jinja_env(), autoescape=True)
    except Exception as exc:  # a broken or hostile template: one line, no traceback
        raise RenderError(f"{Path(template).name}: không dựng được văn bản từ mẫu ({exc.__class__.__name__}: "
                          f"{str(exc)[:160]})") from exc
    from pipeline.failures import write_atomically

    # a full disk leaves no half-written letter under the real name, and one line naming it
    return write_atomically(out_path, lambda tmp: doc.save(str(tmp)))


def render_user_template(template: Path, context: dict) -> str:
    """Render an officer's own template into a temporary file and return its text (previews, tests)."""
    import docx

    with tempfile.TemporaryDirectory() as tmp:
        out = render_docx(Path(template), context, Path(tmp) / "xem-truoc.docx")
        document = docx.Document(str(out))
        texts = [p.text for p in document.paragraphs]
        texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


# ---------------------------------------------------------------- file names
_UNSAFE = re.compile(r"[^a-z0-9]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{k}" for k in range(10)), *(f"LPT{k}" for k in range(10))}


def safe_stem(name: str) -> str:
    """A portable file-name part from any unit name: ASCII letters, digits and dashes only."""
    stem = _UNSAFE.sub("-", bare(name)).strip("-")[:MAX_NAME].strip("-")
    if not stem or stem.upper() in _RESERVED:  # Windows refuses CON, NUL, COM1... as a file's name
        return f"don-vi-{stem}".strip("-")
    return stem


def _unique(out_dir: Path, stem: str, suffix: str, taken: set[str]) -> Path:
    candidate, k = f"{stem}{suffix}", 2
    while candidate in taken:
        candidate, k = f"{stem}-{k}{suffix}", k + 1
    taken.add(candidate)
    return out_dir / candidate


# ---------------------------------------------------------------- the public surface
def draft_letters(tasks: list[RegisteredTask], out_dir: Path, as_of: dt.date, config: Optional[SenderConfig] = None,
                  combined: bool = False, report_by: Optional[dt.date] = None,
                  template: Optional[Path] = None) -> list[Path]:
    """One công văn đôn đốc per unit with open tasks (or one to all of them); the paths written."""
    config = config or load_config()
    todo = open_tasks(tasks)
    if not todo:
        return []
    out_dir = Path(out_dir)
    groups = by_unit(todo)
    units = sorted(groups, key=lambda u: (-sum(t.status == OVERDUE for t in groups[u]), u))
    taken: set[str] = set()
    stamp = as_of.strftime("%Y%m%d")
    if combined:
        context = letter_context(units, todo, as_of, config, report_by)
        path = _unique(out_dir, f"cong-van-don-doc-{stamp}-cac-don-vi", ".docx", taken)
        return [render_docx(template or TEMPLATES / COMBINED, context, path)]
    written, ledger = [], _Ledger(out_dir)
    for unit in units:
        context = letter_context([unit], groups[unit], as_of, config, report_by)
        path = _unique(out_dir, f"cong-van-don-doc-{stamp}-{safe_stem(unit)}", ".docx", taken)
        written.append(ledger.render(template or TEMPLATES / SINGLE, context, path))
    ledger.save()
    return written


class _Ledger:
    """Fingerprints of the letters already written, so a re-run redraws only what changed."""

    NAME = ".nhiemvu-cong-van.json"

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / self.NAME
        try:
            self.seen = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seen = {}

    def render(self, template: Path, context: dict, path: Path) -> Path:
        stamp = (str(template), Path(template).stat().st_mtime_ns, _RENDER_VERSION)
        digest = hashlib.sha256(json.dumps([stamp, context], default=str,
                                           sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        if path.exists() and self.seen.get(path.name) == digest:
            return path
        render_docx(template, context, path)
        self.seen[path.name] = digest
        return path

    def save(self) -> None:
        try:
            self.path.write_text(json.dumps(self.seen, ensure_ascii=False, indent=0), encoding="utf-8")
        except OSError:
            pass  # only a cache: the next run redraws


def draft_report(tasks: list[RegisteredTask], out_path: Path, as_of: dt.date,
                 config: Optional[SenderConfig] = None) -> Path:
    """The báo cáo tổng hợp of the register for the Chủ tịch."""
    config = config or load_config()
    return render_docx(TEMPLATES / REPORT, report_context(tasks, as_of, config), Path(out_path))


def to_pdf(paths: list[Path], out_dir: Path, timeout: float = 180) -> list[Path]:
    """Convert .docx letters to PDF with LibreOffice headless; RenderError when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RenderError("Không tìm thấy LibreOffice (soffice): chưa chuyển được sang PDF; "
                          "hãy cài LibreOffice hoặc mở tệp .docx bằng Word rồi lưu PDF")
    if not paths:
        return []
    with tempfile.TemporaryDirectory(prefix="nhiemvu-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out_dir), *map(str, paths)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            raise RenderError(f"LibreOffice không chuyển được sang PDF ({exc.__class__.__name__})") from exc
    pdfs = [Path(out_dir) / (p.stem + ".pdf") for p in paths]
    return [p for p in pdfs if p.exists()]
