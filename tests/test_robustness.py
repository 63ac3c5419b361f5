"""Hostile and unlucky inputs, as an operator meets them (issue 10): each defect found by the red-team
pass has a test here, run through the CLI in a child process."""
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORK_WORDS = ["kiểm tra", "rà soát", "tổng hợp", "báo cáo", "thực hiện", "triển khai", "công tác",
              "dân số", "đất đai", "hồ sơ", "chỉ đạo", "đôn đốc"]


def cli(*args, cwd=None, timeout=300, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def no_traceback(proc):
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-2000:]


def unpunctuated(size: int, seed: int = 2) -> str:
    """A paragraph of work verbs and nouns with no '. : ; (' and no comma: one clause, `size` characters."""
    rng = random.Random(seed)
    words = []
    total = 0
    while total < size:
        w = rng.choice(WORK_WORDS)
        words.append(w)
        total += len(w) + 1
    return " ".join(words)[:size]


def test_long_unpunctuated_paragraph_is_extracted_in_linear_time(tmp_path):
    # 400 KB: the quadratic verb scan took ~30 s at 100 KB and ~6 min here; linear takes about two seconds
    notice = tmp_path / "dai.txt"
    notice.write_text("THÔNG BÁO\n\nKết luận hội nghị\n\nGiao Phòng Kinh tế " + unpunctuated(400_000) + "\n",
                      encoding="utf-8")
    proc = cli("extract", notice, timeout=100)
    no_traceback(proc)
    assert proc.returncode == 0
    tasks = json.loads(proc.stdout)
    assert [t["assignee"] for t in tasks] == ["Phòng Kinh tế"]


# ---------------------------------------------------------------- 1. control characters
SAMPLE = ROOT / "samples" / "000_eabed86a213ae9b7.txt"
HOSTILE = "\x00\x1b[31m\x01\ufffe\x7f\x9b"
UNSAFE_CHARS = set(HOSTILE) - set("[31m")


def hostile_notice(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8").replace("Là cơ quan đầu mối", f"Là cơ{HOSTILE} quan đầu\x01 mối")
    path = folder / "thong-bao.txt"
    path.write_text(text, encoding="utf-8")
    return path


def export_texts(out: Path) -> dict:
    """Every cell of the three exports, as text."""
    from openpyxl import load_workbook

    wb = load_workbook(out / "nhiemvu.xlsx", read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    wb.close()
    return {"xlsx": "\n".join(cells), "csv": (out / "nhiemvu.csv").read_text(encoding="utf-8-sig"),
            "json": (out / "nhiemvu.json").read_text(encoding="utf-8")}


def register_rows(db: Path) -> list:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, data, completed_on, note FROM tasks ORDER BY id").fetchall()


def test_control_characters_in_a_notice_do_not_stop_the_register(tmp_path):
    hostile_notice(tmp_path / "vb")
    db, out = tmp_path / "nv.db", tmp_path / "out"
    first = cli("run", tmp_path / "vb", "--db", db, "--out", out)
    no_traceback(first)
    assert first.returncode == 0, first.stderr
    for fmt, text in export_texts(out).items():
        assert not UNSAFE_CHARS & set(text), fmt
    assert "Là cơ[31m quan đầu mối" in export_texts(out)["csv"]
    listing = cli("tasks", "--db", db)
    assert listing.returncode == 0 and "\x1b" not in listing.stdout
    before = register_rows(db)
    again = cli("run", tmp_path / "vb", "--db", db, "--out", out)
    assert again.returncode == 0 and "1 không đổi" in again.stdout
    assert register_rows(db) == before


def test_a_register_already_holding_control_characters_still_exports(tmp_path):
    """A register written by an earlier release (before the reader removed them): exports defend themselves."""
    import sqlite3

    folder = tmp_path / "vb"
    folder.mkdir()
    (folder / "tb.txt").write_bytes(SAMPLE.read_bytes())
    db, out = tmp_path / "nv.db", tmp_path / "out"
    assert cli("run", folder, "--db", db, "--out", out).returncode == 0
    with sqlite3.connect(db) as conn:
        tid, data = conn.execute("SELECT id, data FROM tasks ORDER BY id LIMIT 1").fetchone()
        task = json.loads(data)
        task["action"] = HOSTILE + task["action"]
        task["assignee"] = task["assignee"] + "\x1b[2J"
        conn.execute("UPDATE tasks SET data=? WHERE id=?", (json.dumps(task), tid))
    before = register_rows(db)
    for fmt in ("xlsx", "csv", "json"):
        proc = cli("export", "--format", fmt, "-o", out / f"nhiemvu.{fmt}", "--db", db)
        no_traceback(proc)
        assert proc.returncode == 0, proc.stderr
    for fmt, text in export_texts(out).items():
        assert not UNSAFE_CHARS & set(text), fmt
    assert "\x1b" not in cli("tasks", "--db", db).stdout
    rerun = cli("run", folder, "--db", db, "--out", tmp_path / "out2")
    no_traceback(rerun)
    assert rerun.returncode == 0
    assert register_rows(db) == before  # exporting never rewrites the register
    letters = list((tmp_path / "out2" / "cong-van").glob("*.docx"))
    assert letters


# ---------------------------------------------------------------- 5. extract, every output format
@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_extract_writes_every_format(tmp_path, fmt, to_file):
    folder = tmp_path / "vb"
    folder.mkdir()
    # a file name a spreadsheet would run as a formula lands in the 'source' column
    (folder / "=HYPERLINK(1).txt").write_bytes(SAMPLE.read_bytes())
    (folder / "@SUM(1).txt").write_bytes(SAMPLE.read_bytes())
    args = ["extract", folder, "--format", fmt]
    target = tmp_path / f"ra.{fmt}"
    if to_file:
        args += ["-o", target]
    proc = cli(*args)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    text = target.read_text(encoding="utf-8-sig") if to_file else proc.stdout
    if fmt == "json":
        records = json.loads(text)
    else:
        import csv
        import io

        records = list(csv.DictReader(io.StringIO(text)))
        assert all(not str(v).startswith(("=", "@", "+", "-")) for r in records for v in r.values())
        assert {r["source"].lstrip("'") for r in records} == {str(folder / "=HYPERLINK(1).txt"),
                                                             str(folder / "@SUM(1).txt")}
    assert len(records) >= 10 and {r["assignee"] for r in records} >= {"Phòng Văn hóa - Xã hội"}


# ---------------------------------------------------------------- 8. file-system, SQLite and config errors
def registered(tmp_path: Path, copies: int = 1) -> tuple[Path, Path]:
    """A folder with `copies` of one real notice and its register, after one clean run."""
    folder = tmp_path / "vb"
    folder.mkdir(exist_ok=True)
    for k in range(copies):  # each copy its own notice (number, and bytes)
        text = SAMPLE.read_text(encoding="utf-8").replace("Số: /TB-UBND", f"Số: {k + 1}/TB-UBND")
        (folder / f"tb{k}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "nv.db"
    first = cli("run", folder, "--db", db, "--out", tmp_path / "out")
    assert first.returncode == 0, first.stderr
    return folder, db


def one_vietnamese_line(proc, *words):
    """Exit code 2, no traceback, one line on stderr that starts 'Lỗi:' and names what it is about."""
    no_traceback(proc)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi:"), proc.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def limited_file_size(limit_bytes: int):
    """preexec_fn: the child may not grow any file beyond `limit_bytes` (a full disk, as the OS reports it)."""
    import resource

    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    return apply


def cli_limited(*args, preexec_fn=None, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=300, preexec_fn=preexec_fn)


def test_a_file_size_limit_while_registering_is_one_line_and_the_register_is_kept(tmp_path):
    folder, db = registered(tmp_path)
    before = register_rows(db)
    more = tmp_path / "them"
    more.mkdir()
    for k in range(3):  # enough new text to grow the register past the limit
        (more / f"tb{k}.txt").write_text(SAMPLE.read_text(encoding="utf-8").replace("Số: /TB-UBND", f"Số: {k + 101}/TB-UBND")
                                         + ("\nGhi chú thêm " * 2000), encoding="utf-8")
    size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob("nv.db-*"))
    proc = cli_limited("run", more, "--db", db, "--out", tmp_path / "out", preexec_fn=limited_file_size(size + 4096))
    one_vietnamese_line(proc, str(db))
    again = cli("run", folder, "--db", db, "--out", tmp_path / "out")  # the register still opens, nothing lost
    assert again.returncode == 0, again.stderr
    assert set(before) <= set(register_rows(db))


def test_a_full_disk_while_exporting_leaves_no_truncated_file(tmp_path):
    folder, db = registered(tmp_path, copies=5)  # exports larger than SQLite's 32 KB shared-memory file
    out = tmp_path / "xuat"
    out.mkdir()
    for fmt in ("csv", "xlsx", "json"):
        proc = cli_limited("export", "--format", fmt, "-o", out / f"nhiemvu.{fmt}", "--db", db,
                           preexec_fn=limited_file_size(40_000))
        one_vietnamese_line(proc, f"nhiemvu.{fmt}", "giới hạn")
    assert list(out.iterdir()) == []  # neither the real name nor a temporary one is left behind
    proc = cli_limited("run", folder, "--db", db, "--out", tmp_path / "out2", preexec_fn=limited_file_size(40_000))
    no_traceback(proc)
    assert proc.returncode == 2
    assert not (tmp_path / "out2" / "nhiemvu.csv").exists() or \
        (tmp_path / "out2" / "nhiemvu.csv").read_bytes() == (tmp_path / "out" / "nhiemvu.csv").read_bytes()
    assert not [p for p in (tmp_path / "out2").rglob("*") if ".tmp" in p.name]


def test_draft_and_report_on_a_full_disk_are_one_line(tmp_path):
    folder, db = registered(tmp_path)
    for command in (["draft", "--out", tmp_path / "cv"], ["report", "--out", tmp_path / "bc"]):
        proc = cli_limited(*command, "--db", db, "--as-of", "01/12/2026", preexec_fn=limited_file_size(33_000))
        one_vietnamese_line(proc, "giới hạn")
        written = [p for d in ("cv", "bc") if (tmp_path / d).is_dir() for p in (tmp_path / d).iterdir()]
        assert not [p for p in written if p.suffix == ".docx"]


@pytest.mark.parametrize("case", ["cp1258", "directory", "scalar"])
def test_a_broken_nhiemvu_toml_is_one_line(tmp_path, case):
    folder, db = registered(tmp_path)
    config = tmp_path / "nhiemvu.toml"
    if case == "cp1258":  # Notepad's 'ANSI' on a Vietnamese Windows
        config.write_bytes(cp1258('[sender]\nissuer_lines = ["ỦY BAN NHÂN DÂN", "XÃ ĐÔNG SƠN"]\nplace = "Đông Sơn"\n'))
    elif case == "directory":
        config.mkdir()
    else:
        config.write_text('sender = "x"\n', encoding="utf-8")
    proc = cli("draft", "--db", db, "--out", tmp_path / "cv", "--as-of", "01/12/2026", cwd=tmp_path)
    no_traceback(proc)
    if case == "cp1258":  # read as what the officer wrote
        assert proc.returncode == 0, proc.stderr
        assert "Đông Sơn" in letter_text(next((tmp_path / "cv").glob("*.docx")))
    else:
        one_vietnamese_line(proc, "nhiemvu.toml")
    run = cli("run", folder, "--db", db, "--out", tmp_path / "out", cwd=tmp_path)
    no_traceback(run)
    if case == "cp1258":
        assert run.returncode == 0, run.stderr
    elif case == "scalar":  # the register is brought up to date; only the letters wait for a usable [sender]
        assert run.returncode == 0 and "nhiemvu.toml" in run.stderr
    else:  # run reads [tracking] from the same file
        one_vietnamese_line(run, "nhiemvu.toml")


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: a letter with its tone mark as a separate combining character."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            vowel = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
            out += (vowel + "".join(tones)).encode("cp1258")
    return out


def letter_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# ---------------------------------------------------------------- 10. a register from a newer release
def test_a_register_from_a_newer_release_is_refused_untouched(tmp_path):
    import sqlite3

    folder, db = registered(tmp_path)
    conn = sqlite3.connect(db)
    with conn:
        known = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        conn.execute("INSERT INTO schema_version VALUES (?, ?)", (known + 7, "2030-01-01T00:00:00"))
    conn.close()
    before = db.read_bytes()
    for args in (["run", folder, "--out", tmp_path / "out"], ["tasks"], ["export", "--format", "csv", "-o", tmp_path / "x.csv"]):
        proc = cli(*args, "--db", db)
        one_vietnamese_line(proc, str(db), str(known + 7))
    assert db.read_bytes() == before


# ---------------------------------------------------------------- 6. the office's nhiemvu.toml beside the register
OFFICE_TOML = '[sender]\nissuer_lines = ["ỦY BAN NHÂN DÂN", "XÃ ĐÔNG SƠN"]\nplace = "Đông Sơn"\nsigner = "Lê Văn Tám"\n'


def test_letters_use_the_nhiemvu_toml_beside_the_register_from_any_folder(tmp_path):
    office = tmp_path / "van-phong"
    office.mkdir()
    (office / "nhiemvu.toml").write_text(OFFICE_TOML, encoding="utf-8")
    folder, _ = registered(office)
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    run = cli("run", folder, "--db", office / "nv.db", "--out", office / "ra", "--as-of", "01/12/2026", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert "Chú ý" not in run.stderr
    draft = cli("draft", "--db", office / "nv.db", "--out", elsewhere / "cv", "--as-of", "01/12/2026", cwd=elsewhere)
    assert draft.returncode == 0, draft.stderr
    for letter in [*(office / "ra" / "cong-van").glob("*.docx"), *(elsewhere / "cv").glob("*.docx")]:
        text = letter_text(letter)
        assert "XÃ ĐÔNG SƠN" in text and "Lê Văn Tám" in text and "NGHI DƯƠNG" not in text, letter.name


def test_the_bundled_sample_sender_is_announced(tmp_path):
    folder = tmp_path / "vb"
    folder.mkdir()
    (folder / "tb.txt").write_bytes(SAMPLE.read_bytes())
    run = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "ra", cwd=tmp_path)
    assert run.returncode == 0
    assert "nhiemvu.toml" in run.stderr and "mẫu" in run.stderr


# ---------------------------------------------------------------- 7. run never reads its own output
def test_run_dot_does_not_read_its_own_letters_back(tmp_path):
    office = tmp_path / "van-phong"
    office.mkdir()
    for name in ("000_eabed86a213ae9b7.txt", "001_8c67ab148a5ce6b1.txt"):
        (office / name).write_bytes((ROOT / "samples" / name).read_bytes())
    first = cli("run", ".", "--as-of", "01/12/2026", cwd=office)
    assert first.returncode == 0, first.stderr
    assert list((office / "out" / "cong-van").glob("*.docx"))
    before = register_rows(office / "nhiemvu.db")
    again = cli("run", ".", "--as-of", "01/12/2026", cwd=office)
    assert again.returncode == 0 and "Đã xét 2 tệp" in again.stdout, again.stdout
    # an output folder written under another name by an earlier run is not read either
    other = cli("run", ".", "--out", "ra-khac", "--as-of", "01/12/2026", cwd=office)
    assert other.returncode == 0
    third = cli("run", ".", "--as-of", "01/12/2026", cwd=office)
    assert "Đã xét 2 tệp" in third.stdout, third.stdout
    assert register_rows(office / "nhiemvu.db") == before


# ---------------------------------------------------------------- 11. smaller ones
# The officer's command in a child that gives up root after start-up (root may write anywhere; the
# interpreter itself may sit in a folder only root can read, so what the command needs is imported first).
AS_OFFICER = """
import os, sys, sqlite3, urllib.parse, getpass, pwd, _strptime, json, datetime
import pipeline.cli, pipeline.run_cmd, pipeline.register, pipeline.failures, pipeline.status, pipeline.export
import rich.console, rich.table, rich.text, extractors.textnorm, extractors.models
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
sys.argv = ["nhiemvu", *sys.argv[1:]]
pipeline.cli.main()
"""


def test_a_register_in_a_read_only_folder_is_still_read(tmp_path):
    import shutil
    import stat
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="nhiemvu-chi-doc-"))  # outside pytest's root-only tmp folder
    try:
        base.chmod(0o755)
        folder, db = registered(base)
        listing_before = cli("tasks", "--db", db, "--as-of", "01/12/2026")
        base.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        db.chmod(0o444)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "HOME": str(base)}

        def as_officer(*args):
            return subprocess.run([sys.executable, "-c", AS_OFFICER, *map(str, args)], cwd=base, env=env,
                                  capture_output=True, text=True, timeout=300)
        listing = as_officer("tasks", "--db", db, "--as-of", "01/12/2026")
        no_traceback(listing)
        assert listing.returncode == 0, listing.stderr
        assert listing.stdout == listing_before.stdout
        done = as_officer("done", register_rows(db)[0][0], "--db", db)
        one_vietnamese_line(done, str(db))
    finally:
        base.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- 3. cell-span amplification in .docx
def memory_capped(limit_bytes: int = 1536 << 20):
    """preexec_fn: the child's address space is capped, so a regression fails here instead of
    taking the shared machine's memory."""
    import resource

    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return apply


def spanned_table_docx(path: Path, span: str, rows: int = 20) -> Path:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.add_paragraph("THÔNG BÁO")
    d.add_paragraph("Kết luận của Chủ tịch UBND xã")
    table = d.add_table(rows=rows + 1, cols=3)
    for c, head in enumerate(("Nội dung", "Đơn vị chủ trì", "Thời hạn")):
        table.cell(0, c).text = head
    for r in range(1, rows + 1):
        cells = table.rows[r].cells
        cells[0].text, cells[1].text, cells[2].text = f"Rà soát hồ sơ đất đai đợt {r}", "Phòng Kinh tế", "30/7/2026"
        tc_pr = cells[0]._tc.get_or_add_tcPr()
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), span)
        tc_pr.append(grid_span)
    d.save(str(path))
    return path


@pytest.mark.parametrize("span", ["50000000", "-3", "x"])
def test_a_huge_cell_span_in_docx_costs_no_memory(tmp_path, span):
    folder = tmp_path / "vb"
    folder.mkdir()
    spanned_table_docx(folder / "bang.docx", span)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", folder / "bang.docx", "--json"], env=env,
                          capture_output=True, text=True, timeout=300, preexec_fn=memory_capped())
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr[-500:]
    tables = [b for b in json.loads(proc.stdout)["body"] if b.get("kind") == "table" or b.get("rows")]
    rows = [row for t in tables for row in t.get("rows", [])]
    assert rows and all(len(row) <= 3 + 2 for row in rows)  # at most the grid, then one per further cell
    run = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr


# ---------------------------------------------------------------- 4. records follow a reworded task
def tasks_by_id(db: Path) -> dict:
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, data, completed_on, note FROM tasks").fetchall()
    return {tid: (json.loads(data)["action"], on, note) for tid, data, on, note in rows}


DATE_10_7 = "hoàn thành **trước ngày 10/7/2026**"


def test_a_corrected_date_keeps_the_task_its_done_mark_and_note(tmp_path):
    import sqlite3

    folder = tmp_path / "vb"
    folder.mkdir()
    notice = folder / "tb.txt"
    original = SAMPLE.read_text(encoding="utf-8")
    assert original.count(DATE_10_7) == 1
    notice.write_text(original, encoding="utf-8")
    db, out = tmp_path / "nv.db", tmp_path / "out"
    assert cli("run", folder, "--db", db, "--out", out).returncode == 0
    before = tasks_by_id(db)
    tid = next(t for t, (action, _, _) in before.items() if "hoàn thành trước ngày 10/7/2026" in action)
    assert cli("done", tid, "--on", "05/07/2026", "--note", "Báo cáo số 12/BC-VHXH", "--db", db).returncode == 0

    notice.write_text(original.replace(DATE_10_7, DATE_10_7.replace("10/7", "17/7")), encoding="utf-8")
    corrected = cli("run", folder, "--db", db, "--out", out)
    assert corrected.returncode == 0, corrected.stderr
    assert "thêm 0" in corrected.stdout and "bỏ 0" in corrected.stdout, corrected.stdout
    assert f"Nhiệm vụ {tid} đổi nội dung, giữ trạng thái đã hoàn thành và ghi chú" in corrected.stdout
    after = tasks_by_id(db)
    assert set(after) == set(before)
    action, on, note = after[tid]
    assert "17/7/2026" in action and on == "2026-07-05" and note == "Báo cáo số 12/BC-VHXH"
    with sqlite3.connect(db) as conn:
        trail = [what for (what,) in conn.execute("SELECT what FROM audit WHERE task_id=?", (tid,))]
    assert any("đổi nội dung" in w for w in trail)
    exported = json.loads((out / "nhiemvu.json").read_text(encoding="utf-8"))
    assert next(r for r in exported if r["id"] == tid)["completed_on"] == "2026-07-05"

    notice.write_text(original, encoding="utf-8")  # restoring the text keeps it done too
    restored = cli("run", folder, "--db", db, "--out", out)
    assert restored.returncode == 0
    assert tasks_by_id(db)[tid][1:] == ("2026-07-05", "Báo cáo số 12/BC-VHXH")
    assert set(tasks_by_id(db)) == set(before)


def test_a_new_task_of_another_unit_is_not_taken_for_a_reworded_one(tmp_path):
    folder = tmp_path / "vb"
    folder.mkdir()
    notice = folder / "tb.txt"
    original = SAMPLE.read_text(encoding="utf-8")
    notice.write_text(original, encoding="utf-8")
    db, out = tmp_path / "nv.db", tmp_path / "out"
    assert cli("run", folder, "--db", db, "--out", out).returncode == 0
    before = tasks_by_id(db)
    tid = next(t for t, (action, _, _) in before.items() if "hoàn thành trước ngày 10/7/2026" in action)
    cli("done", tid, "--on", "05/07/2026", "--db", db)
    # the paragraph is dropped and a different one added
    paragraph = next(p for p in original.split("\n\n") if DATE_10_7 in p)
    notice.write_text(original.replace(paragraph, "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức xã trong quý III."),
                      encoding="utf-8")
    changed = cli("run", folder, "--db", db, "--out", out)
    assert changed.returncode == 0
    assert tid not in tasks_by_id(db) and "đổi nội dung" not in changed.stdout


# ---------------------------------------------------------------- per-file limits: time and memory
SHORT_NOTICE = ("THÔNG BÁO\n\nKết luận của Chủ tịch UBND xã\n\n"
                "1. Giao Phòng Kinh tế rà soát hồ sơ đất đai, báo cáo trước ngày 30/7/2026.\n\n"
                "2. Giao Văn phòng HĐND và UBND xã tổng hợp kết quả, báo cáo Chủ tịch UBND xã trước ngày 15/8/2026.\n")


@pytest.mark.parametrize("limit, jobs", [("time", "1"), ("memory", "2")], ids=["time-in-process", "memory-workers"])
def test_a_file_over_a_limit_is_named_and_the_batch_goes_on(tmp_path, limit, jobs):
    folder = tmp_path / "vb"
    folder.mkdir()
    (folder / "a-binh-thuong.txt").write_text(SHORT_NOTICE, encoding="utf-8")
    (folder / "b-rat-dai.txt").write_text("THÔNG BÁO\n\nKết luận hội nghị\n\nGiao Phòng Kinh tế "
                                          + unpunctuated(3_000_000) + "\n", encoding="utf-8")
    env = {"NHIEMVU_FILE_TIMEOUT": "3"} if limit == "time" else {"NHIEMVU_FILE_MEMORY_MB": "40"}
    db = tmp_path / "nv.db"
    proc = cli("run", folder, "--db", db, "--out", tmp_path / "out", "--jobs", jobs, env_extra=env)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr  # done, with one file not read
    reason = next(line for line in proc.stdout.splitlines() if "b-rat-dai.txt" in line)
    assert ("giây" if limit == "time" else "MB bộ nhớ") in reason, reason
    sources = {json.loads(data)["source"] for _, data, _, _ in register_rows(db)}
    assert {Path(s).name for s in sources} == {"a-binh-thuong.txt"}


# ---------------------------------------------------------------- 9. a file half UTF-8, half Windows-1258
def test_a_mixed_encoding_text_is_read_line_by_line_with_a_warning(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    half = len(lines) // 2
    clean_folder, mixed_folder = tmp_path / "utf8", tmp_path / "tron"
    clean_folder.mkdir()
    mixed_folder.mkdir()
    (clean_folder / "tb.txt").write_text(text, encoding="utf-8")
    (mixed_folder / "tb.txt").write_bytes("\n".join(lines[:half]).encode("utf-8") + b"\n"
                                          + cp1258("\n".join(lines[half:])))
    clean = cli("run", clean_folder, "--db", tmp_path / "a.db", "--out", tmp_path / "a")
    mixed = cli("run", mixed_folder, "--db", tmp_path / "b.db", "--out", tmp_path / "b")
    assert clean.returncode == 0 and mixed.returncode == 0, mixed.stderr
    assert "Cần xem lại 1 tệp" in mixed.stdout and "tb.txt: tệp trộn hai bảng mã" in mixed.stdout
    assert "Cần xem lại" not in clean.stdout

    def units_and_actions(db):
        return sorted((json.loads(d)["assignee"], json.loads(d)["action"]) for _, d, _, _ in register_rows(db))
    assert units_and_actions(tmp_path / "b.db") == units_and_actions(tmp_path / "a.db")
    assert not any("Ă" in unit for unit, _ in units_and_actions(tmp_path / "b.db"))


# ---------------------------------------------------------------- 11. the smaller ones
def test_a_task_keeps_its_asterisks(tmp_path):
    notice = tmp_path / "tb.txt"
    notice.write_text(SHORT_NOTICE.replace("rà soát hồ sơ đất đai", "đo lại thửa đất 7*7 m và 3 * 4 m"),
                      encoding="utf-8")
    proc = cli("extract", notice)
    assert proc.returncode == 0
    actions = [t["action"] for t in json.loads(proc.stdout)]
    assert any("7*7" in a and "3 * 4" in a for a in actions), actions


def test_links_out_of_the_input_folder_are_not_followed(tmp_path):
    folder, outside = tmp_path / "vb", tmp_path / "ngoai"
    folder.mkdir()
    outside.mkdir()
    (folder / "tb.txt").write_text(SHORT_NOTICE, encoding="utf-8")
    (outside / "mat.txt").write_text(SHORT_NOTICE.replace("Phòng Kinh tế", "Công an xã"), encoding="utf-8")
    (folder / "lien-ket.txt").symlink_to(outside / "mat.txt")
    (folder / "thu-muc").symlink_to(outside, target_is_directory=True)
    (folder / "ban-sao.txt").symlink_to(folder / "tb.txt")  # a link inside the folder is read
    proc = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "Đã xét 2 tệp" in proc.stdout, proc.stdout
    units = {json.loads(d)["assignee"] for _, d, _, _ in register_rows(tmp_path / "nv.db")}
    assert "Công an xã" not in units


def test_jobs_beyond_the_cores_are_capped(tmp_path):
    from pipeline.batch import default_jobs

    assert default_jobs(1000, 64) == (os.cpu_count() or 1)
    folder = tmp_path / "vb"
    folder.mkdir()
    (folder / "tb.txt").write_text(SHORT_NOTICE, encoding="utf-8")
    proc = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out", "--jobs", "64")
    assert proc.returncode == 0 and "1 mới" in proc.stdout


def test_an_interrupted_first_run_is_resumed_not_read_again(tmp_path):
    import signal
    import time

    from tests.notice_factory import notices_in, write_notices

    folder, db = tmp_path / "vb", tmp_path / "nv.db"
    write_notices(folder, 40, seed=11)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tests.notice_factory", "run", str(folder), "--db", str(db),
                              "--out", str(tmp_path / "out"), "--jobs", "2"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while notices_in(db) < 5 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    at_kill = notices_in(db)
    assert 0 < at_kill < 40
    resumed = subprocess.run([sys.executable, "-m", "tests.notice_factory", "run", str(folder), "--db", str(db),
                              "--out", str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "đã được cập nhật" not in resumed.stdout, resumed.stdout  # not 'the reader changed: reading all again'


def test_a_comment_before_a_doctype_does_not_pass_the_docx_check(tmp_path):
    import docx

    from tests.builders import docx_with_prolog

    good = tmp_path / "tot.docx"
    d = docx.Document()
    d.add_paragraph("Giao Phòng Kinh tế rà soát hồ sơ.")
    d.save(str(good))
    folder = tmp_path / "vb"
    folder.mkdir()
    docx_with_prolog(good, folder / "chu-thich.docx", b'<!-- <a --><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>')
    (folder / "tb.txt").write_text(SHORT_NOTICE, encoding="utf-8")
    proc = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    assert any("chu-thich.docx" in line and "DOCTYPE" in line for line in proc.stdout.splitlines()), proc.stdout
