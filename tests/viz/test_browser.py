"""The viewer in a real headless Chromium: it loads cleanly, draws, plays,
switches sequences, compares, and its exported page works from a file."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from interx.data.atomic import atomic_write_text
from interx.viz.server import ViewerData, export_page, make_server
from interx.viz.sources import open_source

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
pytestmark = pytest.mark.slow  # one Chromium for the module, about a minute in all

INSTALL = "install Debian packages chromium chromium-driver (apt-get install -y chromium chromium-driver)"


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install '.[test]')")
    if missing:
        message = f"browser tests need {', '.join(missing)}: {INSTALL}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="interx-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--window-size=900,600",
                 "--force-device-scale-factor=1",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def viewer(example_root, processed_root):
    data = ViewerData([open_source(example_root), open_source(processed_root / "motions" / "test.h5")])
    server = make_server(data, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/", data
    server.shutdown()
    server.server_close()


def _wait(condition, timeout: float = 30.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _canvas(driver) -> np.ndarray:
    png = driver.find_element("id", "canvas").screenshot_as_png
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _open(driver, url: str) -> None:
    driver.get(url)
    _wait(lambda: driver.find_element("id", "title").text not in ("", "loading..."), what="the first sequence")
    _wait(lambda: driver.find_element("id", "texts").text, what="the texts")
    time.sleep(0.5)  # a few animation frames


def _figure_pixels(image: np.ndarray) -> int:
    """Pixels in the persons' colours (orange: red well above blue; blue: blue well above red)."""
    r, b = image[..., 0], image[..., 2]
    return int(((r > b + 90) | (b > r + 90)).sum())


def test_page_loads_without_errors_and_draws_both_persons(browser, viewer):
    url, _ = viewer
    _open(browser, url)
    image = _canvas(browser)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "viewer.png"
    browser.save_screenshot(str(shot))
    print(f"viewer screenshot: {shot}")
    assert _errors(browser) == []
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 20, "the canvas is blank"
    assert _figure_pixels(image) > 200, "no person drawn"
    assert "sequences" in browser.find_element("id", "count").text


def test_play_changes_the_drawn_frame(browser, viewer):
    url, _ = viewer
    _open(browser, url)
    before, label = _canvas(browser), browser.find_element("id", "frame").text
    browser.find_element("id", "play").click()
    deadline = time.monotonic() + 15  # a loaded machine draws its first frames late
    while browser.find_element("id", "frame").text == label and time.monotonic() < deadline:
        time.sleep(0.25)
    time.sleep(0.5)
    browser.find_element("id", "play").click()  # pause, so the picture holds still
    after = _canvas(browser)
    assert browser.find_element("id", "frame").text != label
    assert np.abs(after - before).sum(axis=2).astype(bool).sum() > 50, "the picture did not change"
    assert _errors(browser) == []


def test_selecting_another_sequence_changes_the_text_panel(browser, viewer):
    url, _ = viewer
    _open(browser, url)
    texts = browser.find_element("id", "texts").text
    items = browser.find_elements("css selector", "#list li")
    items[5].click()
    _wait(lambda: browser.find_element("id", "texts").text != texts, what="new texts")
    assert items[5].get_attribute("data-id") in browser.find_element("id", "title").text
    assert "selected" in items[5].get_attribute("class")


def test_search_filters_by_words_of_the_texts(browser, viewer):
    url, data = viewer
    _open(browser, url)
    first = data.catalogue()["items"][3]
    word = first["action"].split()[0].lower()
    browser.find_element("id", "search").send_keys(word)
    shown = [li.get_attribute("data-id") for li in browser.find_elements("css selector", "#list li")]
    expected = [item["id"] for item in data.catalogue()["items"]
                if word in " ".join([item["id"], item["action"], *item["texts"]]).lower()]
    assert shown == expected and first["id"] in shown and len(shown) < len(data.catalogue()["items"])


def test_compare_mode_draws_two_panels(browser, viewer):
    url, data = viewer
    _open(browser, url)
    browser.find_element("id", "compare").click()
    names = _wait(lambda: browser.find_elements("css selector", "#panel-names span"), what="panel names")
    assert len(names) == 2 and data.sources[1].name in names[1].text
    image = _canvas(browser)
    half = image.shape[1] // 2
    assert _figure_pixels(image[:, :half]) > 100  # the first source on the left
    assert _errors(browser) == []


def test_exported_page_opens_offline_from_a_file(browser, viewer, tmp_path):
    _, data = viewer
    page = tmp_path / "page.html"
    ids = [item["id"] for item in data.catalogue()["items"][:2]]
    atomic_write_text(page, export_page(data, ids))
    _open(browser, page.as_uri())
    assert _errors(browser) == []
    assert len(browser.find_elements("css selector", "#list li")) == 2
    assert _figure_pixels(_canvas(browser)) > 200
