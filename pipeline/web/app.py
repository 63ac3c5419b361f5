"""Routes of the review page. Reads open the register read-only per request; each change opens it for writing
for the moment of the change (the same OS lock `nhiemvu run` takes), through the register's audited methods."""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Optional

from flask import (Flask, abort, flash, g, redirect, render_template, request, send_from_directory, session,
                   url_for)

from extractors.models import Deadline, Task
from pipeline.register import InvalidChange, Register, RegisterBusy, StaleTask, UnknownTask
from pipeline.status import STATES
from pipeline.web import dashboard as dash
from pipeline.web import security

RECURRENCE_VI = {"": "không", "weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý",
                 "yearly": "hằng năm"}
EVIDENCE_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".doc", ".docx", ".odt",
                     ".xls", ".xlsx", ".ods", ".txt", ".zip", ".rar", ".7z"}
PAGE_SIZE = 50
MAX_UPLOAD = 20 * 1024 * 1024


class Busy(Exception):
    pass


def create_app(db: str | Path, *, password: Optional[str] = None, secret_key: Optional[str] = None,
               as_of: Optional[dt.date] = None, letters_dir: Optional[Path] = None,
               max_upload: int = MAX_UPLOAD, config_path: Optional[Path] = None) -> Flask:
    db = Path(db).resolve()
    with Register.open(db, write=True):  # bring the schema up to date once, before any request reads it
        pass
    app = Flask(__name__)
    app.config.update(
        DB=db, PASSWORD=password or None, SECRET_KEY=secret_key or secrets.token_hex(32), AS_OF=as_of,
        LETTERS_DIR=Path(letters_dir or db.parent / "out" / "cong-van-trang-web").resolve(),
        MAX_CONTENT_LENGTH=max_upload, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        CONFIG_PATH=config_path, TEMPLATES_AUTO_RELOAD=False, DUE_SOON_DAYS=_due_soon_days(config_path, db),
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals.update(STATES=STATES, RECURRENCE_VI=RECURRENCE_VI, STATE_CLASS=dash.STATE_CLASS,
                                 fmt_date=_fmt_date)
    app.jinja_env.filters["audit_text"] = _audit_text
    security.install(app)
    _routes(app)
    return app


# ---------------------------------------------------------------- helpers
def _due_soon_days(config_path: Optional[Path], db: Path) -> int:
    """The office's [tracking] due_soon_days (nhiemvu.toml here or beside the register), else 7."""
    try:
        from pipeline.config import load_tracking

        return int(load_tracking(config_path, register=db).due_soon_days)
    except Exception:  # a broken nhiemvu.toml is reported where letters are drafted, not here
        return 7


def _fmt_date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


AUDIT_FIELDS = {"assignee": "đơn vị chủ trì", "co_assignees": "phối hợp", "action": "nội dung",
                "deadline": "thời hạn", "completed_on": "ngày hoàn thành", "note": "ghi chú",
                "reply_number": "số văn bản báo cáo", "reply_date": "ngày văn bản báo cáo", "reason": "lý do",
                "by_document": "văn bản", "file": "tệp", "size": "cỡ (byte)", "recurrence": "định kỳ",
                "source": "tệp văn bản", "span": "vị trí", "block_path": "mục"}


def _audit_text(raw: Optional[str]) -> str:
    """An audit entry's old/new JSON as 'field: value' lines a clerk can read."""
    import json

    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return str(data)
    lines = []
    for key, value in data.items():
        if key in ("source", "span", "block_path") or value in (None, "", []):
            continue
        if isinstance(value, dict):  # a deadline
            value = value.get("due") or value.get("phrase") or value.get("recurrence") or ""
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        lines.append(f"{AUDIT_FIELDS.get(key, key)}: {value}")
    return "\n".join(lines)


def _as_of() -> dt.date:
    from flask import current_app

    return current_app.config["AS_OF"] or dt.date.today()


def _reader() -> Register:
    from flask import current_app

    if "reader" not in g:
        g.reader = Register.open(current_app.config["DB"], write=False)
    return g.reader


def _writer() -> Register:
    from flask import current_app

    try:
        return Register.open(current_app.config["DB"], write=True, lock_timeout=5)
    except RegisterBusy:
        raise Busy()


def _who() -> str:
    from pipeline.register import _os_user

    return f"{session.get('name') or _os_user()} (trang web)"


def _parse_date(text: Optional[str]) -> Optional[dt.date]:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Ngày '{text}' không hợp lệ; hãy viết dd/mm/yyyy")


def _int(text, default: Optional[int] = None) -> Optional[int]:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def unit_suggestions(reader: Register) -> list[str]:
    """Names for the unit field: the unit registry's canonical names and the units already in the register."""
    from pipeline.web.units_list import registry_names

    seen = set(dash.units(reader.conn))
    return sorted(seen | set(registry_names()), key=lambda s: s.lower())


def _canonical_unit(name: str) -> str:
    from extractors.units import UnitRegistry

    name = " ".join(name.split())
    return UnitRegistry.default().lookup(name) or name if name else name


def _filters() -> dash.Filters:
    args = request.args
    try:
        due_from, due_to = _parse_date(args.get("from")), _parse_date(args.get("to"))
    except ValueError as exc:
        flash(str(exc), "error")
        due_from = due_to = None
    status = args.get("status", "")
    return dash.Filters(unit=args.get("unit", ""), status=status if status in STATES else "",
                        notice=args.get("notice", ""), notice_id=_int(args.get("notice_id")),
                        due_from=due_from, due_to=due_to, q=args.get("q", ""))


# ---------------------------------------------------------------- routes
def _routes(app: Flask) -> None:
    @app.teardown_appcontext
    def _close(_exc):
        reader = g.pop("reader", None)
        if reader is not None:
            reader.close()

    @app.errorhandler(Busy)
    def _busy(_exc):
        return render_template("message.html", title="Sổ đang bận",
                               message="Sổ nhiệm vụ đang được một lần chạy khác (nhiemvu run) sử dụng; "
                                       "hãy đợi lần chạy đó xong rồi bấm lưu lại."), 503

    @app.errorhandler(UnknownTask)
    def _unknown(exc):
        return render_template("message.html", title="Không có nhiệm vụ",
                               message=f"Không có nhiệm vụ mã {exc.args[0]} trong sổ (có thể đã bị xóa)."), 404

    @app.errorhandler(413)
    def _too_big(_exc):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return render_template("message.html", title="Tệp quá lớn",
                               message=f"Tệp gửi lên vượt giới hạn {limit} MB; hãy nén hoặc chia nhỏ rồi gửi lại."), 413

    @app.route("/dang-nhap", methods=["GET", "POST"])
    def login():
        error = None
        if request.method == "POST":
            if security.password_ok(request.form.get("password", ""), app.config["PASSWORD"] or ""):
                session.clear()
                session["signed_in"] = True
                session["name"] = " ".join(request.form.get("name", "").split())[:80]
                target = request.args.get("next", "/")
                return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
            error = "Mật khẩu không đúng."
        return render_template("login.html", error=error), (401 if error else 200)

    @app.post("/dang-xuat")
    def logout():
        session.clear()
        return redirect(url_for("dashboard"))

    @app.get("/")
    def dashboard():
        as_of = _as_of()
        days = max(0, min(_int(request.args.get("days"), app.config["DUE_SOON_DAYS"]), 366))
        f = _filters()
        reader = _reader()
        page = max(1, _int(request.args.get("page"), 1))
        fig = dash.figures(reader.conn, app.config["DB"], as_of, f, days, page, PAGE_SIZE)
        n_listed = fig.total.total
        return render_template(
            "dashboard.html", as_of=as_of, days=days, f=f, units=dash.units(reader.conn), lines=fig.lines,
            total=fig.total, soon=fig.soon, late=fig.late, n_soon=fig.n_soon, n_late=fig.total.counts[STATES[3]],
            listed=fig.listed, n_listed=n_listed, page=page, pages=max(1, -(-n_listed // PAGE_SIZE)))

    @app.get("/van-ban")
    def notices():
        from pipeline.web.notices import notice_list

        q = request.args.get("q", "")
        page = max(1, _int(request.args.get("page"), 1))
        items, n = notice_list(_reader().conn, q, page, PAGE_SIZE)
        return render_template("notices.html", items=items, q=q, page=page, pages=max(1, -(-n // PAGE_SIZE)), n=n)

    @app.get("/van-ban/<int:notice_id>")
    def notice(notice_id: int):
        from pipeline.web.notices import notice_page

        data = notice_page(_reader(), notice_id, _as_of())
        if data is None:
            abort(404)
        return render_template("notice.html", units=unit_suggestions(_reader()), **data)

    @app.post("/van-ban/<int:notice_id>/them")
    def add_task(notice_id: int):
        form = request.form
        unit = _canonical_unit(form.get("assignee", ""))
        action = " ".join(form.get("action", "").split())
        if not unit or not action:
            flash("Cần ghi đơn vị chủ trì và nội dung nhiệm vụ.", "error")
            return redirect(url_for("notice", notice_id=notice_id))
        start, end = _int(form.get("start")), _int(form.get("end"))
        reader = _reader()
        body = reader.notice_body(notice_id) or {"text": ""}
        span = (start, end) if start is not None and end is not None and 0 <= start < end <= len(body["text"]) else None
        source = reader.conn.execute("SELECT source FROM notices WHERE id=?", (notice_id,)).fetchone()
        if source is None:
            abort(404)
        try:
            deadline = _deadline_from(form, None)
        except ValueError as exc:
            flash(str(exc), "error")
            return redirect(url_for("notice", notice_id=notice_id))
        block = _block_at(body.get("blocks", []), span[0]) if span else ""
        task = Task(source=source[0], assignee=unit, action=action, deadline=deadline, span=span, block_path=block,
                    co_assignees=_co_units(form.get("co_assignees", "")))
        with _writer() as w:
            tid = w.add_task(notice_id, task, who=_who())
        flash(f"Đã thêm nhiệm vụ {tid} ({unit}).", "ok")
        return redirect(url_for("notice", notice_id=notice_id) + f"#task-{tid}")

    @app.get("/nhiem-vu/<task_id>")
    def task(task_id: str):
        return _task_page(task_id)

    @app.post("/nhiem-vu/<task_id>/sua")
    def edit(task_id: str):
        form = request.form
        reader = _reader()
        current = reader.task(task_id, _as_of())
        try:
            deadline = _deadline_from(form, current.task.deadline)
        except ValueError as exc:
            return _task_page(task_id, error=str(exc), form=form, code=400)
        changes = {
            "assignee": _canonical_unit(form.get("assignee", "")) or current.task.assignee,
            "co_assignees": _co_units(form.get("co_assignees", "")),
            "action": " ".join(form.get("action", "").split()) or current.task.action,
            "deadline": deadline,
        }
        try:
            with _writer() as w:
                w.edit_task(task_id, changes, expected_version=_int(form.get("version")), who=_who())
        except StaleTask as exc:
            return _stale(task_id, exc, form)
        flash("Đã lưu thay đổi.", "ok")
        return redirect(url_for("task", task_id=task_id))

    @app.post("/nhiem-vu/<task_id>/xoa")
    def dismiss(task_id: str):
        reader = _reader()
        notice_id = reader.task(task_id).notice.id
        try:
            with _writer() as w:
                w.dismiss_task(task_id, _int(request.form.get("version")), request.form.get("reason", "")[:500],
                               who=_who())
        except StaleTask as exc:
            return _stale(task_id, exc, request.form)
        flash(f"Đã xóa {task_id} khỏi sổ (không phải nhiệm vụ); lần đọc lại văn bản sau không thêm lại.", "ok")
        return redirect(url_for("notice", notice_id=notice_id))

    @app.post("/nhiem-vu/<task_id>/hoan-thanh")
    def complete(task_id: str):
        form = request.form
        try:
            on = _parse_date(form.get("completed_on")) or _as_of()
            reply_date = _parse_date(form.get("reply_date"))
        except ValueError as exc:
            return _task_page(task_id, error=str(exc), form=form, code=400)
        upload = request.files.get("evidence")
        try:
            if upload and upload.filename:
                _evidence_name(upload)  # refuse a wrong file before anything is recorded
            with _writer() as w:
                period = w.complete(task_id, on, reply_number=form.get("reply_number", "").strip()[:200] or None,
                           reply_date=reply_date, note=form.get("note", "").strip()[:1000] or None,
                           expected_version=_int(form.get("version")), who=_who())
                if upload and upload.filename:
                    _store_evidence(w, task_id, upload)
        except StaleTask as exc:
            return _stale(task_id, exc, form)
        except ValueError as exc:
            return _task_page(task_id, error=str(exc), code=400)
        flash(f"Đã ghi hoàn thành ngày {on:%d/%m/%Y}" + (f" cho kỳ hạn {period:%d/%m/%Y}." if period else "."), "ok")
        return redirect(url_for("task", task_id=task_id))

    @app.post("/nhiem-vu/<task_id>/kiem-chung")
    def upload_evidence(task_id: str):
        upload = request.files.get("evidence")
        if not upload or not upload.filename:
            return _task_page(task_id, error="Chưa chọn tệp tài liệu kiểm chứng.", code=400)
        try:
            with _writer() as w:
                _store_evidence(w, task_id, upload)
        except ValueError as exc:
            return _task_page(task_id, error=str(exc), code=400)
        flash("Đã lưu tài liệu kiểm chứng.", "ok")
        return redirect(url_for("task", task_id=task_id))

    @app.post("/nhiem-vu/<task_id>/mo-lai")
    def reopen(task_id: str):
        try:
            with _writer() as w:
                w.reopen_checked(task_id, _int(request.form.get("version")), who=_who())
        except StaleTask as exc:
            return _stale(task_id, exc, request.form)
        except InvalidChange as exc:
            return _task_page(task_id, error=f"Không mở lại được: {exc}.", code=400)
        flash("Đã mở lại nhiệm vụ.", "ok")
        return redirect(url_for("task", task_id=task_id))

    @app.post("/nhiem-vu/<task_id>/gia-han")
    def extend(task_id: str):
        form = request.form
        try:
            new_due = _parse_date(form.get("new_deadline"))
        except ValueError as exc:
            return _task_page(task_id, error=str(exc), form=form, code=400)
        reason = form.get("reason", "").strip()[:500]
        if not new_due or not reason:
            return _task_page(task_id, error="Gia hạn cần ngày hạn mới và lý do.", form=form, code=400)
        try:
            with _writer() as w:
                w.extend_checked(task_id, new_due, reason, form.get("by_document", "").strip()[:200] or None,
                                 expected_version=_int(form.get("version")), who=_who(), as_of=_as_of())
        except StaleTask as exc:
            return _stale(task_id, exc, form)
        except InvalidChange as exc:
            return _task_page(task_id, error=f"Không gia hạn được: {exc}.", form=form, code=400)
        flash(f"Đã gia hạn đến {new_due:%d/%m/%Y}.", "ok")
        return redirect(url_for("task", task_id=task_id))

    @app.get("/kiem-chung/<int:evidence_id>")
    def evidence_file(evidence_id: int):
        item = _reader().evidence_item(evidence_id)
        if item is None:
            abort(404)
        folder = _reader().evidence_dir()
        # always a download, never shown inline: an uploaded HTML or SVG file cannot run in the page
        response = send_from_directory(folder, item["stored_name"], as_attachment=True,
                                       download_name=item["original_name"], mimetype="application/octet-stream")
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @app.route("/cong-van", methods=["GET", "POST"])
    def letters():
        from pipeline.web.letters import draft_from_page, letter_files

        folder = app.config["LETTERS_DIR"]
        units = dash.units(_reader().conn, open_only=True)
        written, error = [], None
        if request.method == "POST":
            try:
                written = draft_from_page(_reader(), folder, _as_of(), request.form, app.config["CONFIG_PATH"])
                if not written:
                    error = "Không có nhiệm vụ chưa hoàn thành nào khớp điều kiện: không soạn công văn."
            except ValueError as exc:
                error = str(exc)
        return render_template("letters.html", units=units, written=[p.name for p in written], error=error,
                               files=letter_files(folder), soffice=bool(shutil.which("soffice")))

    @app.get("/cong-van/tai/<name>")
    def letter_file(name: str):
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(docx|pdf)", name):
            abort(404)
        return send_from_directory(app.config["LETTERS_DIR"], name, as_attachment=True)


def _co_units(text: str) -> list[str]:
    return [u for u in (_canonical_unit(p) for p in re.split(r"[;\n]", text)) if u]


def _block_at(blocks: list, offset: int) -> str:
    inside = [b for b in blocks if b[3] <= offset < b[4]]
    return min(inside, key=lambda b: b[4] - b[3])[0] if inside else ""


def _deadline_from(form, old: Optional[Deadline]) -> Optional[Deadline]:
    """The deadline fields of a form; the notice's phrase is kept while the date and recurrence are unchanged."""
    due = _parse_date(form.get("due"))
    recurrence = form.get("recurrence") or None
    if recurrence not in (None, "weekly", "monthly", "quarterly", "yearly"):
        raise ValueError("Định kỳ không hợp lệ.")
    ongoing = bool(form.get("ongoing"))
    if due is None and recurrence is None and not ongoing:
        return None
    if old and old.due == due and old.recurrence == recurrence and old.ongoing == ongoing:
        return old
    day = old.day_of_period if old and old.recurrence == recurrence else None
    return Deadline(due=due, recurrence=recurrence, ongoing=ongoing, day_of_period=day,
                    phrase=f"cán bộ ghi: {due:%d/%m/%Y}" if due else ("thường xuyên" if ongoing else ""))


def _evidence_name(upload) -> tuple[str, str]:
    original = Path(upload.filename.replace("\\", "/")).name[:200] or "tep"
    suffix = Path(original).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        raise ValueError(f"Không nhận tệp '{original}': chỉ nhận PDF, ảnh, Word, Excel, văn bản, tệp nén.")
    return original, suffix


def _store_evidence(w: Register, task_id: str, upload) -> None:
    """Stored under a generated name in the register's evidence folder; the original name is only a label."""
    original, suffix = _evidence_name(upload)
    folder = w.evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(12)}{suffix}"
    target = folder / stored
    upload.save(str(target))
    os.chmod(target, 0o600)
    w.add_evidence(task_id, stored, original, target.stat().st_size, who=_who())


def _stale(task_id: str, exc: StaleTask, form) -> tuple:
    message = (f"Nhiệm vụ {exc.task_id} đã được sửa ở nơi khác (thẻ trình duyệt khác, cán bộ khác hoặc lần "
               "chạy nhiemvu run) sau khi bạn mở trang: thay đổi của bạn CHƯA được lưu. Nội dung hiện tại ở "
               "dưới; những gì bạn đã nhập được giữ trong ô, hãy xem lại rồi bấm lưu lần nữa.")
    return _task_page(task_id, error=message, form=form, code=409)


def _task_page(task_id: str, error: Optional[str] = None, form=None, code: int = 200):
    reader = _reader()
    rt = reader.task(task_id, _as_of())
    state = reader.review_state(task_id)
    history = list(reversed(reader.audit(rt.id)))
    return render_template("task.html", rt=rt, state=state, history=history, error=error, form=form or {},
                           as_of_iso=_as_of().isoformat(), units=unit_suggestions(reader)), code
