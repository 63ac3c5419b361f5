"""Worst-case cost of one long paragraph: seconds per MB to read and extract a .txt notice whose body is
a single paragraph of 100 KB, 1 MB and 10 MB (issue 10: a regex over a growing prefix once made this
quadratic, 93 s at 400 KB).

    python -m bench.bench_paragraph [--sizes 100k,1m,10m] [--shapes all]

Several paragraph shapes are timed at each size (work verbs without '. : ; (' and without commas, the
same with commas, Title Case words, a real notice's text with its punctuation removed); the slowest
shape is the worst case. Time is wall-clock of api.parse + api.extract in this process, after one
warm-up (imports and language data are not counted); memory is the peak RSS of the process.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_WORDS = ["kiểm tra", "rà soát", "tổng hợp", "báo cáo", "thực hiện", "triển khai", "công tác",
              "dân số", "đất đai", "hồ sơ", "chỉ đạo", "đôn đốc"]


def _fill(size: int, pick) -> str:
    parts, total = [], 0
    while total < size:
        w = pick()
        parts.append(w)
        total += len(w.encode("utf-8")) + 1
    return " ".join(parts).encode("utf-8")[:size].decode("utf-8", errors="ignore")


def verbs(size: int, rng: random.Random) -> str:
    return _fill(size, lambda: rng.choice(WORK_WORDS))


def verbs_commas(size: int, rng: random.Random) -> str:
    return _fill(size, lambda: rng.choice(WORK_WORDS) + ("," if rng.random() < 0.12 else ""))


def title_case(size: int, rng: random.Random) -> str:
    return _fill(size, lambda: rng.choice(WORK_WORDS).title())


def real_text(size: int, rng: random.Random) -> str:
    text = (ROOT / "samples" / "000_eabed86a213ae9b7.txt").read_text(encoding="utf-8")
    words = re.sub(r"[.:;()*#]", " ", text).split()
    start = iter(range(10**12))
    return _fill(size, lambda: words[next(start) % len(words)])


SHAPES = {"verbs": verbs, "verbs_commas": verbs_commas, "title_case": title_case, "real_text": real_text}


def parse_size(text: str) -> int:
    m = re.fullmatch(r"(\d+)\s*([km]?)", text.strip().lower())
    if not m:
        raise argparse.ArgumentTypeError(text)
    return int(m.group(1)) * {"": 1, "k": 1000, "m": 1000_000}[m.group(2)]


def time_one(path: Path) -> tuple[float, int]:
    from pipeline import api

    start = time.perf_counter()
    tasks = api.extract(api.parse(path))
    return time.perf_counter() - start, len(tasks)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1m,10m")
    ap.add_argument("--shapes", default="all", help="comma list of " + ", ".join(SHAPES))
    args = ap.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.txt"
        warm.write_text("THÔNG BÁO\n\nGiao Phòng Kinh tế rà soát hồ sơ, báo cáo trước ngày 30/7/2026.\n", encoding="utf-8")
        time_one(warm)
        print(f"{'size':>8} {'shape':<13} {'seconds':>8} {'s/MB':>7} {'tasks':>5}")
        worst: dict[int, tuple[float, str]] = {}
        for size in sizes:
            for shape in shapes:
                path = Path(tmp) / f"{shape}-{size}.txt"
                body = SHAPES[shape](size, rng)
                path.write_text(f"THÔNG BÁO\n\nKết luận hội nghị\n\nGiao Phòng Kinh tế {body}\n", encoding="utf-8")
                seconds, n = time_one(path)
                per_mb = seconds / (size / 1e6)
                print(f"{size / 1e6:>6.1f}MB {shape:<13} {seconds:>8.2f} {per_mb:>7.2f} {n:>5}", flush=True)
                if per_mb > worst.get(size, (0.0, ""))[0]:
                    worst[size] = (per_mb, shape)
                path.unlink()
    print("worst case per size: " + "; ".join(f"{s / 1e6:g} MB: {w:.2f} s/MB ({shape})"
                                              for s, (w, shape) in worst.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB; python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
