"""`nhiemvu serve` as an officer starts it: refuses the office network without a password, serves the page."""
import os
import re
import subprocess
import sys
import urllib.request

from tests.web_fixtures import build_register


def serve(*args, env=None, **kw):
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            env={**os.environ, **(env or {})}, **kw)


def test_office_network_without_password_is_refused(tmp_path):
    db, _ = build_register(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "NHIEMVU_PASSWORD"}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "serve", "--no-browser", "--db", str(db),
                           "--host", "0.0.0.0"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=env, timeout=120)
    assert proc.returncode == 2 and "cần mật khẩu" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    missing = subprocess.run([sys.executable, "-m", "pipeline.cli", "serve", "--no-browser", "--db",
                              str(tmp_path / "khong-co.db")], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "chưa có sổ nhiệm vụ" in missing.stderr


def test_serves_the_dashboard_on_this_machine(tmp_path):
    db, _ = build_register(tmp_path)
    proc = serve("--db", str(db), "--port", "0")
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url, timeout=60) as response:
            page = response.read().decode("utf-8")
            assert response.headers["X-Frame-Options"] == "DENY"
        assert "Tổng quan tình hình thực hiện nhiệm vụ" in page
    finally:
        proc.terminate()
        proc.wait(30)
