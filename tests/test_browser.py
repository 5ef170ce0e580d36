"""End-to-end browser test: the real app, its own fresh index, Debian Chromium driven by Playwright.

Starts ``streamlit run app.py`` on a free port with the index in a temporary folder, asks the
canonical purchaser question in the chat box, checks the cited answer and saves a screenshot
to ``tests/artifacts/chat.png`` for a human to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "参公管理的事业单位能不能作为购买主体？"
SERVER_START_TIMEOUT_S = 120
# The first page load opens the assistant, which builds the index into the empty temp folder.
INDEX_BUILD_TIMEOUT_MS = 300_000
ANSWER_TIMEOUT_MS = 120_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a running ``streamlit run app.py``; the server is always terminated afterwards."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps) to run browser tests")
    tmp = tmp_path_factory.mktemp("app")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ANONYMIZED_TELEMETRY": "False",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "POLICY_ASSISTANT_INDEX": str(tmp / "index"),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log_path = tmp / "streamlit.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps) to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _screenshot(page, name: str, *, max_height: int) -> None:
    """Save a full-page screenshot of the conversation under tests/artifacts/."""
    page.wait_for_timeout(500)  # let the expander animation settle before the screenshot
    # The main column scrolls inside the page, so grow the viewport to show the whole turn.
    height = page.evaluate("Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(max(height, 1400), max_height)})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_purchaser_question_is_answered_with_a_cited_clause(server: str, browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="zh-CN")
    try:
        page.goto(server)
        chat_box = page.get_by_test_id("stChatInputTextArea")
        failure = page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stException"))
        expect(chat_box.or_(failure).first).to_be_visible(timeout=INDEX_BUILD_TIMEOUT_MS)
        if failure.count():
            pytest.fail(f"the app did not start: {failure.first.inner_text()}")
        expect(page.get_by_role("heading", name="政府购买服务政策助手")).to_be_visible()

        chat_box.fill(QUESTION)
        chat_box.press("Enter")

        # The assistant turn is messages[1]; app.py keys its answer container "answer_1".
        answer = page.locator(".st-key-answer_1")
        expect(answer).to_contain_text("参照公务员法管理", timeout=ANSWER_TIMEOUT_MS)
        messages = page.get_by_test_id("stChatMessage")
        expect(messages).to_have_count(2)
        expect(messages.first).to_contain_text(QUESTION)

        citations = messages.last.get_by_test_id("stExpander")
        expect(citations).to_contain_text("引用条款")
        citations.locator("summary").click()
        expect(citations).to_contain_text("温政办〔2014〕118号", timeout=10_000)

        _screenshot(page, "chat.png", max_height=4000)
    finally:
        page.close()


DECISION_QUESTION = "我们是区民政局，想买社区养老上门服务，能买吗？"
FOLLOW_UP = "经费由财政承担，已经列入部门预算"


def test_a_decision_asks_for_missing_facts_and_the_follow_up_completes_it(server: str, browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="zh-CN")
    try:
        page.goto(server)
        chat_box = page.get_by_test_id("stChatInputTextArea")
        expect(chat_box).to_be_visible(timeout=INDEX_BUILD_TIMEOUT_MS)

        chat_box.fill(DECISION_QUESTION)
        chat_box.press("Enter")
        first = page.locator(".st-key-answer_1")
        expect(first).to_contain_text("购买资格判断结论", timeout=ANSWER_TIMEOUT_MS)
        expect(first).to_contain_text("还需要您补充")

        chat_box.fill(FOLLOW_UP)
        chat_box.press("Enter")
        second = page.locator(".st-key-answer_3")
        expect(second).to_contain_text("可以作为政府购买服务事项购买", timeout=ANSWER_TIMEOUT_MS)

        _screenshot(page, "decision.png", max_height=6000)
    finally:
        page.close()
