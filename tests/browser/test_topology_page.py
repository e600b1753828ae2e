"""The status run's topology page as a browser shows it: the fixture lab (Tunnel1 UP, Tunnel2 DOWN,
IDC-EC2's verification failed on AWS-EC2's security group) drawn by the filters and Graphviz's dot,
opened in headless Chromium: no console message, every host and network there, the tunnels' lines
green and red, the ping path blue, the element the failure names marked and its cause listed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from ansible_collections.hybridlab.aws.tests.unit.plugins import topology_lab as lab
from chromium_page import computed_style, open_page

GREEN, RED, BLUE = "rgb(26, 127, 55)", "rgb(207, 34, 46)", "rgb(9, 105, 218)"
XLINK = "http://www.w3.org/1999/xlink"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    _dot, _svg, html = lab.render(lab.failed_lab())
    path: Path = tmp_path_factory.mktemp("topology") / "topology.html"
    path.write_text(html, encoding="utf-8")
    with open_page(path) as opened:
        yield opened


def text_of(driver, element_id: str) -> str:
    """The words an SVG element shows: its <text> elements' (its <title> names it for Graphviz only)."""
    return driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('text'), text => text.textContent).join(' ');",
        driver.find_element(By.ID, element_id),
    )


def stroke(driver, element_id: str, what: str = "stroke") -> str:
    return computed_style(driver, driver.find_element(By.CSS_SELECTOR, f'[id="{element_id}"] path'), what)


def test_the_page_opens_without_a_console_error_or_warning(page) -> None:
    driver, console = page

    assert driver.title.startswith("lab hybridlab (s2s): healthy, 1/2 tunnels UP")
    assert console() == []


def test_both_tunnels_the_hosts_and_both_networks_are_on_the_page(page) -> None:
    driver, _console = page

    assert text_of(driver, "tunnel-1") == f"Tunnel1 {lab.TUNNEL_IPS[0]} UP"
    assert text_of(driver, "tunnel-2") == f"Tunnel2 {lab.TUNNEL_IPS[1]} DOWN"
    for host in ("IDC-CGW", "IDC-EC2", "AWS-EC2"):
        assert host in text_of(driver, f"instance-{host}")
    assert "IDC-VPC 10.60.0.0/16" in text_of(driver, "vpc-10.60.0.0-16")
    assert "AWS-VPC 10.50.0.0/16" in text_of(driver, "vpc-10.50.0.0-16")


def test_the_tunnels_are_drawn_green_when_up_and_red_when_down(page) -> None:
    driver, _console = page

    assert stroke(driver, "tunnel-1") == GREEN
    assert stroke(driver, "tunnel-2") == RED


def test_the_ping_path_is_drawn_blue(page) -> None:
    driver, _console = page

    assert [stroke(driver, f"path-{number}") for number in range(1, 5)] == [BLUE] * 4
    assert "Ping path: IDC-EC2 → IDC-PrivateRT → IDC-CGW" in driver.find_element(By.CLASS_NAME, "path-words").text


def test_what_the_failed_verification_names_is_marked_and_its_cause_listed_under_the_picture(page) -> None:
    driver, console = page
    cause = lab.security_group_cause()

    marked = driver.find_element(By.ID, "instance-AWS-EC2")
    assert "broken" in marked.get_attribute("class").split()
    assert text_of(driver, "instance-AWS-EC2").startswith("✗ AWS-EC2")
    assert stroke(driver, "instance-AWS-EC2") == RED
    assert stroke(driver, "instance-AWS-EC2", "stroke-dasharray") not in ("", "none")
    anchor = marked.find_element(By.TAG_NAME, "a")
    assert driver.execute_script("return arguments[0].getAttributeNS(arguments[1], 'title');", anchor, XLINK) == cause
    listed = driver.find_element(By.CSS_SELECTOR, "ul.causes li")
    picture = driver.find_element(By.CSS_SELECTOR, ".picture svg")
    assert listed.text == cause and listed.location["y"] > picture.location["y"] + picture.size["height"] - 1
    assert console() == []
