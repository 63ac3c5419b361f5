"""The review page through Flask's test client, over a real register read from the seed notices."""
from __future__ import annotations

import html
import io
import re

import pytest

from extractors.rules import task_rule_words
from pipeline.register import Register
from pipeline.status import STATES
from pipeline.web import create_app
from tests.web_fixtures import AS_OF, build_register, copy_register


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return build_register(tmp_path_factory.mktemp("web"))


@pytest.fixture
def db(master, tmp_path):
    return copy_register(master[0], tmp_path)


@pytest.fixture
def client(db):
    app = create_app(db, as_of=AS_OF, secret_key="test")
    app.config["TESTING"] = True
    return app.test_client()


def csrf(client, path="/"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def some_task(db, number="99/TB-UBND", **where):
    """A task of the notice numbered `number` (the hostile one by default) with the given fields."""
    with Register.open(db, write=False) as reg:
        tasks = reg.tasks(AS_OF)
    for t in tasks:
        if (number is None or t.notice.doc_number == number) and all(getattr(t.task, k) == v for k, v in where.items()):
            return t
    raise AssertionError(where)


def version(db, tid):
    with Register.open(db, write=False) as reg:
        return reg.review_state(tid)["version"]


def test_dashboard_counts_match_the_register(client, db):
    with Register.open(db, write=False) as reg:
        tasks = reg.tasks(AS_OF)
    page = client.get("/").get_data(as_text=True)
    assert "Tổng quan tình hình thực hiện nhiệm vụ" in page and "20/07/2026" in page
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", foot)
    assert cells[2:7] == [str(len(tasks))] + [str(sum(t.status == s for t in tasks)) for s in STATES]
    late = sum(t.status == STATES[3] for t in tasks)
    assert f"Quá hạn chưa hoàn thành ({late})" in page


def test_dashboard_filters_by_unit_status_and_search(client, db):
    t = some_task(db, assignee="Công an xã")
    page = client.get("/", query_string={"unit": "Công an xã"}).get_data(as_text=True)
    assert t.id in page
    listed = re.search(r'<section id="listed">(.*?)</section>', page, re.S).group(1)
    assert "Phòng Văn hóa - Xã hội</td>" not in listed
    page = client.get("/", query_string={"q": "kiem tra an ninh"}).get_data(as_text=True)  # without tones
    assert t.id in re.search(r'<section id="listed">(.*?)</section>', page, re.S).group(1)
    page = client.get("/", query_string={"status": STATES[3], "days": "30"}).get_data(as_text=True)
    assert "Sắp đến hạn trong 30 ngày" in page


def test_hostile_notice_text_shows_literally(client, db):
    with Register.open(db, write=False) as reg:
        nid = next(x.notice.id for x in reg.tasks(AS_OF) if x.notice.doc_number == "99/TB-UBND")
    page = client.get(f"/van-ban/{nid}").get_data(as_text=True)
    assert "<script>window.pwned" not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "{{ config }}" in page or "{{ config }}".replace("{", "&#123;") in page
    assert 'class="nv nv-UNIT"' in page and 'class="nv nv-DEADLINE"' in page
    assert "Vì sao đọc là nhiệm vụ" in page


def test_notice_page_marks_unit_from_heading(client, db):
    t = some_task(db, number=None, assignee="Phòng Văn hóa - Xã hội")
    page = client.get(f"/van-ban/{t.notice.id}").get_data(as_text=True)
    assert f'id="task-{t.id}"' in page and "lấy từ tiêu đề mục" in page
    assert "Đọc là nhiệm vụ vì là" in page and "(quy tắc " in page  # Task.rule in the officer's words
    shape, lead = task_rule_words(t.task.rule)  # the words `nhiemvu explain` says
    assert shape in html.unescape(page) and lead in html.unescape(page)


def test_the_page_says_a_rule_through_extractors_rules(monkeypatch):
    from extractors import rules
    from pipeline.web.notice_view import rule_words

    words = {"shape": {"cau-x": "câu kiểu X"}, "lead": {"noi-y": "nơi Y"}, "no_task": {}}
    monkeypatch.setattr(rules, "rule_words", lambda: words)
    assert rule_words("cau-x/noi-y") == "Đọc là nhiệm vụ vì là câu kiểu X; đơn vị chủ trì là nơi Y (quy tắc cau-x/noi-y)."
    assert rule_words("moi/noi-y").startswith("Đọc là nhiệm vụ vì là moi;")  # an unknown code does not break the page


def test_edit_unit_is_saved_audited_and_a_stale_save_refused(client, db):
    t = some_task(db, assignee="Công an xã")
    v = version(db, t.id)
    token = csrf(client, f"/nhiem-vu/{t.id}")
    form = {"csrf_token": token, "version": v, "assignee": "Phòng Kinh tế", "co_assignees": "Công an xã",
            "action": t.task.action, "due": t.task.due.isoformat() if t.task.due else ""}
    assert client.post(f"/nhiem-vu/{t.id}/sua", data=form).status_code == 302
    with Register.open(db, write=False) as reg:
        assert reg.task(t.id).task.assignee == "Phòng Kinh tế"
        assert reg.task(t.id).task.co_assignees == ["Công an xã"]
        assert any(a["what"] == "sửa" and a["who"].endswith("(trang web)") for a in reg.audit(t.id))
    stale = client.post(f"/nhiem-vu/{t.id}/sua", data={**form, "assignee": "Trạm Y tế xã"})
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "CHƯA được lưu" in body and 'value="Trạm Y tế xã"' in body  # what the officer typed is still there
    with Register.open(db, write=False) as reg:
        assert reg.task(t.id).task.assignee == "Phòng Kinh tế"


def test_every_form_needs_the_csrf_token(client, db):
    t = some_task(db, assignee="Công an xã")
    client.get("/")
    refused = client.post(f"/nhiem-vu/{t.id}/sua", data={"assignee": "Phòng Kinh tế", "action": "x"})
    assert refused.status_code == 400
    assert client.post(f"/nhiem-vu/{t.id}/xoa", data={"csrf_token": "forged"}).status_code == 400


def test_done_with_reply_document_and_evidence_file_downloaded_as_attachment(client, db):
    t = some_task(db, assignee="Công an xã")
    token = csrf(client, f"/nhiem-vu/{t.id}")
    data = {"csrf_token": token, "version": version(db, t.id), "completed_on": "2026-07-18",
            "reply_number": "12/BC-CA", "reply_date": "2026-07-18",
            "evidence": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "bao-cao.html")}
    refused = client.post(f"/nhiem-vu/{t.id}/hoan-thanh", data=data, content_type="multipart/form-data")
    assert refused.status_code == 400  # an HTML page is not evidence
    data["evidence"] = (io.BytesIO(b"%PDF-1.4 bao cao"), "../../bao cáo.pdf")
    ok = client.post(f"/nhiem-vu/{t.id}/hoan-thanh", data=data, content_type="multipart/form-data")
    assert ok.status_code == 302
    with Register.open(db, write=False) as reg:
        state = reg.review_state(t.id)
        assert reg.task(t.id).completed_on.isoformat() == "2026-07-18" and state["reply_number"] == "12/BC-CA"
        item = state["evidence"][-1]
        stored = reg.evidence_dir() / item["stored_name"]
    assert stored.is_file() and stored.parent == db.parent / "nhiemvu-kiem-chung"
    assert item["original_name"] == "bao cáo.pdf" and "bao" not in item["stored_name"]
    got = client.get(f"/kiem-chung/{item['id']}")
    assert got.status_code == 200 and got.data == b"%PDF-1.4 bao cao"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["Content-Type"] == "application/octet-stream"
    page = client.get(f"/nhiem-vu/{t.id}").get_data(as_text=True)
    assert "12/BC-CA" in page and "bao cáo.pdf" in page
    token = csrf(client, f"/nhiem-vu/{t.id}")
    assert client.post(f"/nhiem-vu/{t.id}/mo-lai", data={"csrf_token": token,
                                                         "version": version(db, t.id)}).status_code == 302
    with Register.open(db, write=False) as reg:
        assert reg.task(t.id).completed_on is None


def test_upload_over_the_limit_is_refused(db):
    app = create_app(db, as_of=AS_OF, secret_key="t", max_upload=1024)
    client = app.test_client()
    t = some_task(db, assignee="Công an xã")
    token = csrf(client, f"/nhiem-vu/{t.id}")
    r = client.post(f"/nhiem-vu/{t.id}/kiem-chung", content_type="multipart/form-data",
                    data={"csrf_token": token, "evidence": (io.BytesIO(b"x" * 5000), "a.pdf")})
    assert r.status_code == 413 and "vượt giới hạn" in r.get_data(as_text=True)


def test_add_missed_task_from_selected_text_and_dismiss_false_one(client, db):
    t = some_task(db, assignee="Công an xã")
    with Register.open(db, write=False) as reg:
        text = reg.notice_body(t.notice.id)["text"]
    sentence = "kiểm tra an ninh trật tự trên địa bàn"
    start = text.index(sentence)
    token = csrf(client, f"/van-ban/{t.notice.id}")
    r = client.post(f"/van-ban/{t.notice.id}/them", data={
        "csrf_token": token, "start": start, "end": start + len(sentence), "action": sentence,
        "assignee": "tram y te xa", "due": "2026-08-05"})
    assert r.status_code == 302
    with Register.open(db, write=False) as reg:
        added = [x for x in reg.tasks(AS_OF) if x.task.action == sentence]
        assert added and added[0].task.span == (start, start + len(sentence))
        assert reg.review_state(added[0].id)["origin"] == "officer"
    token = csrf(client, f"/nhiem-vu/{t.id}")
    r = client.post(f"/nhiem-vu/{t.id}/xoa", data={"csrf_token": token, "version": version(db, t.id)})
    assert r.status_code == 302
    with Register.open(db, write=False) as reg:
        assert t.id not in {x.id for x in reg.tasks(AS_OF)}


def test_password_required_and_session_signed(db):
    app = create_app(db, as_of=AS_OF, password="mat-khau-van-phong", secret_key="k")
    client = app.test_client()
    assert client.get("/").status_code == 302
    token = csrf(client, "/dang-nhap")
    bad = client.post("/dang-nhap", data={"csrf_token": token, "password": "sai"})
    assert bad.status_code == 401
    good = client.post("/dang-nhap", data={"csrf_token": token, "password": "mat-khau-van-phong", "name": "Lan"})
    assert good.status_code == 302 and client.get("/").status_code == 200
    other = create_app(db, as_of=AS_OF, password="mat-khau-van-phong", secret_key="khac").test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/").status_code == 302  # a cookie signed with another key is worth nothing


def test_host_beyond_this_machine_needs_a_password(monkeypatch):
    from pipeline.commands_common import CommandError
    from pipeline.web.server import is_loopback, operator_password

    monkeypatch.delenv("NHIEMVU_PASSWORD", raising=False)
    assert is_loopback("127.0.0.1") and not is_loopback("0.0.0.0")
    assert operator_password("127.0.0.1", None) is None
    with pytest.raises(CommandError, match="cần mật khẩu"):
        operator_password("0.0.0.0", None)
    monkeypatch.setenv("NHIEMVU_PASSWORD", "mat-khau-van-phong")
    assert operator_password("0.0.0.0", None) == "mat-khau-van-phong"


def test_letters_drafted_and_downloaded(client, db, tmp_path):
    token = csrf(client, "/cong-van")
    r = client.post("/cong-van", data={"csrf_token": token, "kind": "single", "unit": "Công an xã"})
    page = r.get_data(as_text=True)
    names = re.findall(r'href="/cong-van/tai/([^"]+\.docx)"', page)
    assert names, page[-2000:]
    got = client.get(f"/cong-van/tai/{names[0]}")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment")
    import docx

    (tmp_path / "l.docx").write_bytes(got.data)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "l.docx")).paragraphs)
    assert "Công an xã" in text or "CÔNG AN XÃ" in text.upper()
    assert client.get("/cong-van/tai/..%2Fnhiemvu.db").status_code == 404


def test_extension_keeps_the_original_deadline_and_is_shown_with_its_history(client, db):
    t = some_task(db, assignee="Công an xã")  # due 10/7/2026: overdue on 20/7
    token = csrf(client, f"/nhiem-vu/{t.id}")
    form = {"csrf_token": token, "version": version(db, t.id), "new_deadline": "2026-08-10",
            "reason": "Chờ kết quả kiểm tra của huyện", "by_document": "Công văn số 120/UBND-VP"}
    assert client.post(f"/nhiem-vu/{t.id}/gia-han", data=form).status_code == 302
    with Register.open(db, write=False) as reg:
        after = reg.task(t.id, AS_OF)
    assert after.task.due == t.task.due and after.extended_to.isoformat() == "2026-08-10"
    assert after.status == STATES[2]  # measured against the new date
    page = client.get(f"/nhiem-vu/{t.id}").get_data(as_text=True)
    assert "10/08/2026" in page and "Chờ kết quả kiểm tra của huyện" in page and "10/07/2026" in page
    stale = client.post(f"/nhiem-vu/{t.id}/gia-han", data={**form, "new_deadline": "2026-09-01"})
    assert stale.status_code == 409  # the form was opened before the first extension
    refused = client.post(f"/nhiem-vu/{t.id}/gia-han", data={**form, "version": version(db, t.id),
                                                              "new_deadline": "2026-08-01"})
    assert refused.status_code == 400 and "Không gia hạn được" in refused.get_data(as_text=True)


def test_edits_from_the_page_survive_a_run_that_rereads_the_notice(client, db, master):
    from pipeline.batch import run_batch

    t = some_task(db, assignee="Phòng Kinh tế")
    token = csrf(client, f"/nhiem-vu/{t.id}")
    client.post(f"/nhiem-vu/{t.id}/sua", data={"csrf_token": token, "version": version(db, t.id),
                                               "assignee": "Văn phòng HĐND và UBND", "action": t.task.action,
                                               "due": "2026-07-31"})
    source = master[1] / "tb-99-hostile.txt"
    copy = db.parent / "van-ban"
    copy.mkdir()
    (copy / source.name).write_text(source.read_text(encoding="utf-8") + "\nNơi nhận thêm.\n", encoding="utf-8")
    with Register.open(db) as reg:
        run_batch([copy], reg, jobs=1)
        again = reg.task(t.id, AS_OF)
        assert reg.file_state(copy / source.name) is not None
    assert again.task.assignee == "Văn phòng HĐND và UBND" and again.task.due.isoformat() == "2026-07-31"


def test_dashboard_figures_agree_with_the_register_unit_by_unit(db):
    """The SQL counting (dashboard columns kept by triggers) against Register.tasks(), after edits, a
    completion, an extension and a recurring duty, on several dates."""
    import datetime as dt
    from collections import Counter

    from extractors.models import Deadline
    from pipeline.web import dashboard as dash

    with Register.open(db) as reg:
        tasks = reg.tasks(AS_OF)
        reg.edit_task(tasks[0].id, {"assignee": "Trạm Y tế xã",
                                    "deadline": Deadline(recurrence="monthly", day_of_period=18)})
        reg.complete(tasks[1].id, dt.date(2026, 8, 30))
        reg.extend(tasks[2].id, dt.date(2026, 12, 1), "chờ kinh phí")
        for day in (AS_OF, dt.date(2026, 8, 19), dt.date(2027, 1, 5)):
            expected = Counter((t.task.assignee, t.status) for t in reg.tasks(day))
            fig = dash.figures(reg.conn, db, day, dash.Filters(), 7, 1, 50)
            got = Counter({(line.unit, s): n for line in fig.lines for s, n in line.counts.items() if n})
            assert got == expected, day
            late = {t.id for t in reg.tasks(day) if t.status == STATES[3]}
            assert len(fig.late) == min(len(late), dash.LIST_LIMIT) and {r.id for r in fig.late} <= late


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice không có trên máy")
def test_report_drafted_with_its_pdf_from_the_page(client):
    token = csrf(client, "/cong-van")
    page = client.post("/cong-van", data={"csrf_token": token, "kind": "report", "pdf": "1"}).get_data(as_text=True)
    names = re.findall(r'href="/cong-van/tai/([^"]+)"', page)
    assert any(n.startswith("bao-cao") and n.endswith(".docx") for n in names)
    pdf = next(n for n in names if n.endswith(".pdf"))
    got = client.get(f"/cong-van/tai/{pdf}")
    assert got.data.startswith(b"%PDF") and got.headers["Content-Disposition"].startswith("attachment")


def test_a_recurring_duty_is_done_one_occurrence_at_a_time_from_the_page(client, db):
    import datetime as dt

    from extractors.models import Deadline
    from pipeline.web import dashboard as dash

    t = some_task(db, assignee="Công an xã")
    with Register.open(db) as reg:
        reg.edit_task(t.id, {"deadline": Deadline(recurrence="monthly", day_of_period=5)})
        assert reg.task(t.id, AS_OF).status == STATES[3]  # 5/7 missed (the notice is of 1/7)
    token = csrf(client, f"/nhiem-vu/{t.id}")
    r = client.post(f"/nhiem-vu/{t.id}/hoan-thanh", data={"csrf_token": token, "version": version(db, t.id),
                                                         "completed_on": "2026-07-19", "reply_number": "7/BC-CA"})
    assert r.status_code == 302
    with Register.open(db, write=False) as reg:
        after = reg.task(t.id, AS_OF)
        assert after.completed_on is None and after.status == STATES[2]  # the duty stays open for August
        assert any(p.completed_on == dt.date(2026, 7, 19) and "7/BC-CA" in (p.note or "") for p in after.periods)
        fig = dash.figures(reg.conn, db, AS_OF, dash.Filters(unit="Công an xã"), 7, 1, 50)
        assert fig.total.counts[STATES[2]] == sum(x.status == STATES[2] for x in reg.tasks(AS_OF)
                                                  if x.task.assignee == "Công an xã")
    page = client.get(f"/nhiem-vu/{t.id}").get_data(as_text=True)
    assert "Kỳ 05/07/2026: xong ngày 19/07/2026" in page


def test_search_finds_an_action_just_corrected(client, db):
    t = some_task(db, assignee="Công an xã")

    def listed(q):
        page = client.get("/", query_string={"q": q}).get_data(as_text=True)
        return re.search(r'<section id="listed">(.*?)</section>', page, re.S).group(1)

    assert t.id not in listed("tuan tra ban dem")
    token = csrf(client, f"/nhiem-vu/{t.id}")
    client.post(f"/nhiem-vu/{t.id}/sua", data={"csrf_token": token, "version": version(db, t.id),
                                               "assignee": "Công an xã", "action": "Tuần tra ban đêm tại chợ xã",
                                               "due": "2026-07-10"})
    assert t.id in listed("tuần tra BAN ĐÊM")


def test_a_letter_from_the_page_is_recorded_as_a_draft(client, db):
    """As `nhiemvu draft` does: recorded as drafted, a reminder only once `nhiemvu sent` gives it its number."""
    import datetime as dt

    police = some_task(db, assignee="Công an xã")
    token = csrf(client, "/cong-van")
    client.post("/cong-van", data={"csrf_token": token, "kind": "single", "unit": "Công an xã"})
    with Register.open(db, write=False) as reg:
        [letter] = [x for x in reg.reminder_letters() if x.unit == "Công an xã"]
        assert reg.last_reminders(AS_OF + dt.timedelta(days=1)) == {}  # drafted, not sent
    assert letter.on == AS_OF and letter.round == 1 and police.id in letter.task_ids and not letter.sent
