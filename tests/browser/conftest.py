"""Headless Chromium (Debian's chromium and chromedriver) driven by selenium.

Under CI=true a missing browser, driver or selenium fails the run; elsewhere these tests
skip with the reason. Screenshots go to test-artifacts/browser/ (gitignored).
"""
import json
import shutil
from pathlib import Path

import pytest

from ..needs import missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Set before any page script: alert/confirm/prompt only record that they were called.
NO_DIALOGS = """window.__dialogs = [];
["alert", "confirm", "prompt"].forEach(function (f) {
  window[f] = function (m) { window.__dialogs.push(f + ":" + m); }; });"""


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("browser", "selenium (pip install -e '.[test]')")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            missing("browser", f"{path} (apt-get install chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-default-apps", "--disable-sync",
                "--window-size=1400,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_DIALOGS})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


class Visit:
    """What a page did while it loaded: console errors, requested URLs, dialogs."""

    def __init__(self, driver, path: Path, settle: float = 90.0):
        driver.get_log("browser"), driver.get_log("performance")  # drop earlier entries
        driver.get(path.resolve().as_uri())
        self.stable = _wait(driver, "return document.body.getAttribute('data-stable')", settle)
        self.driver = driver
        self.errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        self.urls = []
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"].startswith("Network.") and "request" in msg.get("params", {}):
                self.urls.append(msg["params"]["request"]["url"])
        self.dialogs = driver.execute_script("return window.__dialogs")

    def js(self, script: str):
        return self.driver.execute_script(script)

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


def _wait(driver, script: str, seconds: float):
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if value := driver.execute_script(script):
            return value
        time.sleep(0.2)
    return None


@pytest.fixture
def visit(browser):
    return lambda path, **kw: Visit(browser, path, **kw)
