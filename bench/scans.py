"""Scans for the OCR tests and benchmark: a text PDF rasterised page by page (as a scanner would
give it: grey, JPEG-compressed, no text layer).

    python -m bench.scans IN.pdf OUT.pdf [--dpi 200]
"""
from __future__ import annotations

import argparse
from pathlib import Path


def rasterise(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """An image-only copy of `pdf` at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    print(rasterise(args.pdf, args.out, args.dpi))


if __name__ == "__main__":
    main()
