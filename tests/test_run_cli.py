"""The `run`, `tasks`, `done`, `reopen` and `export` commands as an officer's script would call them:
child processes, exit codes, messages, an interrupted run, two runs at once."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.register import Register
from tests.notice_factory import notices_in, write_notices

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def cli(*args, fake=True, cwd=None, **kw):
    """Run the CLI in a child process; `fake` uses the stand-in extractor for known tasks."""
    entry = ["-m", "tests.notice_factory"] if fake else ["-m", "pipeline.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, *entry, *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=300, **kw)


def no_traceback(proc):
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_run_samples_fresh_then_again(tmp_path):
    folder = tmp_path / "van-ban"
    shutil.copytree(SAMPLES, folder)
    n = sum(1 for p in folder.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    first = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out", fake=False)
    assert first.returncode == 0, first.stderr
    seeds = sum(1 for p in folder.iterdir() if p.suffix == ".txt")  # the .docx/.pdf are copies of seeds
    assert f"{seeds} mới, {n - seeds} bản khác của văn bản đã có" in first.stdout and seeds >= 5
    for name in ("nhiemvu.csv", "nhiemvu.xlsx", "nhiemvu.json"):
        assert (tmp_path / "out" / name).is_file()
    again = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "out", fake=False)
    assert again.returncode == 0 and f"{n} không đổi" in again.stdout
    no_traceback(again)


def test_default_register_and_out_in_working_folder(tmp_path):
    write_notices(tmp_path / "van-ban", 3)
    proc = cli("run", "van-ban", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "nhiemvu.db").is_file() and (tmp_path / "out" / "nhiemvu.json").is_file()
    records = json.loads((tmp_path / "out" / "nhiemvu.json").read_text(encoding="utf-8"))
    assert records and all(r["source"].startswith("van-ban") for r in records)


def test_exit_codes_for_partial_and_failed_runs(tmp_path):
    folder = tmp_path / "van-ban"
    write_notices(folder, 3)
    (folder / "hong.docx").write_bytes(os.urandom(2000))
    partial = cli("run", folder, "--db", tmp_path / "a.db", "--out", tmp_path / "o")
    assert partial.returncode == 1
    assert "hong.docx:" in partial.stdout + partial.stderr
    no_traceback(partial)

    bad = tmp_path / "chi-loi"
    bad.mkdir()
    (bad / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(100))
    failed = cli("run", bad, "--db", tmp_path / "b.db", "--out", tmp_path / "o")
    assert failed.returncode == 2 and "cu.doc" in failed.stdout + failed.stderr

    missing = cli("run", tmp_path / "khong-co", "--db", tmp_path / "c.db")
    assert missing.returncode == 2 and "không tìm thấy" in missing.stderr
    no_traceback(missing)


def test_tasks_done_reopen_export(tmp_path):
    write_notices(tmp_path / "vb", 6)
    db = tmp_path / "nv.db"
    assert cli("run", tmp_path / "vb", "--db", db, "--out", tmp_path / "o", "--as-of", "01/09/2026").returncode == 0
    with Register.open(db, write=False) as reg:
        target = next(t for t in reg.tasks() if t.task.assignee == "Phòng Kinh tế" and t.task.due)
    listing = cli("tasks", "--unit", "phong kinh te", "--db", db, "--as-of", "2026-01-01")
    assert listing.returncode == 0 and target.id in listing.stdout
    assert "Trạm Y tế" not in listing.stdout

    done = cli("done", target.id.lower(), "--on", target.task.due.strftime("%d/%m/%Y"), "--note", "BC số 5/BC-KT",
               "--db", db)
    assert done.returncode == 0 and "hoàn thành đúng hạn" in done.stdout
    out = tmp_path / "x.json"
    assert cli("export", "--format", "json", "-o", out, "--db", db).returncode == 0
    record = next(r for r in json.loads(out.read_text(encoding="utf-8")) if r["id"] == target.id)
    assert record["completed_on"] == target.task.due.isoformat() and record["status"] == "hoàn thành đúng hạn"

    assert cli("reopen", target.id, "--db", db).returncode == 0
    with Register.open(db, write=False) as reg:
        assert reg.task(target.id).completed_on is None
        assert [a["what"] for a in reg.audit(target.id)] == ["hoàn thành", "mở lại"]

    unknown = cli("done", "T-zzzzzz", "--db", db)
    assert unknown.returncode == 2 and "T-zzzzzz" in unknown.stderr
    bad_date = cli("done", target.id, "--on", "31/02/2026", "--db", db)
    assert bad_date.returncode == 2 and "31/02/2026" in bad_date.stderr
    no_register = cli("tasks", "--db", tmp_path / "chua-co.db")
    assert no_register.returncode == 2 and "nhiemvu run" in no_register.stderr
    (tmp_path / "ghi-chu.txt").write_text("không phải sổ", encoding="utf-8")
    not_register = cli("export", "--format", "csv", "--db", tmp_path / "ghi-chu.txt")
    assert not_register.returncode == 2 and "không phải là sổ" in not_register.stderr
    no_traceback(not_register)


def test_second_run_on_same_register_is_refused(tmp_path):
    write_notices(tmp_path / "vb", 2)
    with Register.open(tmp_path / "nv.db"):
        proc = cli("run", tmp_path / "vb", "--db", tmp_path / "nv.db", "--out", tmp_path / "o")
    assert proc.returncode == 2 and "đang được" in proc.stderr
    no_traceback(proc)


@pytest.mark.slow
def test_killed_run_then_rerun_equals_uninterrupted_run(tmp_path):
    folder = tmp_path / "vb"
    write_notices(folder, 200, seed=3)
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NOTICE_FACTORY_DELAY_MS": "10"}  # killed mid-batch, not after
    child = subprocess.Popen([sys.executable, "-m", "tests.notice_factory", "run", str(folder), "--db", str(db),
                              "--out", str(tmp_path / "o1"), "--jobs", "2"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while notices_in(db) < 10 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.killpg(child.pid, signal.SIGKILL)  # the run and its workers, mid-write
    finally:
        child.wait(timeout=30)
    at_kill = notices_in(db)
    assert 0 < at_kill < 200, "the run should have been stopped while filling the register"

    resumed = cli("run", folder, "--db", db, "--out", tmp_path / "o1", "--as-of", "01/09/2026")
    assert resumed.returncode == 0, resumed.stderr
    whole = cli("run", folder, "--db", tmp_path / "whole.db", "--out", tmp_path / "o2", "--as-of", "01/09/2026")
    assert whole.returncode == 0
    a = json.loads((tmp_path / "o1" / "nhiemvu.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "o2" / "nhiemvu.json").read_text(encoding="utf-8"))
    assert len(a) > 200 and a == b
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_next_run_completes(tmp_path):
    folder = tmp_path / "vb"
    write_notices(folder, 200, seed=5)
    db = tmp_path / "nv.db"
    # 10 ms a notice: the 200 notices take about a second, so Ctrl-C lands while the register is being filled
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NOTICE_FACTORY_DELAY_MS": "10"}
    # as from a terminal: a test runner started in the background (`cmd &`) passes SIGINT on as ignored
    child = subprocess.Popen([sys.executable, "-m", "tests.notice_factory", "run", str(folder), "--db", str(db),
                              "--out", str(tmp_path / "o"), "--jobs", "2"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while notices_in(db) < 10 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(child.pid, signal.SIGINT)  # what a terminal sends to the whole job on Ctrl-C
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2 and "Đã dừng" in err and "Traceback" not in err + out
    resumed = cli("run", folder, "--db", db, "--out", tmp_path / "o")
    assert resumed.returncode == 0 and "0 lỗi" in resumed.stdout
    with Register.open(db, write=False) as reg:
        assert reg.counts()["notices"] == 200


def test_letters_drafted_when_available_and_failure_is_a_warning(tmp_path, monkeypatch, capsys):
    import datetime as dt
    import types

    from pipeline import run_cmd

    calls = []

    def draft_letters(tasks, out_dir, as_of, config=None, **options):
        calls.append((list(tasks), out_dir, as_of))
        out_dir.mkdir(parents=True, exist_ok=True)
        letter = out_dir / "don-doc-phong-kinh-te.docx"
        letter.write_bytes(b"PK")
        return [letter]

    monkeypatch.setitem(sys.modules, "pipeline.render", types.SimpleNamespace(draft_letters=draft_letters))
    run_cmd._draft_letters(["t"], tmp_path / "cong-van", dt.date(2026, 9, 1))
    assert calls == [(["t"], tmp_path / "cong-van", dt.date(2026, 9, 1))]
    assert "Đã soạn 1 công văn" in capsys.readouterr().out

    def broken(tasks, out_dir, as_of, config=None, **options):
        raise ValueError("thiếu mẫu công văn")

    monkeypatch.setitem(sys.modules, "pipeline.render", types.SimpleNamespace(draft_letters=broken))
    run_cmd._draft_letters([], tmp_path / "cong-van", dt.date(2026, 9, 1))
    err = capsys.readouterr().err
    assert err.startswith("Chú ý: không soạn được công văn đôn đốc") and err.count("\n") == 1


def test_real_docx_notice_lands(tmp_path):
    import docx

    folder = tmp_path / "vb"
    write_notices(folder, 2)
    doc = docx.Document()
    for line in ["ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "Số: 88/TB-UBND", "THÔNG BÁO",
                 "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 10/2026",
                 "- Phòng Kinh tế: Rà soát các tuyến kênh mương nội đồng, hoàn thành trước ngày 30/11/2026."]:
        doc.add_paragraph(line)
    doc.save(folder / "tb-88.docx")
    proc = cli("run", folder, "--db", tmp_path / "nv.db", "--out", tmp_path / "o")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 mới" in proc.stdout
