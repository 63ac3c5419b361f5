"""How well "one notice, one entry" works: merged right / merged wrong, and the likeness figures the
thresholds in pipeline/duplicates.py were chosen from.

    python -m bench.bench_duplicates [--n 50] [--ocr DIR_OF_OCR_COPIES]

Corpus: N look-alike monthly notices (bench/lookalike.py) each as .txt, .docx and .pdf, plus the
seed notices of samples/ with their .docx/.pdf copies. Every pair of files is scored; then the whole
folder goes through `run_batch` into a fresh register and the notices it holds are compared with
the truth (files of one notice share a stem prefix).
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import tempfile
import time
from pathlib import Path

from bench.lookalike import write_lookalikes

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# samples/: generated copies -> the seed they were made from (scripts/make_samples.py)
SAMPLE_COPIES = {"cv_trien_khai_thong_bao_294": "002", "tb_ket_luan_so_ket_chuyen_doi_so": "004",
                 "tb_ket_luan_chuyen_doi_so": "000"}


def truth(path: Path) -> str:
    """Which notice a file is a copy of."""
    stem = path.stem.split(".")[0]
    if stem in SAMPLE_COPIES:
        return SAMPLE_COPIES[stem]
    if stem[:3].isdigit():
        return stem[:3]
    return stem


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--ocr", type=Path, help="extra files (e.g. OCR'd scans) named after the notice they copy")
    args = ap.parse_args()

    from pipeline import api
    from pipeline.batch import run_batch
    from pipeline.duplicates import figures_likeness, header_key, same_notice, text_likeness, text_print
    from pipeline.register import Register

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        write_lookalikes(root, args.n)
        for f in SAMPLES.iterdir():
            if f.suffix in (".txt", ".docx", ".pdf"):
                shutil.copy(f, root / f.name)
        for f in sorted(args.ocr.iterdir()) if args.ocr else []:
            shutil.copy(f, root / f.name)
        files = sorted(p for p in root.iterdir() if p.is_file())

        t0 = time.perf_counter()
        prints = {}
        for f in files:
            n = api.parse(f)
            prints[f] = (header_key(n), text_print(n))
        per_file = (time.perf_counter() - t0) / len(files)

        same, other = [], []
        for a, b in itertools.combinations(files, 2):
            (ha, pa), (hb, pb) = prints[a], prints[b]
            row = (text_likeness(pa, pb), figures_likeness(pa, pb), same_notice(ha, pa, hb, pb), a.name, b.name)
            (same if truth(a) == truth(b) else other).append(row)
        print(f"{len(files)} files, {len(set(map(truth, files)))} notices; read+print {per_file * 1000:.0f} ms/file")
        print(f"pairs of one notice: {len(same)}; text likeness min {min(r[0] for r in same):.2f}, "
              f"figures min {min(r[1] for r in same):.2f}; decided same: {sum(r[2] for r in same)}")
        print(f"pairs of different notices: {len(other)}; text likeness max {max(r[0] for r in other):.2f}, "
              f"figures max {max(r[1] for r in other):.2f}; "
              f"figures max where text >= 0.6: {max((r[1] for r in other if r[0] >= 0.6), default=0):.2f}; "
              f"decided same: {sum(r[2] for r in other)}")
        for r in sorted(same)[:3]:
            print(f"  least alike copies: {r[3]} ~ {r[4]} text {r[0]:.2f} figures {r[1]:.2f}")
        for r in sorted(other, reverse=True)[:3]:
            print(f"  most alike distinct: {r[3]} ~ {r[4]} text {r[0]:.2f} figures {r[1]:.2f}")

        t0 = time.perf_counter()
        with Register.open(Path(tmp) / "nv.db") as reg:
            run_batch([root], reg, jobs=1)
            groups = [set(map(truth, map(Path, s))) for s in reg.notice_sources().values()]
        wrong = sum(len(g) - 1 for g in groups)
        notices = len(set(map(truth, files)))
        right = len(files) - len(groups) - wrong
        print(f"register: {len(files)} files -> {len(groups)} notices (truth {notices}); "
              f"merged right {right} of {len(files) - notices} copies, merged wrong {wrong}; "
              f"run {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
