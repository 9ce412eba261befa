"""perfscore serve in a real browser: the server on a free local port (uvicorn in a thread),
headless Chromium driven by Selenium through the system's chromedriver (no browser or driver
is downloaded).  An auditor's session: drop the bundled forms, a workbook with a wrong score
and a broken file; read the totals, a flag's cell and an explanation; take the CSV and the
annotated workbook home.

Without Chromium or chromedriver the tests are skipped with the reason, except under CI (``CI``
set), where that is a failure: .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES

pytest.importorskip("starlette", reason="perfscore serve needs the web extra")
pytest.importorskip("selenium", reason="the browser tests need selenium (the test extra)")

_NEEDS = "the browser tests need Chromium and its driver (apt-get install chromium chromium-driver)"


def browser_paths() -> tuple[str, str]:
    """The system's Chromium and chromedriver; a skip naming them when either is missing,
    a failure under CI."""
    browser = next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    if os.environ.get("CI"):
        pytest.fail(f"{_NEEDS}; under CI they must be there: .ci/run installs them")
    pytest.skip(f"{_NEEDS}; skipped outside CI (under CI, with CI set, it fails)")


class LocalServer:
    """perfscore serve's application on a free port of 127.0.0.1, in a thread."""

    def __init__(self, **limits: Any) -> None:
        import uvicorn

        from perfscore.web.app import create_app
        from perfscore.web.settings import Settings

        # The socket is bound here, so the port is known and nobody can take it meanwhile.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        app = create_app(Settings(port=self.port, **limits))
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.socket.close()


def chrome(downloads: Path, width: int = 1400, height: int = 1000) -> Any:
    """Headless Chromium through the system chromedriver, saving downloads to ``downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    browser, driver = browser_paths()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch anything
    options = Options()
    options.binary_location = browser
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={width},{height}",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def wrong_score_workbook(folder: Path) -> Path:
    """The social workers' form as an Excel workbook, with 解矫率 completed at 80% but
    printed at full marks: a score-mismatch on its score cell and a total-mismatch."""
    from perfscore.readers import load_forms
    from perfscore.readers.writer import write_workbook

    text = (EXAMPLES / "luohu-2024-social-workers.yaml").read_text("utf-8")
    text = text.replace('actual: "90%", weight: 5', 'actual: "80%", weight: 5')
    form = folder / "社工服务.yaml"
    form.write_text(text, "utf-8")
    book = folder / "社工服务.xlsx"
    write_workbook(load_forms(form), book)
    form.unlink()
    return book


def batch_files(folder: Path) -> list[Path]:
    """The bundled forms, the workbook with a wrong score and a broken file."""
    broken = folder / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    return [
        EXAMPLES / "luohu-2024-social-workers.yaml",
        EXAMPLES / "luohu-2024-notary-lawyers.yaml",
        wrong_score_workbook(folder),
        broken,
    ]


def upload(driver: Any, url: str, files: list[Path], timeout: float = 120) -> None:
    """Open the page, choose ``files``, start the check and wait for the report."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    driver.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    WebDriverWait(driver, 10).until(ec.element_to_be_clickable((By.ID, "go"))).click()
    WebDriverWait(driver, timeout).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#summary table.summary"))
    )


def _downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    for _ in range(int(timeout * 10)):
        found = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[Any, LocalServer, Path]]:
    browser_paths()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with LocalServer() as server:
        driver = chrome(downloads)
        try:
            yield driver, server, downloads
        finally:
            driver.quit()


def test_an_auditors_session(session: tuple[Any, LocalServer, Path], tmp_path: Path) -> None:
    """Upload four files; read the totals, a flag's cell and an explanation; download the
    CSV and the annotated workbook; the page logs no error (a script or a style refused)."""
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from perfscore.web import workbench

    driver, server, downloads = session
    upload(driver, server.url, batch_files(tmp_path))
    bar = driver.find_element(By.ID, "bar")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("4", "4")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.summary tr[data-form]")
    totals = {r.find_element(By.CSS_SELECTOR, "a").text: r.text for r in rows}
    assert "99.9" in totals["购买社工岗位服务"]
    assert "93.69" in totals["公证律师管理经费"]
    assert driver.find_element(By.ID, "count-forms").text == "3"
    assert "损坏.xlsx" in driver.find_element(By.CSS_SELECTOR, "ul.failures").text

    workbook_form = driver.find_element(
        By.XPATH, "//section[@class='form'][.//p[contains(., '社工服务.xlsx')]]"
    )
    flag = workbook_form.find_element(By.CSS_SELECTOR, "tr.flag[data-code='score-mismatch']")
    assert flag.find_element(By.CSS_SELECTOR, ".sev-error").text == "错误"
    place = flag.find_element(By.CSS_SELECTOR, "td.place").text
    assert re.fullmatch(r"\S+![A-Z]+[0-9]+\n第2项「解矫率」得分", place), place  # cell, then row
    row = workbook_form.find_element(
        By.XPATH, ".//tr[contains(@class,'indicator')][td[contains(., '解矫率')]]"
    )
    assert "has-flags" in (row.get_attribute("class") or "")

    row.find_element(By.CSS_SELECTOR, "button.explain").click()
    WebDriverWait(driver, 10).until(ec.visibility_of_element_located((By.ID, "explain")))
    explanation = driver.find_element(By.ID, "explain-text")
    assert "解矫率" in explanation.text
    assert "80%" in explanation.text

    driver.find_element(By.ID, "dl-csv").click()
    csv = _downloaded(downloads, ".csv").read_text("utf-8-sig")
    assert "解矫率" in csv
    assert "score-mismatch" in csv
    driver.find_element(By.ID, "dl-annotated").click()
    book = load_workbook(_downloaded(downloads, ".xlsx"))
    assert book.sheetnames[-1] == "perfscore"
    word = driver.find_element(By.ID, "dl-docx")
    if workbench.has_word_review():  # the Word review, where this perfscore writes it
        import docx

        word.click()
        review = docx.Document(str(_downloaded(downloads, ".docx")))
        assert any("解矫率" in p.text for p in review.paragraphs)
    else:
        assert not word.is_displayed()

    problems = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


@pytest.mark.parametrize("ci", [None, "true"])
def test_a_missing_browser_skips_with_a_reason_or_fails_under_ci(
    ci: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Chromium or driver on PATH: a skip naming both outside CI, a failure under CI."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="chromium-driver"):
        browser_paths()


def test_a_folder_is_scored_with_its_paths_shown(
    session: tuple[Any, LocalServer, Path], tmp_path: Path
) -> None:
    """A folder chosen with 选择文件夹: every form in it is scored, each named by its path
    inside the folder; a file perfscore does not read is passed over with a note."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import DATA

    driver, server, _ = session
    folder = tmp_path / "自评表"
    (folder / "2020").mkdir(parents=True)
    forms = sorted((DATA / "forms").glob("pingshan-*.yaml"))
    for form in forms:
        shutil.copy(form, folder / "2020" / form.name)
    (folder / "说明.doc").write_bytes(b"not a form")
    driver.get(server.url)
    driver.find_element(By.ID, "folder").send_keys(str(folder))
    WebDriverWait(driver, 10).until(ec.element_to_be_clickable((By.ID, "go"))).click()
    WebDriverWait(driver, 120).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#summary table.summary"))
    )
    sources = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.summary td.source")]
    assert sources == [f"自评表/2020/{form.name}" for form in forms]
    assert "自评表/说明.doc: passed over" in driver.find_element(By.CSS_SELECTOR, "ul.notes").text


def test_the_page_refuses_too_many_files_before_sending(tmp_path: Path) -> None:
    """More files than the server takes: the page says so in Chinese and English and sends
    nothing (no batch is started)."""
    from selenium.webdriver.common.by import By

    browser_paths()
    files = [
        EXAMPLES / "luohu-2024-social-workers.yaml",
        EXAMPLES / "luohu-2024-notary-lawyers.yaml",
    ]
    with LocalServer(max_files=1) as server:
        driver = chrome(tmp_path)
        try:
            driver.get(server.url)
            driver.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
            driver.find_element(By.ID, "go").click()
            message = driver.find_element(By.ID, "message").text
        finally:
            driver.quit()
    assert message == "最多 1 个文件 · at most 1 files at once"
