"""A real browser on the evidence page and the board: headless Chromium through Selenium.

It fails when a page needs something the browser refuses (a console error, such as a
blocked stylesheet or script). Without Chromium the test is skipped with the reason; in CI
(`CI` set, as .ci/run installs chromium and chromium-driver) a missing browser fails.
Set NHACVIEC_SCREENSHOTS=folder to keep the screenshots.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from notifications.web.signin import login_link
from tests.web.conftest import LINK, Engine, running_engine, text_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 7, 1, 8, 30, tzinfo=TZ)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    reason = "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(reason + ": CI must run the browser test")
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


def _driver() -> webdriver.Chrome:
    browser, driver = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def _shows(browser: webdriver.Chrome, text: str) -> None:
    """Wait for the page a click navigates to (a click returns before the new page loads)."""
    WebDriverWait(browser, 20).until(lambda d: text in d.page_source)


def _no_console_errors(browser: webdriver.Chrome) -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def _whole_page(browser: webdriver.Chrome, width: int) -> None:
    """Make the window as tall as the page, so the screenshot shows all of it."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(int(height) + 140, 6000))


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NHACVIEC_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def evidence_page(browser: webdriver.Chrome, link: str, shots: Path, tmp_path: Path) -> None:
    browser.set_window_size(412, 1400)  # a phone's width
    browser.get(link)
    _no_console_errors(browser)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 412, "the evidence page fits a phone without scrolling sideways"
    _whole_page(browser, 412)
    browser.save_screenshot(str(shots / "evidence-page.png"))
    scan = tmp_path / "bao-cao.pdf"
    scan.write_bytes(PDF)
    browser.find_element(By.NAME, "evidence").send_keys("Báo cáo số 45/BC-UBND ngày 28/06/2024")
    browser.find_element(By.NAME, "file").send_keys(str(scan))
    browser.find_element(By.XPATH, "//button[normalize-space()='Xác nhận hoàn thành']").click()
    _shows(browser, "Đã ghi nhận minh chứng")
    assert browser.find_elements(By.XPATH, "//button[contains(., 'Hoàn tác')]")
    _no_console_errors(browser)
    _whole_page(browser, 412)
    browser.save_screenshot(str(shots / "evidence-confirmed.png"))


def board(browser: webdriver.Chrome, origin: str, login_path: str, shots: Path) -> None:
    browser.set_window_size(1280, 1600)
    browser.get(origin + login_path)
    browser.find_element(By.XPATH, "//button[normalize-space()='Đăng nhập']").click()
    _shows(browser, "Tình hình thực hiện kế hoạch")
    _no_console_errors(browser)
    Select(browser.find_element(By.NAME, "ky")).select_by_value("2024-q2")
    browser.find_element(By.XPATH, "//button[normalize-space()='Lọc']").click()
    _shows(browser, 'value="2024-q2" selected')
    assert "bao-cao.pdf" in browser.page_source, "the evidence register lists the file"
    browser.save_screenshot(str(shots / "board.png"))
    Select(browser.find_element(By.NAME, "don-vi")).select_by_value("ktht")
    browser.find_element(By.XPATH, "//button[normalize-space()='Lọc']").click()
    _shows(browser, 'value="ktht" selected')
    assert "Phòng Tài chính - Kế hoạch</strong>" not in browser.page_source
    _no_console_errors(browser)


async def scenario(tmp_path: Path) -> None:
    browser = _driver()
    try:
        async with running_engine(tmp_path, START) as engine:
            await engine.process.cycle()
            link = _first_link(engine)
            shots = _shots(tmp_path)
            await asyncio.to_thread(evidence_page, browser, link, shots, tmp_path)
            path = urlparse(login_link(engine.web, "tran-van-qmr")).path
            await asyncio.to_thread(board, browser, engine.server.origin, path, shots)
    finally:
        browser.quit()


def _first_link(engine: Engine) -> str:
    for message in engine.emails():
        found: list[str] = LINK.findall(text_of(message))  # the pattern has no groups
        if found and "ktht@" in str(message["To"]):
            return found[0]
    raise AssertionError("no reminder with a link to the Phòng KT-HT")


def test_it_works_in_a_real_browser(tmp_path: Path) -> None:
    _binaries()
    asyncio.run(scenario(tmp_path))
