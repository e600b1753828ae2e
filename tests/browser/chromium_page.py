"""Open a local page in the system's headless Chromium, for tests that look at what a browser shows.

    from chromium_page import open_page

    with open_page(tmp_path / "topology.html") as (driver, console):
        tunnel = driver.find_element(By.CSS_SELECTOR, "#tunnel-1 path")
        assert computed_style(driver, tunnel, "stroke") == "rgb(26, 127, 55)"
        assert console() == []

``open_page(path)`` yields the Selenium WebDriver (find elements, run scripts) and ``console()``, the
browser console's SEVERE and WARNING messages so far (each a dict with ``level``, ``message``,
``source``, ``timestamp``, as Chrome logs them). ``computed_style`` reads what CSS made of an element.

The browser and its driver are Debian's (packages chromium and chromium-driver, installed by
scripts/test-packages.sh): with both paths given Selenium never runs Selenium Manager, which would
download a browser or a driver. Each page gets a profile of its own in a temporary directory, and the
browser is told not to reach out for updates, sync or anything else in the background.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The console levels a test fails on; INFO and below are the page's own business.
REPORTED_LEVELS = ("SEVERE", "WARNING")
_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _options(profile: str, width: int, height: int) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in _ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def _console_reader(driver: webdriver.Chrome) -> Callable[[], list[dict[str, Any]]]:
    """A callable returning the SEVERE and WARNING console messages logged so far (Chrome hands each out once)."""
    seen: list[dict[str, Any]] = []

    def console() -> list[dict[str, Any]]:
        seen.extend(entry for entry in driver.get_log("browser") if entry.get("level") in REPORTED_LEVELS)
        return list(seen)

    return console


@contextlib.contextmanager
def open_page(path: str | Path, width: int = 1600, height: int = 1200) -> Iterator[tuple[webdriver.Chrome, Callable]]:
    """``path`` (a local file) opened in headless Chromium: yields (driver, console), then quits the browser."""
    missing = [str(binary) for binary in (CHROMIUM, CHROMEDRIVER) if not binary.is_file()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing: scripts/test-packages.sh installs them")
    with tempfile.TemporaryDirectory(prefix="chromium-page-") as profile:
        driver = webdriver.Chrome(options=_options(profile, width, height), service=Service(str(CHROMEDRIVER)))
        try:
            driver.set_page_load_timeout(60)
            driver.get(Path(path).resolve().as_uri())
            yield driver, _console_reader(driver)
        finally:
            driver.quit()


def computed_style(driver: webdriver.Chrome, element: WebElement, name: str) -> str:
    """The computed value of the CSS property ``name`` of ``element`` (colours as rgb(r, g, b))."""
    return driver.execute_script("return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);", element, name)
