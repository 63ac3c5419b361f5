"""Scanned notices: PDF pages without a text layer and images (.jpg, .png, .tif), read by Tesseract with
its Vietnamese model.

Engine: tesserocr (Tesseract's C API in process) when installed, else the `tesseract` program; measured
on the same pages, the in-process API is about twice as fast (no image file per page, no process start):
see bench/README.md. Pages are recognised in parallel threads (Tesseract releases the GIL), one engine
per thread, Tesseract's own threading off so that N pages use N cores and no more.

A page whose words are too often not Vietnamese syllables ("QUYT ĐNH": tone marks and vowels lost on a
poor scan) is listed in `RawDocument.review_pages`; the register and the run's report say
"cần kiểm tra lại bản quét" for it.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator, Optional

from extractors.errors import CorruptFile, UnsupportedFormat
from extractors.models import RawDocument, RawParagraph
from extractors.textnorm import clean, is_upper_heading

RENDER_DPI = 300  # a scanned PDF page is drawn at this resolution for Tesseract (measured: bench/README.md)
REVIEW_SHARE = 0.05  # flag a page with more invalid syllables than this: clean scans <= 0.01, garbled >= 0.07
MIN_JUDGED_WORDS = 20
MIN_WORDS = 12  # fewer words in the whole scan is no notice (a scanner's stamp on blank pages)  # a page with fewer words (a signature page) is not judged
MAX_PAGES = 200
MAX_PIXELS = 120_000_000  # a bigger image is a decompression bomb, not a scan
LANG = "vie"
INSTALL_HINT = ("cần Tesseract OCR và gói tiếng Việt để đọc bản quét: hãy cài "
                "(Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-vie; Windows: bộ cài Tesseract "
                "có chọn Vietnamese)")
# a line starting a list item: "- ", "+ ", "1. ", "2.1. ", "a) ", "II. " (a year "2026." is not one)
_LIST_START = re.compile(r"^(?:[-+•*▪◦●]\s|[1-9]\d?(?:\.\d{1,2})*[.)]\s|[a-zđ][)]\s|[IVXLC]+\.\s|\((?:\d{1,2}|[a-zđ])\)\s)")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?-?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*-?\s*$", re.I)
_TESSDATA_GLOBS = ("/usr/share/tesseract-ocr/*/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata",
                   "/opt/homebrew/share/tessdata", "/usr/local/share/tesseract-ocr/*/tessdata",
                   r"C:\Program Files\Tesseract-OCR\tessdata")


def tessdata_dir() -> Optional[str]:
    """The folder holding vie.traineddata, or None."""
    candidates = [os.environ.get("TESSDATA_PREFIX", "")]
    for pattern in _TESSDATA_GLOBS:
        candidates += sorted(glob.glob(pattern), reverse=True)
    for folder in candidates:
        if folder and Path(folder, f"{LANG}.traineddata").is_file():
            return folder
    return None


class Engine:
    """Recognise one page image (a PIL image) to text; thread-safe (one Tesseract per thread)."""

    def __init__(self, tessdata: str):
        self.tessdata = tessdata
        self._local = threading.local()
        try:
            import tesserocr  # noqa: F401

            self.kind = "tesserocr"
        except ImportError:
            if not shutil.which("tesseract"):
                raise LookupError("no tesseract")
            self.kind = "tesseract"

    def __call__(self, image) -> str:
        return self._api(image) if self.kind == "tesserocr" else self._cli(image)

    def _api(self, image) -> str:
        api = getattr(self._local, "api", None)
        if api is None:
            import tesserocr

            api = self._local.api = tesserocr.PyTessBaseAPI(path=self.tessdata, lang=LANG)
        api.SetImage(image)
        return api.GetUTF8Text()

    def _cli(self, image) -> str:
        with tempfile.TemporaryDirectory(prefix="nhiemvu-ocr-") as tmp:
            png = Path(tmp) / "trang.png"
            image.save(png)
            env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
            done = subprocess.run(["tesseract", str(png), "stdout", "-l", LANG, "--tessdata-dir", self.tessdata],
                                  capture_output=True, timeout=300, env=env)
            return done.stdout.decode("utf-8", errors="replace")


_ENGINE: Optional[Engine] = None


def engine(path: Path) -> Engine:
    global _ENGINE
    if _ENGINE is None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # pages run in parallel; one core each
        folder = tessdata_dir()
        try:
            if folder is None:
                raise LookupError("no vie.traineddata")
            _ENGINE = Engine(folder)
        except LookupError:
            raise UnsupportedFormat(path, INSTALL_HINT) from None
    return _ENGINE


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


# ---------------------------------------------------------------- the two kinds of scans
def read_scanned_pdf(path: Path) -> RawDocument:
    """A PDF whose pages carry images, not text."""
    import pypdfium2 as pdfium

    ocr = engine(path)
    pdf = pdfium.PdfDocument(str(path))
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise CorruptFile(path, f"bản quét quá dài ({n} trang, tối đa {MAX_PAGES})")

        def pages() -> Iterator:
            for i in range(n):  # pdfium is not thread-safe: pages are drawn here, recognised in threads
                page = pdf[i]
                try:
                    yield page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil().convert("L")
                finally:
                    page.close()

        texts = _recognise(pages(), ocr)
    finally:
        pdf.close()
    return to_document(path, "pdf", texts)


def read_image(path: Path) -> RawDocument:
    """A photographed or scanned page (.jpg, .png, .tif; every frame of a multi-page TIFF)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    ocr = engine(path)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as img:  # reads the header only: the size is checked before any decoding
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            frames = []
            for i in range(min(getattr(img, "n_frames", 1), MAX_PAGES)):
                img.seek(i)
                frames.append(ImageOps.exif_transpose(img).convert("L"))
    except Image.DecompressionBombError:
        raise CorruptFile(path, "ảnh quá lớn (có thể là tệp độc hại); hãy quét lại ở 300 dpi") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(path, f"tệp ảnh bị hỏng, không mở được ({type(exc).__name__})") from None
    return to_document(path, "image", _recognise(iter(frames), ocr))


_POOL: Optional[ThreadPoolExecutor] = None  # kept: each of its threads keeps its loaded Tesseract


def _recognise(images: Iterator, ocr: Callable) -> list[str]:
    """Texts of the pages in order; at most a few pages drawn ahead of the recognisers (memory)."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(workers(), thread_name_prefix="ocr")
    texts: list[str] = []
    in_flight: deque = deque()
    for image in images:
        in_flight.append(_POOL.submit(ocr, image))
        if len(in_flight) > 2 * workers():
            texts.append(in_flight.popleft().result())
    texts += [f.result() for f in in_flight]
    return texts


# ---------------------------------------------------------------- text to elements
def to_document(path: Path, fmt: str, texts: list[str]) -> RawDocument:
    from extractors.syllables import invalid_share

    elements: list[RawParagraph] = []
    review: list[int] = []
    for number, text in enumerate(texts, 1):
        share, judged = invalid_share(text)
        if judged >= MIN_JUDGED_WORDS and share > REVIEW_SHARE:
            review.append(number)
        paragraphs = [RawParagraph(text=p, page=number) for p in page_paragraphs(clean(text))]
        for k, para in enumerate(paragraphs):
            lower = para.text[:1].islower() and not _LIST_START.match(para.text)
            if elements and (lower or (k == 0 and continues_over_page(elements[-1].text, para.text))):
                # Tesseract cut a paragraph (a block boundary, or the page break fell inside it)
                elements[-1] = elements[-1].model_copy(update={"text": f"{elements[-1].text}\n{para.text}"})
            else:
                elements.append(para)
    if sum(len(_WORDS.findall(e.text)) for e in elements) < MIN_WORDS:  # blank pages, a scanner's stamp
        raise CorruptFile(path, "không nhận dạng được nội dung trong bản quét; hãy quét lại rõ hơn (300 dpi)")
    return RawDocument(source=str(path), format=fmt, elements=list(elements), pages=len(texts),
                       ocr_pages=list(range(1, len(texts) + 1)), review_pages=review)


def page_paragraphs(text: str) -> list[str]:
    """Tesseract's paragraphs (blank-line separated); inside one, every line is a wrap, except a line
    that starts a list item. The page number at the foot of the page is dropped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in (ln.strip() for ln in block.splitlines()):
            if not line:
                continue
            # a list item starts a paragraph, unless the line before stopped mid-sentence ("... Đề án" / "06. ...")
            if current and _LIST_START.match(line) and current[-1].endswith((".", ";", ":", "!", "?")):
                out.append("\n".join(current))
                current = []
            current.append(line)
        if current:
            out.append("\n".join(current))
    return [p for p in out if not _PAGE_NUMBER.match(p)]


def continues_over_page(last: str, first: str) -> bool:
    """The page break fell inside a paragraph: the page ended mid-sentence and the next does not start
    a list item or a heading."""
    return not last.rstrip().endswith((".", ";", ":", "!", "?")) and not _LIST_START.match(first) \
        and not is_upper_heading(first.split("\n")[0])
