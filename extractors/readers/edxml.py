"""Exchange packages (edXML, QCVN 102:2016/BTTTT, amended 2022), as the inter-agency document exchange
delivers them: a header (MessageHeader, TraceHeaderList/Bussiness) and base64 attachments, sometimes a
zip of the real files. The main attachment (.docx, .doc, .pdf, ...) is read as the body by its own
reader; the header's facts travel along in `RawDocument.package` and win over the text's
(extractors/reader_facts.py).

Seen in the wild and handled: bytes before `<?xml`, the spellings "Bussiness" and "Business", the
older namespace http://www.e-doc.vn/Schema/ (names are matched without their namespace). Refused by
name: DOCTYPE/ENTITY declarations (defusedxml; nothing is ever fetched), base64 that is cut short,
zip bombs, packages without a readable attachment.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator, Optional
from xml.etree.ElementTree import Element

from extractors.errors import CorruptFile, NoticeError
from extractors.models import PackageHeader, RawDocument

MAX_PACKAGE = 200 * 1024 * 1024
MAX_ATTACHMENT = 100 * 1024 * 1024  # decoded
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100  # an office file compresses 5-20x in a zip; far more is a bomb
BODY_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pdf", ".txt")  # preferred in this order
BUSINESS = {"0": "new", "1": "revoke", "2": "update", "3": "replace"}
_APPENDIX = re.compile(r"(?i)ph[uụ][\s_-]*l[uụ]c|phu[\s_-]*luc|appendix")


def read(path: Path) -> RawDocument:
    if path.stat().st_size > MAX_PACKAGE:
        raise CorruptFile(path, f"gói edXML quá lớn (trên {MAX_PACKAGE // 1024 // 1024} MB)")
    root = parse_xml(path)
    if local(root.tag) != "edXML" and first(root, "MessageHeader") is None:
        raise CorruptFile(path, "tệp không phải gói edXML (không có edXML/MessageHeader)")
    header = package_header(root)
    files = list(attachments(root, path))
    name, data = main_body(files, path)
    from extractors.readers import read as read_file

    with tempfile.TemporaryDirectory(prefix="nhiemvu-edxml-") as tmp:
        body = Path(tmp) / ("van-ban" + Path(name).suffix.lower())  # never the sender's name as a path
        body.write_bytes(data)
        try:
            raw = read_file(body)
        except NoticeError as exc:
            raise CorruptFile(path, f"tệp đính kèm '{name}': {exc.reason}") from None
    header = header.model_copy(update={"attachment": name})
    return raw.model_copy(update={"source": str(path), "format": "edxml", "package": header})


# ---------------------------------------------------------------- XML
def parse_xml(path: Path) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    data = path.read_bytes()
    start = data.find(b"<?xml")
    if start < 0:
        start = data.find(b"<")
    if start < 0:
        raise CorruptFile(path, "tệp không phải gói edXML (không có nội dung XML)")
    try:
        return fromstring(data[start:], forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise CorruptFile(path, "gói edXML có khai báo DOCTYPE/ENTITY (không an toàn), không đọc") from None
    except Exception as exc:  # ParseError: truncated or broken XML
        raise CorruptFile(path, f"gói edXML bị hỏng hoặc không đầy đủ ({type(exc).__name__})") from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def first(el: Optional[Element], *names: str) -> Optional[Element]:
    """The first descendant with the first local name, then inside it the next, ..."""
    for name in names:
        if el is None:
            return None
        el = next((e for e in el.iter() if local(e.tag) == name and e is not el), None)
    return el


def text(el: Optional[Element], *names: str) -> Optional[str]:
    found = first(el, *names) if names else el
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def children(el: Optional[Element], name: str) -> list[Element]:
    return [] if el is None else [e for e in el if local(e.tag) == name]


# ---------------------------------------------------------------- header
def package_header(root: Element) -> PackageHeader:
    msg = first(root, "MessageHeader")
    number, notation = text(msg, "Code", "CodeNumber"), text(msg, "Code", "CodeNotation")
    doc_number = f"{number}/{notation}" if number and notation else (notation or number)
    business = first(root, "Bussiness")
    if business is None:
        business = first(root, "Business")
    kind = text(business, "BussinessDocType") or text(business, "BusinessDocType") or "0"
    refers = [text(business, "DocumentId")] if first(business, "DocumentId") is not None else []
    refers += [text(r, "DocumentId") for r in (business.iter() if business is not None else [])
               if local(r.tag) == "ReplacementInfo"]
    promulgation = first(msg, "PromulgationInfo")
    return PackageHeader(
        document_id=text(msg, "DocumentId"),
        doc_number=doc_number,
        doc_date=parse_date(text(promulgation, "PromulgationDate")),
        issuer=text(first(msg, "From"), "OrganName"),
        place=text(promulgation, "Place"),
        type_name=text(msg, "DocumentType", "TypeName"),
        title=text(msg, "Subject"),
        signer=text(msg, "SignerInfo", "FullName"),
        recipients=[t for t in (text(to, "OrganName") for to in _all(msg, "To")) if t],
        due_hint=parse_date(text(msg, "DueDate")),
        business=BUSINESS.get(kind.strip(), "new"),
        business_reason=text(business, "BussinessDocReason") or text(business, "BusinessDocReason"),
        refers_to=[r for r in dict.fromkeys(refers) if r],
    )


def _all(el: Optional[Element], name: str) -> list[Element]:
    return [] if el is None else [e for e in el.iter() if local(e.tag) == name and e is not el]


def parse_date(value: Optional[str]) -> Optional[dt.date]:
    """yyyy/MM/dd as the standard writes it; also yyyy-MM-dd, dd/MM/yyyy, with or without a time."""
    if not value:
        return None
    m = re.match(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", value) or None
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.match(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", value)
        return dt.date(int(m[3]), int(m[2]), int(m[1])) if m else None
    except ValueError:
        return None


# ---------------------------------------------------------------- attachments
def attachments(root: Element, path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every attached file, zips opened (one level)."""
    for k, att in enumerate(_all(root, "Attachment"), 1):
        encoded = first(att, "ContentTransferEncoded")
        if encoded is None:
            continue
        name = text(att, "AttachmentName") or text(att, "ContentId") or f"dinh-kem-{k}"
        name = Path(name.replace("\\", "/")).name or f"dinh-kem-{k}"
        data = decode(encoded.text or "", name, path)
        if data[:2] == b"PK" and Path(name).suffix.lower() not in (".docx", ".odt"):
            yield from unzip(data, name, path)
        else:
            yield name, data


def decode(encoded: str, name: str, path: Path) -> bytes:
    compact = "".join(encoded.split())
    if len(compact) * 3 // 4 > MAX_ATTACHMENT:
        raise CorruptFile(path, f"tệp đính kèm '{name}' quá lớn (trên {MAX_ATTACHMENT // 1024 // 1024} MB)")
    if len(compact) % 4:
        raise CorruptFile(path, f"tệp đính kèm '{name}' bị cắt cụt (mã base64 không đủ); hãy xin gửi lại gói")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise CorruptFile(path, f"tệp đính kèm '{name}' bị hỏng (mã base64 sai); hãy xin gửi lại gói") from None


def unzip(data: bytes, name: str, path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        raise CorruptFile(path, f"tệp nén đính kèm '{name}' bị hỏng") from None
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        raise CorruptFile(path, f"tệp nén đính kèm '{name}' giải nén quá lớn (bom nén), không đọc")
    for m in members:
        inner = Path(m.filename.replace("\\", "/")).name
        if Path(inner).suffix.lower() not in BODY_SUFFIXES:
            continue
        try:
            with archive.open(m) as fh:
                content = fh.read(MAX_UNZIPPED + 1)  # the declared sizes may lie
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError):
            raise CorruptFile(path, f"tệp nén đính kèm '{name}' bị hỏng hoặc có mật khẩu") from None
        if len(content) > MAX_UNZIPPED:
            raise CorruptFile(path, f"tệp nén đính kèm '{name}' giải nén quá lớn (bom nén), không đọc")
        yield inner, content


def main_body(files: list[tuple[str, bytes]], path: Path) -> tuple[str, bytes]:
    """The notice itself among the attachments: a readable format, not an appendix (phụ lục), the
    editable copy before the signed PDF when both came, else the first."""
    readable = [(n, d) for n, d in files if Path(n).suffix.lower() in BODY_SUFFIXES and d]
    if not readable:
        raise CorruptFile(path, "gói edXML không có tệp văn bản đính kèm đọc được (.docx, .doc, .pdf, ...)")

    def rank(item: tuple[int, tuple[str, bytes]]) -> tuple:
        order, (name, _) = item
        return bool(_APPENDIX.search(name)), BODY_SUFFIXES.index(Path(name).suffix.lower()), order

    return min(enumerate(readable), key=rank)[1]
