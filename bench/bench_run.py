"""Benchmark of `nhiemvu run`: a generated folder of N notices, first run and unchanged re-run.

    python bench/bench_run.py [-n 1000] [--jobs N] [--stand-in] [--keep DIR]

Prints notices/s of the first run and the re-run (wall clock of the whole command, and after
start-up, measured as a run over an empty folder) and the peak resident memory of the runs.
`--stand-in` uses the test stand-in extractor (known tasks) instead of the real one.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.notice_factory import write_notices  # noqa: E402


def timed_run(folder: Path, db: Path, out: Path, jobs: int | None, stand_in: bool) -> tuple[float, str]:
    entry = ["-m", "tests.notice_factory"] if stand_in else ["-m", "pipeline.cli"]
    cmd = [sys.executable, *entry, "run", str(folder), "--db", str(db), "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) and folder.name != "rong":  # the empty folder fails by design
        sys.exit(f"run failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed, proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--stand-in", action="store_true", help="use the test stand-in extractor")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="nhiemvu-bench-"))
    folder, empty = work / "van-ban", work / "rong"
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "x.txt").write_text("", encoding="utf-8")  # one (empty) file: the run starts, reads nothing
    t0 = time.perf_counter()
    write_notices(folder, args.n, seed=2026)
    print(f"generated {args.n} notices in {time.perf_counter() - t0:.1f} s under {folder}")

    startup, _ = timed_run(empty, work / "empty.db", work / "out-empty", args.jobs, args.stand_in)
    first, line1 = timed_run(folder, work / "nhiemvu.db", work / "out", args.jobs, args.stand_in)
    rerun, line2 = timed_run(folder, work / "nhiemvu.db", work / "out", args.jobs, args.stand_in)
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    n = args.n
    print(f"extractor: {'stand-in' if args.stand_in else 'real'}; jobs: {args.jobs or 'auto'}")
    print(f"start-up (empty folder): {startup:.2f} s")
    print(f"first run: {first:.2f} s = {n / first:.0f} notices/s "
          f"({n / max(first - startup, 1e-6):.0f} notices/s after start-up)  [{line1}]")
    print(f"re-run (unchanged): {rerun:.2f} s = {n / rerun:.0f} notices/s  [{line2}]")
    print(f"peak memory (largest process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
