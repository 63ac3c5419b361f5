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
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional

import templates
from extractors.calendar_vi import add_working_days  # noqa: F401  (re-exported for callers of render)
from extractors.models import RegisteredTask
from extractors.textnorm import bare
from pipeline.config import SenderConfig, load_config
from pipeline.letters import (MAX_REPORT_ROWS, MAX_ROWS, PreviousReminder, UnitDigest,  # noqa: F401
                              digest_units, letter_context, nd30_date, notice_phrase, open_tasks, report_context,
                              short_date)
from pipeline.status import DUE_SOON_DAYS

TEMPLATES = Path(templates.__file__).parent
SINGLE, COMBINED, REPORT = "cong_van_don_doc.docx", "cong_van_don_doc_nhieu_don_vi.docx", "bao_cao_tong_hop.docx"
MAX_NAME = 100  # characters of a unit's name kept in a file name
_RENDER_VERSION = 3  # bump when the templates change, so cached letters are redrawn


class RenderError(RuntimeError):
    """A letter that could not be written; one Vietnamese line."""


def place_date(place: str, day: dt.date) -> str:
    return f"{place}, {nd30_date(day)}" if place else nd30_date(day).capitalize()


def _sender(config: SenderConfig) -> dict:
    return {"parent_lines": config.parent_lines, "issuer_lines": config.issuer_lines,
            "authority_line": config.authority_line, "signer_title": config.signer_title,
            "signer": config.signer}


def _with_sender(context: dict, config: SenderConfig, as_of: dt.date) -> dict:
    return {"sender": _sender(config), "place_date": place_date(config.place, as_of), **context}


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
def draft_letters(tasks: Iterable[RegisteredTask], out_dir: Path, as_of: dt.date,
                  config: Optional[SenderConfig] = None, combined: bool = False,
                  report_by: Optional[dt.date] = None, template: Optional[Path] = None,
                  reminders: Optional[Mapping[str, PreviousReminder]] = None,
                  due_soon_days: int = DUE_SOON_DAYS,
                  on_letter: Optional[Callable[[UnitDigest, int, Path], None]] = None) -> list[Path]:
    """One công văn đôn đốc per unit with open tasks (or one to all of them); the paths written.

    `tasks` is a list, or a stream in unit order (Register.iter_tasks): one unit is held at a time.
    `reminders` (unit key → the last letter recorded for it) turns a repeated reminder into "đôn đốc lần 2";
    `on_letter(digest, round, path)` is told of each letter written (to record it)."""
    config = config or load_config()
    reminders = reminders or {}
    out_dir = Path(out_dir)
    stamp = as_of.strftime("%Y%m%d")
    taken: set[str] = set()
    digests = (d for d in digest_units(tasks, due_soon_days) if d.open)
    if combined:
        everyone = sorted(digests, key=lambda d: (-d.overdue, d.name.lower()))
        if not everyone:
            return []
        context = _with_sender(letter_context(everyone, as_of, config, report_by, due_soon_days=due_soon_days),
                               config, as_of)
        path = _unique(out_dir, f"cong-van-don-doc-{stamp}-cac-don-vi", ".docx", taken)
        return [render_docx(template or TEMPLATES / COMBINED, context, path)]
    written, ledger = [], _Ledger(out_dir)
    for digest in digests:
        context = letter_context([digest], as_of, config, report_by, reminders.get(digest.key), due_soon_days)
        path = _unique(out_dir, f"cong-van-don-doc-{stamp}-{safe_stem(digest.name)}", ".docx", taken)
        written.append(ledger.render(template or TEMPLATES / SINGLE, _with_sender(context, config, as_of), path))
        if on_letter:
            on_letter(digest, context["round"], path)
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


def draft_report(tasks: Iterable[RegisteredTask], out_path: Path, as_of: dt.date,
                 config: Optional[SenderConfig] = None, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """The báo cáo tổng hợp of the register for the Chủ tịch (tasks: a list or a stream in unit order)."""
    config = config or load_config()
    context = _with_sender(report_context(tasks, as_of, config, due_soon_days), config, as_of)
    return render_docx(TEMPLATES / REPORT, context, Path(out_path))


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
