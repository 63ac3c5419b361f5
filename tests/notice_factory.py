"""Notices for register tests and the benchmark: generated text in the shape of a commune's
Thông báo kết luận, and a small stand-in extractor for the lines they are built from.

The stand-in lets the register be tested on known tasks while the real extractor is being written;
it understands only the "- <Unit>: <action>, hoàn thành trước ngày d/m/yyyy." lines made here.
"""
from __future__ import annotations

import datetime as dt
import random
import re

from extractors.models import Deadline, Notice, Task

COMMUNES = ["Tân Lập", "Hòa Bình", "Quảng Phú", "Nghĩa Đàn", "Yên Thế", "Phú Lộc", "Đông Hưng", "Kim Sơn"]
UNITS = ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND", "Trạm Y tế xã",
         "Công an xã", "Trung tâm Phục vụ hành chính công", "Ban Chỉ huy Quân sự xã", "Phòng Tài chính - Kế hoạch"]
ACTIONS = [
    "Rà soát, thống kê diện tích đất nông nghiệp bỏ hoang trên địa bàn và đề xuất phương án xử lý",
    "Tổng hợp danh sách hộ nghèo, hộ cận nghèo phát sinh trong năm, báo cáo Chủ tịch UBND xã",
    "Tuyên truyền, vận động Nhân dân tham gia bảo hiểm y tế hộ gia đình",
    "Kiểm tra, xử lý các trường hợp xây dựng công trình trái phép trên đất nông nghiệp",
    "Hướng dẫn các thôn tổ chức Ngày hội đại đoàn kết toàn dân tộc",
    "Cập nhật, số hóa hồ sơ giải quyết thủ tục hành chính trên Hệ thống thông tin giải quyết thủ tục hành chính",
    "Xây dựng kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026",
    "Phối hợp kiểm tra an toàn thực phẩm tại các cơ sở kinh doanh dịch vụ ăn uống",
    "Đôn đốc thu nộp thuế sử dụng đất phi nông nghiệp, bảo đảm đạt chỉ tiêu được giao",
    "Tham mưu ban hành quy chế phối hợp quản lý trật tự xây dựng, trật tự đô thị",
]
FILLER = ("Trong thời gian qua, các phòng chuyên môn, đơn vị đã tích cực triển khai nhiệm vụ được giao; "
          "tuy nhiên tiến độ một số nội dung còn chậm, chất lượng tham mưu chưa đồng đều.")

_ASSIGNMENT = re.compile(r"^- (?P<unit>[^:\n]{3,60}): (?P<action>[^\n]+?)(?:, hoàn thành trước ngày "
                         r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))?\.$", re.M)


def notice_text(number: int, rng: random.Random, n_tasks: int | None = None, year: int = 2026) -> str:
    """A plausible Thông báo kết luận with numbered sections and one assignment per line."""
    commune = rng.choice(COMMUNES)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
    lines = [
        f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", f"Số: {number}/TB-UBND",
        f"{commune}, ngày {date.day} tháng {date.month} năm {date.year}", "THÔNG BÁO",
        f"Kết luận của Chủ tịch Ủy ban nhân dân xã tại cuộc họp giao ban tháng {date.month}/{date.year}",
        f"Ngày {date.day}/{date.month}/{date.year}, Chủ tịch UBND xã chủ trì cuộc họp giao ban. "
        "Sau khi nghe báo cáo, Chủ tịch UBND xã kết luận như sau:",
        "I. ĐÁNH GIÁ CHUNG", *([FILLER] * rng.randint(1, 4)), "II. NHIỆM VỤ TRỌNG TÂM",
    ]
    for _ in range(n_tasks if n_tasks is not None else rng.randint(2, 8)):
        due = date + dt.timedelta(days=rng.randint(5, 120))
        tail = f", hoàn thành trước ngày {due.day}/{due.month}/{due.year}" if rng.random() < 0.8 else ""
        lines.append(f"- {rng.choice(UNITS)}: {rng.choice(ACTIONS)}{tail}.")
    lines += ["Ủy ban nhân dân xã thông báo để các đơn vị biết, thực hiện./.",
              "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"]
    return "\n\n".join(lines) + "\n"


def fake_extract(notice: Notice) -> list[Task]:
    """Stand-in extractor for the generated lines: '- Unit: action, hoàn thành trước ngày d/m/y.'"""
    tasks = []
    for m in _ASSIGNMENT.finditer(notice.text):
        deadline = None
        if m["y"]:
            deadline = Deadline(due=dt.date(int(m["y"]), int(m["m"]), int(m["d"])),
                                phrase=f"trước ngày {m['d']}/{m['m']}/{m['y']}")
        tasks.append(Task(source=notice.source, assignee=m["unit"].strip(), action=m["action"].strip(),
                          deadline=deadline, span=(m.start(), m.end())))
    return tasks


CRASH_MARK = "[mô phỏng lỗi thư viện]"


def crashing_extract(notice: Notice) -> list[Task]:
    """Stand-in that kills its process on a marked notice, as a C library crash on a broken file would."""
    if CRASH_MARK in notice.text:
        import os

        os._exit(139)
    return fake_extract(notice)


def write_notices(folder, count: int, seed: int = 7, start: int = 1) -> list:
    """`count` generated notices as .txt under `folder` (two sub-folders, as offices file them)."""
    from pathlib import Path

    rng = random.Random(seed)
    paths = []
    for i in range(start, start + count):
        sub = Path(folder) / ("thang-%02d" % (i % 2 + 1))
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"tb-{i:04d}.txt"
        path.write_text(notice_text(i, rng), encoding="utf-8")
        paths.append(path)
    return paths


def notices_in(db) -> int:
    """Notices a run has committed to the register so far (0 while it is not there yet or locked)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM notices").fetchone()[0]
    except sqlite3.Error:
        return 0


def slow_fake_extract(notice):
    """The stand-in extractor taking NOTICE_FACTORY_DELAY_MS per notice: a batch long enough to be
    interrupted mid-way however fast the rest of the pipeline gets (a module function: workers pickle it)."""
    import os
    import time

    time.sleep(int(os.environ.get("NOTICE_FACTORY_DELAY_MS", "0")) / 1000)
    return fake_extract(notice)


def run_cli_with_fake_extractor(argv: list[str]) -> None:
    """Entry for child processes in tests: the real CLI with the stand-in extractor."""
    import os
    import sys

    from pipeline import api, cli

    api.extract = slow_fake_extract if os.environ.get("NOTICE_FACTORY_DELAY_MS") else fake_extract
    sys.argv = ["nhiemvu", *argv]
    cli.main()


if __name__ == "__main__":
    import sys

    run_cli_with_fake_extractor(sys.argv[1:])
