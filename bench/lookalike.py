"""Look-alike notices: one commune's monthly Thông báo kết luận giao ban, all on the same layout.

    python -m bench.lookalike DIR [--n 50] [--formats .txt,.docx,.pdf]

The hard case for "one notice, one entry": the boilerplate (header, opening, assessment paragraphs)
is the same every month, most tasks come back month after month, and some months repeat the
previous month's tasks word for word: only the dates differ. Neither number nor date is filled in
("Số: /TB-UBND", "ngày   tháng   năm 2026", as drafts show), so only the text can tell them apart. Each notice is written once
per format: copies of one notice must merge, different notices must not.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from bench.corpus import FILLER, UNITS, WRITERS, Assignment, NoticeSpec, Piece, deadline_phrase, pieces_tb

ACTIONS = [
    "rà soát, thống kê diện tích đất nông nghiệp bỏ hoang trên địa bàn và đề xuất phương án xử lý",
    "tổng hợp danh sách hộ nghèo, hộ cận nghèo phát sinh trong tháng",
    "tuyên truyền, vận động Nhân dân tham gia bảo hiểm y tế hộ gia đình",
    "kiểm tra, xử lý các trường hợp xây dựng công trình trái phép trên đất nông nghiệp",
    "cập nhật, số hóa hồ sơ giải quyết thủ tục hành chính trên hệ thống thông tin giải quyết thủ tục hành chính",
    "đôn đốc thu nộp thuế sử dụng đất phi nông nghiệp, bảo đảm đạt chỉ tiêu được giao",
    "làm sạch dữ liệu dân cư, bảo đảm thông tin đúng, đủ, sạch, sống",
    "tổ chức ra quân tổng vệ sinh môi trường, khơi thông cống rãnh tại các khu dân cư",
]


class DraftSpec(NoticeSpec):
    """A notice whose number is not filled in."""

    @property
    def symbol(self) -> str:
        return "/TB-UBND"


def draft_pieces(spec: NoticeSpec) -> list[Piece]:
    """The notice's pieces with the header date left blank, as in a draft."""
    parts = pieces_tb(spec)
    left, right = parts[0].rows[0]
    place = right.rsplit("\n", 1)[0]
    parts[0] = Piece("header", rows=[[left, f"{place}\n{spec.commune}, ngày      tháng      năm {spec.date.year}"]])
    return parts


def lookalike_specs(n: int = 50, seed: int = 7) -> list[NoticeSpec]:
    """N monthly notices of one commune; about one in four repeats the previous month's tasks."""
    rng = random.Random(seed)
    pool = [(UNITS[i % len(UNITS)], a) for i, a in enumerate(ACTIONS)]
    filler = FILLER[:2]
    specs: list[NoticeSpec] = []
    for i in range(n):
        year, month = 2024 + i // 12, i % 12 + 1
        date = dt.date(year, month, rng.randrange(3, 10))
        if specs and rng.random() < 0.25:  # a twin: last month's tasks again, new dates
            chosen = [(a.unit, a.action) for a in specs[-1].assignments]
        else:
            chosen = rng.sample(pool, rng.randrange(5, 8))
        assignments = [Assignment(unit, [], action, deadline_phrase(rng, date)) for unit, action in chosen]
        specs.append(DraftSpec("TB", 0, "Tân Phú", date, assignments, filler))
    return specs


def write_lookalikes(folder: str | Path, n: int = 50, formats=(".txt", ".docx", ".pdf"),
                     seed: int = 7) -> list[list[Path]]:
    """Each notice written once per format; returns the files of each notice."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for i, spec in enumerate(lookalike_specs(n, seed)):
        files = []
        for suffix in formats:
            path = folder / f"giao-ban-{i:02d}{suffix}"
            WRITERS[suffix](path, draft_pieces(spec))
            files.append(path)
        copies.append(files)
    return copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--formats", default=".txt,.docx,.pdf")
    args = ap.parse_args()
    made = write_lookalikes(args.folder, args.n, tuple(args.formats.split(",")))
    print(f"{len(made)} notices, {sum(map(len, made))} files in {args.folder}")


if __name__ == "__main__":
    main()
