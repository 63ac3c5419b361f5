"""The review page in a real headless Chromium (Debian's `chromium`, driven by Playwright): a clerk opens the
dashboard, corrects a unit, adds a missed task by selecting its sentence, marks a task done with an evidence file,
extends a deadline, re-runs `nhiemvu run` and finds the edits kept, and downloads a letter.

Screenshots go to the test's temporary folder, and to $NHIEMVU_SCREENSHOTS when set (to look at them)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipeline.register import Register
from tests.web_fixtures import AS_OF, MISSED, build_register

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium không có trên máy (gói Debian 'chromium')")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture
def site(tmp_path):
    from werkzeug.serving import make_server

    from pipeline.web import create_app

    db, folder = build_register(tmp_path)
    app = create_app(db, as_of=AS_OF, letters_dir=tmp_path / "cong-van")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", db, folder
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def browser():
    from playwright import sync_api  # a test dependency: its absence is a broken install, not a skip

    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class Shots:
    def __init__(self, page, folder: Path):
        self.page, self.dirs = page, [folder]
        if os.environ.get("NHIEMVU_SCREENSHOTS"):
            self.dirs.append(Path(os.environ["NHIEMVU_SCREENSHOTS"]))

    def __call__(self, name: str, full: bool = True) -> None:
        for d in self.dirs:
            d.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(d / f"{name}.png"), full_page=full)


def hostile_tasks(db):
    with Register.open(db, write=False) as reg:
        return {t.task.assignee: t for t in reg.tasks(AS_OF) if t.notice.doc_number == "99/TB-UBND"}


def test_a_clerk_reviews_the_register_in_the_browser(site, browser, tmp_path):
    base, db, folder = site
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900}, locale="vi-VN")
    context.set_default_timeout(120_000)  # a shared CI machine may be slow; nothing here waits on purpose
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    shot = Shots(page, tmp_path / "shots")
    tasks = hostile_tasks(db)
    economy, police = tasks["Phòng Kinh tế"], tasks["Công an xã"]

    # the dashboard
    page.goto(base + "/")
    assert page.locator("h1").inner_text().startswith("Tổng quan tình hình thực hiện nhiệm vụ")
    assert page.locator("#summary tfoot").inner_text().split()[:3] == ["Tổng", "cộng", str(sum(
        1 for _ in Register.open(db, write=False).tasks(AS_OF)))]
    assert police.id in page.locator("#overdue").inner_text()
    shot("1-tong-quan")

    # the notice page: hostile text shows literally, nothing ran
    page.goto(f"{base}/van-ban/{economy.notice.id}")
    assert page.evaluate("window.pwned === undefined")
    assert "<script>window.pwned=1</script>" in page.locator("#notice-text").inner_text()
    assert page.locator("#notice-text mark.nv-UNIT").count() >= 2
    page.click(f"#task-{police.id} details summary")
    assert "Đọc là nhiệm vụ vì" in page.locator(f"#task-{police.id} details").inner_text()
    shot("2-van-ban")

    # correct a unit
    page.click(f"#task-{economy.id} >> text=Sửa, hoàn thành, gia hạn")
    page.fill("#edit-form input[name=assignee]", "Văn phòng HĐND và UBND")
    page.click("#edit-form button[type=submit]")
    assert "Đã lưu thay đổi." in page.locator(".flash").inner_text()
    assert page.locator("#edit-form input[name=assignee]").input_value() == "Văn phòng HĐND và UBND"
    shot("3-sua-don-vi")

    # add a missed task by selecting its words in the notice
    page.goto(f"{base}/van-ban/{economy.notice.id}")
    page.evaluate("""(phrase) => {
        const walker = document.createTreeWalker(document.getElementById('notice-text'), NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.textContent.indexOf(phrase);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + phrase.length);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                document.getElementById('notice-text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                return;
            }
        }
        throw new Error('phrase not found');
    }""", MISSED)
    page.wait_for_selector("#add-form:not([hidden])")
    assert page.locator("#add-action").input_value() == MISSED
    page.fill("#add-unit", "Trạm Y tế xã")
    page.fill("#add-form input[name=due]", "2026-08-05")
    shot("4-them-nhiem-vu-chon-chu", full=False)
    page.click("#add-form button[type=submit]")
    assert "Đã thêm nhiệm vụ" in page.locator(".flash").inner_text()
    added = hostile_tasks(db)["Trạm Y tế xã"]
    with Register.open(db, write=False) as reg:
        text = reg.notice_body(added.notice.id)["text"]
    assert text[added.task.span[0]:added.task.span[1]] == MISSED
    assert page.locator(f"#task-{added.id}").count() == 1

    # mark done with the reply document and an evidence file
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bien ban kiem tra\n")
    page.goto(f"{base}/nhiem-vu/{economy.id}")
    page.fill("#done-form input[name=completed_on]", "2026-07-18")
    page.fill("#done-form input[name=reply_number]", "45/BC-VP")
    page.fill("#done-form input[name=reply_date]", "2026-07-18")
    page.set_input_files("#done-form input[name=evidence]", str(evidence))
    page.click("#done-form button[type=submit]")
    assert "45/BC-VP" in page.locator("#done-box").inner_text()
    with page.expect_download() as got:
        page.click("#done-box a:has-text('bien-ban-kiem-tra.pdf')")
    assert Path(got.value.path()).read_bytes() == evidence.read_bytes()
    shot("5-hoan-thanh-kiem-chung")

    # extend an overdue deadline
    page.goto(f"{base}/nhiem-vu/{police.id}")
    page.fill("#extend-form input[name=new_deadline]", "2026-08-10")
    page.fill("#extend-form input[name=reason]", "Chờ kết quả kiểm tra liên ngành của huyện")
    page.fill("#extend-form input[name=by_document]", "Công văn số 120/UBND-VP ngày 15/7/2026")
    page.click("#extend-form button[type=submit]")
    box = page.locator("#extend-box").inner_text()
    assert "10/08/2026" in box and "10/07/2026" in box and "Chờ kết quả kiểm tra liên ngành" in box
    shot("6-gia-han")

    # the notice changes on disk; `nhiemvu run` reads it again; every edit is still there
    notice_file = folder / "tb-99-hostile.txt"
    notice_file.write_text(notice_file.read_text(encoding="utf-8") + "Lưu: VP.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(folder), "--db", str(db),
                          "--out", str(tmp_path / "out"), "--as-of", "20/07/2026"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page.goto(f"{base}/van-ban/{economy.notice.id}")
    cards = page.locator(".cards").inner_text()
    assert "Văn phòng HĐND và UBND" in cards and "Trạm Y tế xã" in cards
    after = hostile_tasks(db)
    assert after["Công an xã"].notice.content_hash != police.notice.content_hash  # the run did read it again
    assert after["Văn phòng HĐND và UBND"].id == economy.id
    assert after["Văn phòng HĐND và UBND"].completed_on.isoformat() == "2026-07-18"
    assert after["Công an xã"].extended_to.isoformat() == "2026-08-10"
    assert after["Trạm Y tế xã"].id == added.id
    shot("7-sau-khi-chay-lai")

    # draft and download a letter
    page.goto(f"{base}/cong-van")
    page.select_option("#letters-form select[name=unit]", "Công an xã")  # one letter: quick on a busy machine
    page.click("#letters-form button[type=submit]", timeout=180_000)
    link = page.locator("#written a").first
    with page.expect_download() as got:
        link.click()
    letter = tmp_path / got.value.suggested_filename
    got.value.save_as(str(letter))
    import docx

    body = "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)
    assert letter.suffix == ".docx" and "Kính gửi" in body and "đề nghị" in body
    shot("8-cong-van")
    context.close()


def test_two_tabs_second_save_is_refused(site, browser):
    base, db, _ = site
    t = hostile_tasks(db)["Công an xã"]
    context = browser.new_context()
    context.set_default_timeout(120_000)
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.goto(f"{base}/nhiem-vu/{t.id}")
    first.fill("#edit-form input[name=assignee]", "Phòng Kinh tế")
    first.click("#edit-form button[type=submit]")
    second.fill("#edit-form textarea[name=action]", "Kiểm tra an ninh trật tự (tab thứ hai)")
    second.click("#edit-form button[type=submit]")
    assert "CHƯA được lưu" in second.locator("#error").inner_text()
    assert second.locator("#edit-form textarea[name=action]").input_value() == "Kiểm tra an ninh trật tự (tab thứ hai)"
    assert hostile_tasks(db)["Phòng Kinh tế"].task.action == t.task.action
    context.close()
