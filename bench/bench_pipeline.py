"""Stage benchmark of the whole pipeline on a generated mixed corpus (.docx, PDF, .txt).

    python -m bench.bench_pipeline [--n 1000] [--sizes 100,1000] [--out bench/results] [--keep DIR]

For each size N: generate N notices (bench/corpus.py), time each stage per notice in this process
(read, structure, extract, register upsert into a fresh SQLite file), then the whole `nhiemvu run`
as a subprocess (start-up on an empty folder, first run, unchanged re-run) with its peak memory;
compare with the straightforward approach (pdfplumber on every PDF page, underthesea ner + pos_tag
on every sentence) on a sample; time `nhiemvu --help` and the import of pipeline.cli.
Prints a table and writes it as JSON to --out.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
STAGES = ("read", "structure", "extract", "register")
BASELINE_SAMPLE = 40  # notices the straightforward approach is timed on (it is slow)
HEAVY = ("underthesea", "spacy", "pdfplumber", "openpyxl", "xlsxwriter", "docxtpl", "pypdfium2", "docx", "torch")


# ---------------------------------------------------------------- small helpers
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary_ms(values: list[float]) -> dict:
    return {"median_ms": round(statistics.median(values) * 1000, 3) if values else None,
            "p95_ms": round(percentile(values, 0.95) * 1000, 3) if values else None,
            "total_s": round(sum(values), 3)}


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run a command; wall time, exit code and the peak RSS of it and its reaped workers (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # wait4's usage counts the command and the workers it reaped: the CPU figure a busy machine does not change
        return {"wall_s": round(wall, 3), "exit": proc.returncode, "peak_mb": round(usage.ru_maxrss / 1024, 1),
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                "stdout": out.read().decode("utf-8", "replace")[-2000:],
                "stderr": err.read().decode("utf-8", "replace")[-2000:]}


# ---------------------------------------------------------------- stages in process
def time_stages(files: list[Path], db: Path) -> dict:
    """Per-notice seconds of each stage; a file a stage refuses is counted under its reason."""
    from extractors.assignments import extract_tasks
    from extractors.errors import NoticeError
    from extractors.readers import read
    from extractors.structure import structure
    from pipeline.api import file_hash
    from pipeline.register import FileState, Register

    times: dict[str, list[float]] = {s: [] for s in STAGES}
    read_ok: list[str] = []
    pdf_pages, pdf_read_s, errors, n_tasks = 0, 0.0, {}, 0
    with Register.open(db, write=True) as register:
        for f in files:
            try:
                t0 = time.perf_counter()
                raw = read(f)
                t1 = time.perf_counter()
                notice = structure(raw)
                t2 = time.perf_counter()
                tasks = extract_tasks(notice)
                t3 = time.perf_counter()
            except (NoticeError, ImportError) as exc:
                key = f"{f.suffix}: {exc.__class__.__name__}: {str(exc).split(': ', 1)[-1][:80]}"
                errors[key] = errors.get(key, 0) + 1
                continue
            st = f.stat()
            state = FileState(st.st_size, st.st_mtime_ns, file_hash(f))
            t4 = time.perf_counter()
            register.upsert(notice, tasks, state)
            t5 = time.perf_counter()
            for stage, dt_ in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t5 - t4)):
                times[stage].append(dt_)
            n_tasks += len(tasks)
            read_ok.append(str(f))
            if f.suffix == ".pdf":
                pdf_pages += raw.pages or 0
                pdf_read_s += t1 - t0
    per_notice = [sum(parts) for parts in zip(*(times[s] for s in STAGES))]
    return {
        "notices_ok": len(per_notice), "tasks": n_tasks, "errors": errors, "read_ok": read_ok,
        "stages": {s: summary_ms(v) for s, v in times.items()},
        "per_notice": summary_ms(per_notice),
        "notices_per_s_one_core": round(len(per_notice) / sum(per_notice), 1) if per_notice else None,
        "pdf_pages": pdf_pages,
        "pdf_pages_per_s": round(pdf_pages / pdf_read_s, 1) if pdf_read_s else None,
    }


def straightforward(files: list[Path]) -> dict:
    """The obvious way: pdfplumber on every PDF page, underthesea ner and pos_tag on every sentence."""
    import docx
    import pdfplumber
    from underthesea import ner, pos_tag, sent_tokenize

    ner("Ủy ban nhân dân xã"), pos_tag("Ủy ban nhân dân xã")  # load the models before timing
    per_notice, pdf_pages, pdf_s = [], 0, 0.0
    for f in files:
        t0 = time.perf_counter()
        try:
            if f.suffix == ".pdf":
                with pdfplumber.open(f) as pdf:
                    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
                    pdf_pages += len(pdf.pages)
                pdf_s += time.perf_counter() - t0
            elif f.suffix == ".docx":
                d = docx.Document(str(f))
                cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
                text = "\n".join([p.text for p in d.paragraphs] + cells)
            else:
                text = f.read_text(encoding="utf-8")
        except Exception:
            continue
        for sentence in sent_tokenize(text):
            ner(sentence)
            pos_tag(sentence)
        per_notice.append(time.perf_counter() - t0)
    return {"notices": len(per_notice), "per_notice": summary_ms(per_notice),
            "pdf_pages_per_s": round(pdf_pages / pdf_s, 1) if pdf_s else None}


# ---------------------------------------------------------------- the whole command
def time_run(folder: Path, work: Path) -> dict:
    empty = work / "rong"
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "trong.txt").write_text("", encoding="utf-8")  # the run starts, reads nothing
    cli = [sys.executable, "-m", "pipeline.cli", "run"]
    startup = run_measured([*cli, str(empty), "--db", str(work / "rong.db"), "--out", str(work / "out-rong")], ROOT)
    db, out = work / "nhiemvu.db", work / "out"
    first = run_measured([*cli, str(folder), "--db", str(db), "--out", str(out)], ROOT)
    rerun = run_measured([*cli, str(folder), "--db", str(db), "--out", str(out)], ROOT)
    n = len(list(folder.iterdir()))
    after_startup = max(first["wall_s"] - startup["wall_s"], 1e-9)
    refused = re.search(r"(\d+) lỗi", first["stdout"])  # "Đã xét N tệp: ..., E lỗi."
    read_ok = n - int(refused.group(1)) if refused else n
    return {
        "startup_s": startup["wall_s"], "first_s": first["wall_s"], "rerun_s": rerun["wall_s"],
        "startup_cpu_s": startup["cpu_s"], "first_cpu_s": first["cpu_s"], "rerun_cpu_s": rerun["cpu_s"],
        "cpu_ms_per_notice": round((first["cpu_s"] - startup["cpu_s"]) / max(n, 1) * 1000, 2),
        "first_exit": first["exit"], "rerun_exit": rerun["exit"],
        "notices_per_s": round(n / first["wall_s"], 1),
        "notices_per_s_after_startup": round(n / after_startup, 1),
        "read_ok": read_ok, "read_ok_per_s_after_startup": round(read_ok / after_startup, 1),
        "peak_mb": max(first["peak_mb"], rerun["peak_mb"]),
        "first_report": first["stdout"].strip().splitlines()[:2],
        "first_stderr": first["stderr"].strip().splitlines()[-3:],
        "rerun_report": rerun["stdout"].strip().splitlines()[:3],
    }


def time_help() -> dict:
    walls = []
    for _ in range(5):
        walls.append(run_measured([sys.executable, "-m", "pipeline.cli", "--help"], ROOT)["wall_s"])
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pipeline.cli"], cwd=ROOT, env=ENV,
                          capture_output=True, text=True)
    imports = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            imports.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    top_level = sorted((i for i in imports if i[1] <= 2), reverse=True)[:8]
    cli_total = next((us for us, _, name in imports if name == "pipeline.cli"), None)
    heavy = sorted({name.split(".")[0] for _, _, name in imports if name.split(".")[0] in HEAVY})
    return {"help_wall_s_median": round(statistics.median(walls), 3), "help_wall_s_min": round(min(walls), 3),
            "import_pipeline_cli_ms": round(cli_total / 1000, 1) if cli_total else None,
            "slowest_imports_ms": [(name, round(us / 1000, 1)) for us, _, name in top_level],
            "heavy_modules_imported": heavy}


# ---------------------------------------------------------------- driver
def bench_size(n: int, work: Path, seed: int, stage_limit: int) -> dict:
    from bench.corpus import write_corpus

    folder = work / f"van-ban-{n}"
    t0 = time.perf_counter()
    made = write_corpus(folder, n, seed=seed)
    generated = time.perf_counter() - t0
    files = [p for p, _ in made]
    kinds = {s: sum(1 for f in files if f.suffix == s) for s in (".txt", ".docx", ".pdf")}
    stage_files = files[:stage_limit]
    stages = time_stages(stage_files, work / f"stages-{n}.db")
    run = time_run(folder, work / f"run-{n}")
    return {"n": n, "formats": kinds, "generate_s": round(generated, 1), "stage_sample": len(stage_files),
            "stages": stages, "run": run}


def print_table(result: dict) -> None:
    print()
    print(f"machine: {result['machine']}")
    head = f"{'N':>6} {'stage':<10} {'median ms':>10} {'p95 ms':>9}"
    for size in result["sizes"]:
        s = size["stages"]
        print(f"\nN = {size['n']} ({size['formats']}), stages timed on {size['stage_sample']} notices, "
              f"{s['notices_ok']} read, {s['tasks']} tasks")
        print(head)
        for stage in (*STAGES, "per_notice"):
            row = s["per_notice"] if stage == "per_notice" else s["stages"][stage]
            print(f"{size['n']:>6} {stage:<10} {row['median_ms']!s:>10} {row['p95_ms']!s:>9}")
        if s["errors"]:
            for reason, count in sorted(s["errors"].items()):
                print(f"       refused {count}: {reason}")
        r = size["run"]
        print(f"  PDF read: {s['pdf_pages']} pages, {s['pdf_pages_per_s']} pages/s; one core in-process: "
              f"{s['notices_per_s_one_core']} notices/s")
        print(f"  nhiemvu run: start-up {r['startup_s']} s, first run {r['first_s']} s "
              f"({r['notices_per_s']} notices/s, {r['notices_per_s_after_startup']} after start-up; "
              f"{r['read_ok']} read: {r['read_ok_per_s_after_startup']}/s after start-up), "
              f"re-run {r['rerun_s']} s, peak {r['peak_mb']} MB, exit {r['first_exit']}/{r['rerun_exit']}")
        print(f"  CPU (command and its workers): start-up {r['startup_cpu_s']} s, first run {r['first_cpu_s']} s "
              f"({r['cpu_ms_per_notice']} ms per notice after start-up), re-run {r['rerun_cpu_s']} s")
    b = result.get("straightforward")
    if b:
        print(f"\nstraightforward (pdfplumber every page, underthesea ner+pos_tag every sentence) on "
              f"{b['notices']} notices: median {b['per_notice']['median_ms']} ms/notice, "
              f"PDF {b['pdf_pages_per_s']} pages/s; ours {result['ours_median_ms']} ms/notice -> "
              f"ratio {result['ratio_straightforward_over_ours']}x")
    h = result["help"]
    print(f"\nnhiemvu --help: median {h['help_wall_s_median']} s (min {h['help_wall_s_min']} s); "
          f"import pipeline.cli {h['import_pipeline_cli_ms']} ms; heavy modules imported: "
          f"{h['heavy_modules_imported'] or 'none'}")
    print(f"peak RSS of this process (stage timing, baseline models): {result['self_peak_mb']} MB")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="one corpus size (same as --sizes N)")
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes (default 100,1000)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--stage-limit", type=int, default=2000, help="notices timed stage by stage per size")
    ap.add_argument("--no-baseline", action="store_true", help="skip the straightforward-approach comparison")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.n] if args.n else [100, 1000]

    work = args.keep or Path(tempfile.mkdtemp(prefix="nhiemvu-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    result = {"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}, {platform.platform()}",
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": []}
    result["help"] = time_help()
    for n in sizes:
        print(f"N = {n}: generating and timing ...", flush=True)
        result["sizes"].append(bench_size(n, work, args.seed, args.stage_limit))
    if not args.no_baseline:
        sample = sorted((work / f"van-ban-{sizes[0]}").iterdir())[:BASELINE_SAMPLE]
        ours = time_stages(sample, work / "baseline-ours.db")
        # both approaches on the same files: those our readers accept
        result["straightforward"] = straightforward([Path(f) for f in ours["read_ok"]])
        result["ours_median_ms"] = ours["per_notice"]["median_ms"]
        if ours["per_notice"]["median_ms"]:
            result["ratio_straightforward_over_ours"] = round(
                result["straightforward"]["per_notice"]["median_ms"] / ours["per_notice"]["median_ms"], 1)
    for size in result["sizes"]:
        size["stages"].pop("read_ok")
    result["self_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print_table(result)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench_pipeline-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten {path}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
