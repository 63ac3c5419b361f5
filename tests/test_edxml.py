"""Exchange packages (edXML, QCVN 102:2016/BTTTT): built here from real notices; the header wins over the
text, a revoking package marks the earlier notice's tasks, bad packages are named and the batch goes on."""
import base64
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from extractors.errors import CorruptFile
from pipeline import api
from pipeline.batch import run_batch
from pipeline.register import Register
from pipeline.render import open_tasks

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DOCX = SAMPLES / "cv_trien_khai_thong_bao_294.docx"
PDF = SAMPLES / "tb_ket_luan_chuyen_doi_so.pdf"
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def zipped(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buf.getvalue()


def package(attachments: list[tuple[str, bytes]], number="45", notation="UBND-VP", date="2026/06/20",
            issuer="Ủy ban nhân dân xã Cẩm Giang", subject="V/v triển khai Thông báo số 294/TB-VP",
            type_name="Công văn", doc_id="000.00.12.H40,2026,45", business=0, refers=(), spelling="Bussiness",
            namespace=NS, before=b"", doctype="") -> bytes:
    """An edXML package as the exchange delivers it (header elements prefixed, attachments bare)."""
    e = lambda tag, value: f"<edXML:{tag}>{escape(value)}</edXML:{tag}>"  # noqa: E731
    replaced = "".join(f"<edXML:ReplacementInfo>{e('DocumentId', r)}</edXML:ReplacementInfo>" for r in refers)
    header = (
        "<edXML:MessageHeader>"
        f"<edXML:From>{e('OrganId', '000.00.12.H40')}{e('OrganName', issuer)}</edXML:From>"
        f"<edXML:To>{e('OrganId', '000.00.13.H40')}{e('OrganName', 'Phòng Kinh tế')}</edXML:To>"
        f"<edXML:Code>{e('CodeNumber', number)}{e('CodeNotation', notation)}</edXML:Code>"
        f"<edXML:PromulgationInfo>{e('Place', 'Cẩm Giang')}{e('PromulgationDate', date)}</edXML:PromulgationInfo>"
        f"<edXML:DocumentType>{e('Type', '1')}{e('TypeName', type_name)}</edXML:DocumentType>"
        f"{e('Subject', subject)}{e('Content', '')}"
        f"<edXML:SignerInfo>{e('Competence', 'TM. UBND')}{e('Position', 'Chủ tịch')}{e('FullName', 'Nguyễn Văn An')}"
        "</edXML:SignerInfo>"
        f"{e('DueDate', '2026/06/22')}<edXML:OtherInfo>{e('Priority', '0')}</edXML:OtherInfo>"
        f"{e('SteeringType', '0')}{e('DocumentId', doc_id)}"
        "</edXML:MessageHeader>"
        "<edXML:TraceHeaderList><edXML:TraceHeader>"
        f"{e('OrganId', '000.00.12.H40')}{e('Timestamp', '2026/06/20 08:00:00')}</edXML:TraceHeader>"
        f"<edXML:{spelling}>{e(spelling + 'DocType', str(business))}{e(spelling + 'DocReason', 'lý do')}"
        f"<edXML:ReplacementInfoList>{replaced}</edXML:ReplacementInfoList></edXML:{spelling}>"
        "</edXML:TraceHeaderList>"
    )
    encoded = "".join(
        f"<Attachment><ContentType>application/octet-stream</ContentType><ContentId>{k}</ContentId>"
        f"<AttachmentName>{escape(name)}</AttachmentName><ContentTransferEncoded>"
        f"{base64.b64encode(data).decode() if isinstance(data, bytes) else data}</ContentTransferEncoded></Attachment>"
        for k, (name, data) in enumerate(attachments, 1))
    xml = (f'<?xml version="1.0" encoding="utf-8"?>{doctype}<edXML xmlns="{namespace}">'
           f'<edXML:edXMLEnvelope xmlns:edXML="{namespace}"><edXML:edXMLHeader>{header}</edXML:edXMLHeader>'
           f"<edXML:edXMLBody><edXML:edXMLManifest/></edXML:edXMLBody></edXML:edXMLEnvelope>"
           f"<AttachmentEncoded>{encoded}</AttachmentEncoded></edXML>")
    return before + xml.encode("utf-8")


def actions(notice):
    return [(t.assignee, t.action) for t in api.extract(notice)]


def test_zipped_docx_package_header_wins_over_the_text(tmp_path):
    path = tmp_path / "goi-45.edxml"
    path.write_bytes(package([("45-UBND-VP.zip", zipped("Cong van 45.docx", DOCX.read_bytes()))]))
    notice = api.parse(path)
    assert notice.format == "edxml" and notice.package.attachment == "Cong van 45.docx"
    assert (notice.doc_number, str(notice.doc_date), notice.issuer) == ("45/UBND-VP", "2026-06-20",
                                                                        "Ủy ban nhân dân xã Cẩm Giang")
    assert notice.title == "V/v triển khai Thông báo số 294/TB-VP" and notice.doc_type == "CV"
    assert notice.signer == "Nguyễn Văn An"
    assert actions(notice) == actions(api.parse(DOCX)) and actions(notice)


def test_pdf_attachment_with_junk_before_xml_old_namespace_and_other_spelling(tmp_path):
    path = tmp_path / "goi-tb.edxml"
    path.write_bytes(package([("phu-luc-1.docx", b"not read"), ("TB 12.pdf", PDF.read_bytes())],
                             number="12", notation="TB-UBND", type_name="Thông báo", spelling="Business",
                             namespace="http://www.e-doc.vn/Schema/", before=b"\xef\xbb\xbf\r\n--boundary\r\n"))
    notice = api.parse(path)
    assert notice.package.attachment == "TB 12.pdf"  # the appendix is not the body
    assert (notice.doc_number, notice.doc_type) == ("12/TB-UBND", "TB")
    assert actions(notice) == actions(api.parse(PDF))


def test_revoking_package_marks_the_earlier_notice_either_order(tmp_path):
    original = package([("45.docx", DOCX.read_bytes())], doc_id="000.00.12.H40,2026,45")
    revoking = package([("45.docx", DOCX.read_bytes())], number="50", doc_id="000.00.12.H40,2026,50",
                       business=1, refers=["000.00.12.H40,2026,45"], subject="Thu hồi Công văn số 45/UBND-VP")
    for order, names in (("truoc", ("a-goc.edxml", "b-thu-hoi.edxml")), ("sau", ("b-goc.edxml", "a-thu-hoi.edxml"))):
        folder = tmp_path / order
        folder.mkdir()
        (folder / names[0]).write_bytes(original)
        (folder / names[1]).write_bytes(revoking)
        with Register.open(tmp_path / f"{order}.db") as reg:
            run_batch([folder], reg, jobs=1)
            tasks = reg.tasks()
        revoked = [t for t in tasks if t.notice.doc_number == "45/UBND-VP"]
        assert revoked and all(t.notice.superseded == "đã bị thu hồi theo 50/UBND-VP" for t in revoked), order
        letters = open_tasks(tasks)
        assert letters and not any(t.notice.doc_number == "45/UBND-VP" for t in letters)


def test_bad_packages_are_named_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "goi"
    folder.mkdir()
    good = package([("45.docx", DOCX.read_bytes())])
    (folder / "tot.edxml").write_bytes(good)
    cut = base64.b64encode(DOCX.read_bytes()).decode()[:-3]
    (folder / "cut-cut.edxml").write_bytes(package([("45.docx", cut)]))
    (folder / "bom-nen.edxml").write_bytes(package([("45.zip", zipped("45.docx", b"\0" * 20_000_000))]))
    xxe = '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    (folder / "xxe.edxml").write_bytes(package([("45.docx", DOCX.read_bytes())], doctype=xxe).replace(
        b"<edXML:Subject>", b"<edXML:Subject>&xxe;"))
    (folder / "khong-dinh-kem.edxml").write_bytes(package([]))
    with Register.open(tmp_path / "nv.db") as reg:
        summary = run_batch([folder], reg, jobs=1)
        assert reg.counts()["notices"] == 1
    reasons = {Path(e.path).name: e.reason for e in summary.errors}
    assert set(reasons) == {"cut-cut.edxml", "bom-nen.edxml", "xxe.edxml", "khong-dinh-kem.edxml"}
    assert "cắt cụt" in reasons["cut-cut.edxml"] and "bom nén" in reasons["bom-nen.edxml"]
    assert "DOCTYPE" in reasons["xxe.edxml"] and "đính kèm" in reasons["khong-dinh-kem.edxml"]


def test_not_a_package(tmp_path):
    path = tmp_path / "la.edxml"
    path.write_bytes(b"<?xml version='1.0'?><html><body>x</body></html>")
    with pytest.raises(CorruptFile):
        api.parse(path)


def test_revoked_notice_is_shown_as_such_in_the_export(tmp_path):
    from pipeline.export import json_record, table_row

    folder = tmp_path / "goi"
    folder.mkdir()
    (folder / "goc.edxml").write_bytes(package([("45.docx", DOCX.read_bytes())]))
    (folder / "thay-the.edxml").write_bytes(package([("46.docx", DOCX.read_bytes())], number="46", business=3,
                                                    doc_id="000.00.12.H40,2026,46", refers=["000.00.12.H40,2026,45"]))
    with Register.open(tmp_path / "nv.db") as reg:
        run_batch([folder], reg, jobs=1)
        tasks = reg.tasks()
    old = [t for t in tasks if t.notice.doc_number == "45/UBND-VP"]
    assert old and table_row(1, old[0])["doc_number"] == "45/UBND-VP (đã bị thay thế theo 46/UBND-VP)"
    assert json_record(old[0])["superseded"] == "đã bị thay thế theo 46/UBND-VP"
    assert len([t for t in tasks if t.notice.doc_number == "46/UBND-VP"]) == len(old)


def test_parse_shows_how_the_notice_arrived(tmp_path, capsys):
    from pipeline.show import print_notice

    path = tmp_path / "thay-the.edxml"
    path.write_bytes(package([("46.docx", DOCX.read_bytes())], business=3, refers=["000.00.12.H40,2026,45"]))
    print_notice(api.parse(path))
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Gói liên thông:"))
    assert "thay thế văn bản 000.00.12.H40,2026,45" in line and "46.docx" in line
