"""The typed contracts between stages, defined in one place.

read ──▶ RawDocument ──structure──▶ Notice ──extract──▶ [Task] ──register──▶ RegisteredTask

Every stage takes and returns these models only; nothing downstream reaches
back into a file or into an earlier stage's internals.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

Recurrence = Literal["weekly", "monthly", "quarterly", "yearly"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- reading
class RawParagraph(_Model):
    """One paragraph as a reader found it, text already normalised (NFC, legacy fonts repaired)."""

    kind: Literal["paragraph"] = "paragraph"
    text: str
    # The list number or bullet the format draws but does not store in the text
    # (Word numbering "1.", "a)", "-"); None when the text carries its own.
    label: Optional[str] = None
    style: Optional[str] = None  # e.g. Word style name "Heading 1", "List Paragraph"
    bold: bool = False  # the whole paragraph is bold
    italic: bool = False
    align: Optional[Literal["left", "center", "right", "justify"]] = None
    page: Optional[int] = None  # 1-based, PDFs only


class RawTable(_Model):
    """A table: rows of cells, each cell's paragraphs joined with "\n"."""

    kind: Literal["table"] = "table"
    rows: list[list[str]]
    page: Optional[int] = None


RawElement = Union[RawParagraph, RawTable]


Business = Literal["new", "revoke", "update", "replace"]  # edXML BussinessDocType 0, 1, 2, 3


class PackageHeader(_Model):
    """What an exchange package (edXML, QCVN 102:2016/BTTTT) states about its notice; these facts
    win over what the attached body's text shows."""

    document_id: Optional[str] = None  # the exchange's id of the document
    doc_number: Optional[str] = None  # "15/TB-UBND" from Code/CodeNumber + CodeNotation
    doc_date: Optional[dt.date] = None
    issuer: Optional[str] = None  # From/OrganName
    place: Optional[str] = None
    type_name: Optional[str] = None  # DocumentType/TypeName, "Thông báo"
    title: Optional[str] = None  # Subject (trích yếu)
    signer: Optional[str] = None
    recipients: list[str] = Field(default_factory=list)  # To/OrganName
    due_hint: Optional[dt.date] = None  # DueDate: a hint only (some senders put "now + 2 days")
    business: Business = "new"
    business_reason: Optional[str] = None
    refers_to: list[str] = Field(default_factory=list)  # document ids this package revokes, updates or replaces
    attachment: Optional[str] = None  # name of the attachment read as the body


class RawDocument(_Model):
    """What a reader returns: the document's elements in reading order."""

    source: str  # path as given
    format: Literal["txt", "md", "docx", "pdf", "doc", "rtf", "odt", "image", "edxml"]
    elements: list[RawElement] = Field(default_factory=list)
    pages: Optional[int] = None
    encoding_repairs: list[str] = Field(default_factory=list)  # e.g. ["tcvn3:3", "vni:1"] paragraphs repaired
    ocr_pages: list[int] = Field(default_factory=list)  # pages read by OCR (a scan), 1-based
    review_pages: list[int] = Field(default_factory=list)  # OCR'd pages to check by eye: "cần kiểm tra lại bản quét"
    package: Optional[PackageHeader] = None  # the exchange package the body came in
    warnings: list[str] = Field(default_factory=list)  # read, but the officer should look (mixed encodings, ...)


# ---------------------------------------------------------------- structure
class Block(_Model):
    """A node of the body tree: a numbered heading, a paragraph, a list item or a table.

    `label` is the numbering as written ("I.", "2.1.", "a)", "-", "+"), `path` the
    dotted position used for provenance ("I.2.1", "II.2.p3"); children are the
    blocks that sit under this one (paragraphs under a heading, bullets under a lead-in).
    """

    kind: Literal["heading", "paragraph", "item", "table"]
    label: Optional[str] = None
    text: str = ""
    path: str = ""
    # character span of `text` in Notice.text (start, end); None for tables
    span: Optional[tuple[int, int]] = None
    rows: Optional[list[list[str]]] = None  # tables only
    children: list["Block"] = Field(default_factory=list)


class Notice(_Model):
    """A notice understood: header/footer metadata and the body as a tree of blocks.

    Fields the notice does not show are None or empty, never guessed.
    """

    source: str
    format: str
    content_hash: Optional[str] = None
    doc_type: Optional[str] = None  # TB, CV, KH, BC, QĐ, TTr, ... (CV: công văn, has a V/v line)
    doc_number: Optional[str] = None  # "17/UBND-VP", "/TB-UBND" for a draft with no number
    doc_date: Optional[dt.date] = None
    year: Optional[int] = None  # year shown in the header even when the date is blank
    place: Optional[str] = None
    issuer: Optional[str] = None  # "Ủy ban nhân dân xã Nghi Dương"
    issuer_parent: Optional[str] = None  # "Ủy ban nhân dân tỉnh ..." when shown
    title: Optional[str] = None  # trích yếu (after the type name or "V/v")
    recipients: list[str] = Field(default_factory=list)  # Kính gửi
    signer: Optional[str] = None
    sign_authority: Optional[str] = None  # "TM.", "KT.", "TL.", "TUQ." or None
    signer_title: Optional[str] = None  # "CHỦ TỊCH", "CHÁNH VĂN PHÒNG"
    cc: list[str] = Field(default_factory=list)  # Nơi nhận
    text: str = ""  # the body text the spans point into
    body: list[Block] = Field(default_factory=list)
    # intake facts set after structuring (pipeline/intake.py), not read from the text
    ocr_pages: list[int] = Field(default_factory=list)
    review_pages: list[int] = Field(default_factory=list)
    package: Optional[PackageHeader] = None
    warnings: list[str] = Field(default_factory=list)  # the reader's doubts, in Vietnamese (RawDocument.warnings)


# ---------------------------------------------------------------- extraction
class Deadline(_Model):
    """A deadline as the notice says it and as a date.

    `due` is the last day the work may be done (end of month/quarter for a period),
    None for "thường xuyên" or when only a recurrence is given.
    """

    due: Optional[dt.date] = None
    phrase: str = ""  # the words of the notice, "trước ngày 10/7/2026"
    recurrence: Optional[Recurrence] = None
    # for a recurring duty, the day in the period ("trước ngày 18 hằng tháng" → 18);
    # weekly: the "thứ" number as written ("thứ Sáu hằng tuần" → 6; Chủ nhật → 8), see pipeline/status.py
    day_of_period: Optional[int] = None
    ongoing: bool = False  # "thường xuyên", "liên tục"


class Task(_Model):
    """One assigned piece of work."""

    source: str
    assignee: str  # canonical lead unit or person
    co_assignees: list[str] = Field(default_factory=list)
    action: str
    deadline: Optional[Deadline] = None
    block_path: str = ""
    span: Optional[tuple[int, int]] = None
    # Why this was read as a task: "<shape>/<where the lead came from>", e.g. "leaf/named",
    # "item/heading", "table-row/cell" (codes explained in extractors/data/vi/rules.toml)
    rule: str = ""

    @property
    def due(self) -> Optional[dt.date]:
        return self.deadline.due if self.deadline else None

    @property
    def recurrence(self) -> Optional[Recurrence]:
        return self.deadline.recurrence if self.deadline else None


def task_record(notice: Notice, task: Task) -> dict:
    """The flat record the JSON export and the scorer read (keys of ../shared/eval/GUIDELINES.md)."""
    return {
        "source": task.source,
        "assignee": task.assignee,
        "co_assignees": list(task.co_assignees),
        "action": task.action,
        "deadline": task.due.isoformat() if task.due else None,
        "deadline_text": task.deadline.phrase if task.deadline else None,
        "recurrence": task.recurrence,
        "block_path": task.block_path,
        "span": list(task.span) if task.span else None,
        "rule": task.rule,
        "doc_type": notice.doc_type,
        "doc_number": notice.doc_number,
        "doc_date": notice.doc_date.isoformat() if notice.doc_date else None,
        "issuer": notice.issuer,
        "signer": notice.signer,
    }


# ---------------------------------------------------------------- register
TaskStatus = Literal[
    "hoàn thành đúng hạn",
    "hoàn thành quá hạn",
    "chưa hoàn thành trong hạn",
    "chưa hoàn thành quá hạn",
]


class NoticeRef(_Model):
    """What the register keeps of a notice, for exports and letters."""

    id: int
    source: str
    content_hash: str
    doc_type: Optional[str] = None
    doc_number: Optional[str] = None
    doc_date: Optional[dt.date] = None
    issuer: Optional[str] = None
    signer: Optional[str] = None
    title: Optional[str] = None
    # every file the notice was read from (a PDF and a .docx of one notice, a forwarded copy): one entry
    sources: list[str] = Field(default_factory=list)
    review_pages: list[int] = Field(default_factory=list)  # OCR'd pages to check: "cần kiểm tra lại bản quét"
    document_id: Optional[str] = None  # exchange package id (edXML)
    # "thu hồi" / "thay thế" when a later package revoked or replaced this notice: its tasks are kept and
    # shown, and left out of the letters
    superseded: Optional[str] = None


class Extension(_Model):
    """One gia hạn: the deadline moved to `to` by a later decision, recorded by the officer."""

    to: dt.date
    reason: str
    by_document: Optional[str] = None  # "Công văn số 45/UBND-VP ngày 10/7/2026"
    previous: Optional[dt.date] = None  # the deadline it replaced (the original one for the first)
    at: str = ""  # when it was recorded (ISO timestamp)
    who: str = ""


class Period(_Model):
    """One occurrence of a recurring duty that the officer recorded: done, or given more time."""

    due: dt.date  # the occurrence's own due date (its key)
    completed_on: Optional[dt.date] = None
    extended_to: Optional[dt.date] = None
    note: Optional[str] = None


class RegisteredTask(_Model):
    """A task as the register holds it: stable id, status and its notice.

    A task extended (gia hạn) keeps the notice's deadline in `task.deadline` (the original) and is
    measured against `extended_to`, the last extension's date; `extensions` is its history, oldest first.
    """

    id: str  # stable, readable: e.g. "T-3f9a1c"
    task: Task
    notice: NoticeRef
    completed_on: Optional[dt.date] = None
    note: Optional[str] = None
    status: TaskStatus = "chưa hoàn thành trong hạn"
    next_due: Optional[dt.date] = None  # for recurring tasks, as of the register's date
    extended_to: Optional[dt.date] = None  # current deadline after gia hạn; None when never extended
    extensions: list[Extension] = Field(default_factory=list)
    # recurring duties: occurrences past due and not done (oldest first), and what was recorded per occurrence
    missed: list[dt.date] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    as_of: Optional[dt.date] = None  # the day the status was measured on

    @property
    def original_due(self) -> Optional[dt.date]:
        return self.task.due

    @property
    def current_due(self) -> Optional[dt.date]:
        """The date the task is measured against now: the extension, the next occurrence, or the notice's."""
        return self.extended_to or self.next_due or self.task.due
