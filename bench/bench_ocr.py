"""OCR speed and accuracy on the seed notices scanned at 200 dpi.

    python -m bench.bench_ocr [--gold /work/shared/seeds] [--dpi 200] [--jobs 1,2] [--engines tesserocr,tesseract]

Each seed .txt is set as a PDF (scripts/make_samples.py), rasterised (bench/scans.py: grey, JPEG, no text
layer), then read by extractors/readers/ocr.py with each engine and number of parallel pages; prints
pages/s, and the strict F1 of `nhiemvu eval` on the OCR'd scans against the text PDFs and the .txt seeds.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_scans(folder: Path, dpi: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_samples

    from bench.scans import rasterise

    text_dir, scan_dir = folder / "pdf", folder / "scan"
    text_dir.mkdir()
    scan_dir.mkdir()
    for seed in sorted((ROOT / "samples").glob("*.txt")):
        pdf = text_dir / f"{seed.stem}.pdf"
        make_samples.build_pdf(seed, pdf)
        rasterise(pdf, scan_dir / pdf.name, dpi)
    return text_dir, scan_dir


def _cpu() -> float:
    """CPU seconds of this process's threads and of finished child processes (the tesseract program)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=Path("/work/shared/seeds"))
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--engines", default="tesserocr,tesseract")
    args = ap.parse_args()

    from extractors.readers import ocr
    from pipeline.evaluate import evaluate

    with tempfile.TemporaryDirectory() as tmp:
        text_dir, scan_dir = make_scans(Path(tmp), args.dpi)
        scans = sorted(scan_dir.iterdir())
        for kind in args.engines.split(","):
            for jobs in map(int, args.jobs.split(",")):
                ocr._ENGINE, ocr._POOL = None, None
                engine = ocr.engine(scans[0])
                if kind == "tesseract":
                    engine.kind = "tesseract"
                ocr.workers = lambda jobs=jobs: jobs
                t0, c0 = time.perf_counter(), _cpu()
                pages = sum(ocr.read_scanned_pdf(p).pages for p in scans)
                spent, cpu = time.perf_counter() - t0, _cpu() - c0
                print(f"{kind:<10} {jobs} page(s) at a time: {pages} pages in {spent:.1f} s = {pages / spent:.2f} "
                      f"pages/s; CPU {cpu / pages:.2f} s/page; load average {os.getloadavg()[0]:.1f}")
        if args.gold.is_dir():
            for label, folder in (("seeds .txt", ROOT / "samples"), ("text PDF", text_dir), ("OCR 200 dpi", scan_dir)):
                paths = [folder / f"{g.name.split('.')[0]}{'.txt' if folder.name == 'samples' else '.pdf'}"
                         for g in sorted(args.gold.glob("*.gold.json"))]
                summary = evaluate(args.gold, [p for p in paths if p.exists()], echo=lambda line: None)
                print(f"{label:<12} strict_f1={summary['strict_f1']} detection_f1={summary['detection_f1']}")


if __name__ == "__main__":
    main()
