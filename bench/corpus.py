"""A deterministic corpus of commune notices for the benchmark: .docx, text PDFs and .txt.

    python -m bench.corpus DIR [--n 100] [--seed 2026]

Four kinds, each from its own template: thông báo kết luận (TB), công văn (CV), kế hoạch with a
task table (KH) and báo cáo (BC). Units, actions, deadline phrases and lengths vary with a seeded
RNG, so the same N and seed always give the same bytes (except the PDFs' creation stamp).

A notice is first laid out as a list of `Piece`s (header, title, heading, paragraph, numbered
item, table, signature); each writer renders the same pieces in its format: .docx with a
two-column header table and Word-numbered lists, PDF with a Vietnamese TTF, .txt as typed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

COMMUNES = ["Tân Phú", "Hòa Bình", "Quảng Phú", "Nghĩa Đàn", "Yên Thế", "Phú Lộc", "Đông Hưng", "Kim Sơn",
            "Ea Kao", "Mường Khương", "Bình Minh", "Thạch Hà", "Cẩm Giàng", "Long Hựu", "Phong Điền"]
UNITS = ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã", "Công an xã",
         "Ban Chỉ huy Quân sự xã", "Trạm Y tế xã", "Trung tâm Phục vụ hành chính công",
         "Trung tâm Dịch vụ tổng hợp", "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã", "Hội Liên hiệp Phụ nữ xã",
         "Hội Nông dân xã", "Hội Cựu chiến binh xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
         "Trường Trung học cơ sở", "Đài Truyền thanh xã", "Ban Quản lý dự án đầu tư xây dựng"]
ACTIONS = [
    "rà soát, thống kê diện tích đất nông nghiệp bỏ hoang trên địa bàn và đề xuất phương án xử lý",
    "tổng hợp danh sách hộ nghèo, hộ cận nghèo phát sinh trong năm",
    "tuyên truyền, vận động Nhân dân tham gia bảo hiểm y tế hộ gia đình",
    "kiểm tra, xử lý các trường hợp xây dựng công trình trái phép trên đất nông nghiệp",
    "hướng dẫn các thôn, tổ dân phố tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
    "cập nhật, số hóa hồ sơ giải quyết thủ tục hành chính trên hệ thống thông tin giải quyết thủ tục hành chính",
    "xây dựng phương án phòng, chống thiên tai và tìm kiếm cứu nạn",
    "kiểm tra an toàn thực phẩm tại các cơ sở kinh doanh dịch vụ ăn uống",
    "đôn đốc thu nộp thuế sử dụng đất phi nông nghiệp, bảo đảm đạt chỉ tiêu được giao",
    "tham mưu ban hành quy chế phối hợp quản lý trật tự xây dựng",
    "làm sạch dữ liệu dân cư, bảo đảm thông tin đúng, đủ, sạch, sống",
    "tổ chức ra quân tổng vệ sinh môi trường, khơi thông cống rãnh tại các khu dân cư",
    "rà soát các điểm có nguy cơ sạt lở, lập danh sách hộ dân cần di dời",
    "chuẩn bị các điều kiện tổ chức Lễ giao nhận quân",
    "tiêm chủng mở rộng cho trẻ em trong độ tuổi, bảo đảm tỷ lệ theo kế hoạch",
    "kiểm kê, đánh giá hiện trạng các nhà văn hóa thôn và đề xuất sửa chữa",
]
FILLER = [
    "Trong thời gian qua, các phòng chuyên môn, đơn vị đã tích cực triển khai nhiệm vụ được giao; tuy nhiên "
    "tiến độ một số nội dung còn chậm, chất lượng tham mưu chưa đồng đều, việc phối hợp giữa các đơn vị có lúc "
    "chưa chặt chẽ.",
    "Công tác cải cách hành chính tiếp tục được quan tâm chỉ đạo; tỷ lệ hồ sơ giải quyết đúng hạn đạt cao, "
    "không có hồ sơ quá hạn; việc tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích được duy trì.",
    "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định; không để xảy ra tình "
    "huống đột xuất, bất ngờ; các vụ việc phát sinh được giải quyết kịp thời tại cơ sở.",
    "Sản xuất nông nghiệp cơ bản thuận lợi, năng suất lúa vụ Đông Xuân ước đạt kế hoạch; công tác phòng, "
    "chống dịch bệnh trên đàn gia súc, gia cầm được triển khai đồng bộ.",
    "Các hoạt động văn hóa, văn nghệ, thể dục thể thao mừng Đảng, mừng Xuân được tổ chức sôi nổi, an toàn, "
    "tiết kiệm, tạo không khí phấn khởi trong Nhân dân.",
]
ROMAN = ["I", "II", "III", "IV", "V"]


# ---------------------------------------------------------------- what a notice says
@dataclass
class Assignment:
    unit: str
    co_units: list[str]
    action: str
    deadline: str  # the phrase as written, "" for none


@dataclass
class Piece:
    kind: str  # "header" | "title" | "heading" | "para" | "item" | "table" | "sign"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    label: str = ""  # the number a writer draws ("1.", "a)", "-")


@dataclass
class NoticeSpec:
    kind: str  # TB | CV | KH | BC
    number: int
    commune: str
    date: dt.date
    assignments: list[Assignment]
    filler: list[str]

    @property
    def symbol(self) -> str:
        """Số và ký hiệu: a công văn carries the issuing office's code, other kinds their type code."""
        return f"{self.number}/UBND-VP" if self.kind == "CV" else f"{self.number}/{self.kind}-UBND"


def deadline_phrase(rng: random.Random, date: dt.date) -> str:
    due = date + dt.timedelta(days=rng.randrange(5, 120))
    return rng.choice([
        f"trước ngày {due.day:02d}/{due.month:02d}/{due.year}",
        f"hoàn thành trước ngày {due.day}/{due.month}/{due.year}",
        f"chậm nhất ngày {due.day:02d}/{due.month:02d}/{due.year}",
        f"trong tháng {due.month}/{due.year}",
        f"trước ngày {rng.choice([15, 20, 25])} hằng tháng",
        "thường xuyên",
        "",
    ])


def make_spec(index: int, rng: random.Random) -> NoticeSpec:
    kind = rng.choices(["TB", "CV", "KH", "BC"], weights=[4, 3, 2, 1])[0]
    date = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
    n_tasks = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 14, 20])
    assignments = []
    for _ in range(n_tasks):
        unit, *co = rng.sample(UNITS, 1 + rng.choice([0, 0, 1, 2]))
        assignments.append(Assignment(unit, co, rng.choice(ACTIONS), deadline_phrase(rng, date)))
    filler = [rng.choice(FILLER) for _ in range(rng.choice([0, 1, 2, 3, 5, 8]))]
    return NoticeSpec(kind, index + 1, rng.choice(COMMUNES), date, assignments, filler)


# ---------------------------------------------------------------- templates: spec -> pieces
def _assignment_sentence(a: Assignment, verb: str = "Giao") -> str:
    lead = f"{verb} {a.unit} chủ trì, phối hợp với {', '.join(a.co_units)}" if a.co_units else f"{verb} {a.unit}"
    tail = f"; {a.deadline}" if a.deadline and not a.deadline.startswith("hoàn thành") else (
        f", {a.deadline}" if a.deadline else "")
    return f"{lead} {a.action}{tail}."


def _header(spec: NoticeSpec) -> Piece:
    left = f"ỦY BAN NHÂN DÂN\nXÃ {spec.commune.upper()}\nSố: {spec.symbol}"
    right = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
             f"{spec.commune}, ngày {spec.date.day:02d} tháng {spec.date.month:02d} năm {spec.date.year}")
    return Piece("header", rows=[[left, right]])


def _sign() -> Piece:
    return Piece("sign", "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An")


def pieces_tb(spec: NoticeSpec) -> list[Piece]:
    out = [_header(spec), Piece("title", f"THÔNG BÁO\nKết luận của Chủ tịch UBND xã tại cuộc họp giao ban "
                                         f"tháng {spec.date.month} năm {spec.date.year}")]
    out.append(Piece("para", f"Ngày {spec.date.day}/{spec.date.month}/{spec.date.year}, Chủ tịch UBND xã chủ trì "
                             "cuộc họp giao ban. Sau khi nghe báo cáo và ý kiến của các đại biểu, Chủ tịch UBND xã "
                             "kết luận như sau:"))
    out.append(Piece("heading", "ĐÁNH GIÁ CHUNG", label="I."))
    out += [Piece("para", f) for f in spec.filler]
    out.append(Piece("heading", "NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", label="II."))
    out += [Piece("item", _assignment_sentence(a), label=f"{i}.") for i, a in enumerate(spec.assignments, 1)]
    return out + [_sign()]


def pieces_cv(spec: NoticeSpec) -> list[Piece]:
    recipients = sorted({a.unit for a in spec.assignments})
    out = [_header(spec), Piece("title", "V/v triển khai nhiệm vụ " + spec.assignments[0].action.split(",")[0]),
           Piece("para", "Kính gửi: " + "; ".join(recipients) + ".")]
    out += [Piece("para", f) for f in spec.filler[:2]]
    out.append(Piece("para", "Để triển khai kịp thời, hiệu quả, Chủ tịch UBND xã yêu cầu:"))
    out += [Piece("item", _assignment_sentence(a, "Đề nghị"), label=f"{i}.")
            for i, a in enumerate(spec.assignments, 1)]
    out.append(Piece("para", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo Chủ tịch "
                             "UBND xã (qua Văn phòng HĐND và UBND xã) để xem xét, chỉ đạo."))
    return out + [_sign()]


def pieces_kh(spec: NoticeSpec) -> list[Piece]:
    out = [_header(spec), Piece("title", f"KẾ HOẠCH\nTriển khai nhiệm vụ trọng tâm năm {spec.date.year}"),
           Piece("heading", "MỤC ĐÍCH, YÊU CẦU", label="I.")]
    out += [Piece("para", f) for f in spec.filler]
    out.append(Piece("heading", "NHIỆM VỤ CỤ THỂ", label="II."))
    rows = [["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]]
    rows += [[str(i), a.action[0].upper() + a.action[1:], a.unit, ", ".join(a.co_units), a.deadline]
             for i, a in enumerate(spec.assignments, 1)]
    out.append(Piece("table", rows=rows))
    out.append(Piece("heading", "TỔ CHỨC THỰC HIỆN", label="III."))
    out.append(Piece("para", "Các phòng chuyên môn, đơn vị căn cứ nhiệm vụ được giao xây dựng kế hoạch chi tiết, "
                             "định kỳ báo cáo kết quả về UBND xã."))
    return out + [_sign()]


def pieces_bc(spec: NoticeSpec) -> list[Piece]:
    out = [_header(spec), Piece("title", f"BÁO CÁO\nKết quả thực hiện nhiệm vụ tháng {spec.date.month} "
                                         f"và phương hướng tháng tiếp theo"),
           Piece("heading", "KẾT QUẢ THỰC HIỆN", label="I.")]
    out += [Piece("para", f) for f in spec.filler or FILLER[:2]]
    out.append(Piece("heading", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", label="II."))
    out += [Piece("item", f"{a.unit}: {a.action[0].upper() + a.action[1:]}" + (f", {a.deadline}." if a.deadline
                                                                                 else "."), label="-")
            for a in spec.assignments[:6]]
    return out + [_sign()]


TEMPLATES = {"TB": pieces_tb, "CV": pieces_cv, "KH": pieces_kh, "BC": pieces_bc}


def pieces(spec: NoticeSpec) -> list[Piece]:
    return TEMPLATES[spec.kind](spec)


# ---------------------------------------------------------------- writers
def write_txt(path: Path, parts: list[Piece]) -> None:
    lines: list[str] = []
    for p in parts:
        if p.kind == "header":
            left, right = p.rows[0]
            lines += [left, "", right]
        elif p.kind == "table":
            lines += [" | ".join(r) for r in p.rows]
        else:
            lines.append(f"{p.label} {p.text}" if p.label else p.text)
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def write_docx(path: Path, parts: list[Piece]) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    for p in parts:
        if p.kind in ("header", "table"):
            table = d.add_table(rows=len(p.rows), cols=len(p.rows[0]))
            if p.kind == "table":
                table.style = "Table Grid"
            for r, row in enumerate(p.rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        elif p.kind == "title":
            for line in p.text.split("\n"):
                para = d.add_paragraph()
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.add_run(line).bold = True
        elif p.kind == "heading":
            d.add_paragraph().add_run(f"{p.label} {p.text}").bold = True
        elif p.kind == "item" and p.label != "-":
            d.add_paragraph(p.text, style="List Number")  # Word draws the number; the text has none
        elif p.kind == "item":
            d.add_paragraph(p.text, style="List Bullet")
        else:
            for line in p.text.split("\n"):
                d.add_paragraph(line)
    d.save(path)


_FONT = None


def pdf_font() -> str:
    """Register a Vietnamese-capable TTF once (DejaVu Sans, else Liberation Sans)."""
    global _FONT
    if _FONT is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                          "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                          "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"):
            if Path(candidate).is_file():
                pdfmetrics.registerFont(TTFont("VN", candidate))
                _FONT = "VN"
                break
        else:
            raise RuntimeError("no Vietnamese-capable TTF font found (DejaVu Sans or Liberation Sans)")
    return _FONT


def write_pdf(path: Path, parts: list[Piece]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=15, spaceAfter=6)
    centre = ParagraphStyle("centre", parent=body, alignment=1)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0)
    flow = []
    for p in parts:
        if p.kind in ("header", "table"):
            rows = [[Paragraph(escape(t).replace("\n", "<br/>"), cell) for t in r] for r in p.rows]
            t = Table(rows)
            if p.kind == "table":
                t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
            flow.append(t)
        else:
            text = f"{p.label} {p.text}" if p.label else p.text
            style = centre if p.kind == "title" else body
            flow += [Paragraph(escape(line), style) for line in text.split("\n") if line]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(flow)


WRITERS = {".txt": write_txt, ".docx": write_docx, ".pdf": write_pdf}
MIX = {".txt": 0.4, ".docx": 0.35, ".pdf": 0.25}


def write_corpus(folder: str | Path, n: int, seed: int = 2026) -> list[tuple[Path, NoticeSpec]]:
    """N notices in `folder` (created); the same N and seed give the same notices."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made = []
    for i in range(n):
        spec = make_spec(i, rng)
        suffix = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        path = folder / f"{i:05d}_{spec.kind}{suffix}"
        WRITERS[suffix](path, pieces(spec))
        made.append((path, spec))
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description="Generate a benchmark corpus of commune notices.")
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    made = write_corpus(args.folder, args.n, args.seed)
    print(f"{len(made)} notices in {args.folder}")


if __name__ == "__main__":
    main()
