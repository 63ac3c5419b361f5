"""Per-paragraph cost of the language matchers (deadlines, units) on the sample notices.

    python bench/bench_language.py [FILE.txt ...]

Prints the best of 25 runs in microseconds per paragraph; a timing loop, not a test.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.deadlines import DateContext, find_deadline  # noqa: E402
from extractors.foldspan import fold_with_map  # noqa: E402
from extractors.units import UnitRegistry  # noqa: E402


def best_of(fn, paragraphs, cold: bool, runs: int = 25) -> float:
    best = float("inf")
    for _ in range(runs):
        if cold:
            fold_with_map.cache_clear()
        start = time.perf_counter()
        for p in paragraphs:
            fn(p)
        best = min(best, (time.perf_counter() - start) / len(paragraphs) * 1e6)
    return best


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    files = [Path(a) for a in sys.argv[1:]] or sorted((root / "samples").glob("*.txt"))
    paragraphs = [p.strip() for f in files for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    ctx = DateContext(notice_date=dt.date(2026, 6, 15))
    units = UnitRegistry.default()
    mean = sum(map(len, paragraphs)) / len(paragraphs)
    print(f"{len(paragraphs)} paragraphs from {len(files)} files, mean {mean:.0f} characters; best of 25 runs")
    print(f"fold_with_map      {best_of(fold_with_map.__wrapped__, paragraphs, False):6.1f} µs/paragraph")
    for name, fn in (("find_deadline", lambda p: find_deadline(p, ctx)), ("UnitRegistry.find", units.find)):
        print(f"{name:18} {best_of(fn, paragraphs, True):6.1f} µs/paragraph (folded anew), "
              f"{best_of(fn, paragraphs, False):6.1f} (fold cached)")


if __name__ == "__main__":
    main()
