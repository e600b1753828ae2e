"""The build takes its mirror from apt's configuration, for the recipe's suite only."""

from __future__ import annotations

from pathlib import Path

import pytest

from labbox.appliance import sources

DEB822 = """Types: deb
# a comment
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main contrib

Types: deb-src
URIs: http://mirror.invalid/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.invalid/off
Suites: bookworm
Components: main
Enabled: no
"""


def _apt(tmp_path: Path, files: dict[str, str]) -> Path:
    apt = tmp_path / "apt"
    (apt / "sources.list.d").mkdir(parents=True)
    for name, text in files.items():
        (apt / name).write_text(text)
    return apt


def test_deb822_sources_become_mirror_lines(tmp_path: Path) -> None:
    apt = _apt(tmp_path, {"sources.list.d/debian.sources": DEB822})
    assert sources.mirror_lines("bookworm", apt) == [
        "deb http://mirror.invalid/debian bookworm main",
        "deb http://mirror.invalid/debian bookworm-updates main",
        "deb http://mirror.invalid/debian-security bookworm-security main contrib",
    ]


def test_one_line_sources_with_options_are_read(tmp_path: Path) -> None:
    apt = _apt(
        tmp_path,
        {"sources.list": "# comment\ndeb [signed-by=/k.gpg arch=amd64] http://mirror.invalid/debian bookworm main\n"
                         "deb-src http://mirror.invalid/debian bookworm main\n"},
    )
    assert sources.mirror_lines("bookworm", apt) == ["deb http://mirror.invalid/debian bookworm main"]


def test_other_suites_and_files_apt_ignores_are_left_out(tmp_path: Path) -> None:
    apt = _apt(
        tmp_path,
        {
            "sources.list.d/debian.sources": DEB822,
            "sources.list.d/vendor.list": "deb http://vendor.invalid/apt vendor-bookworm main\n",
            "sources.list.d/old.list.disabled": "deb http://mirror.invalid/other bookworm main\n",
        },
    )
    lines = sources.mirror_lines("bookworm", apt)
    assert all("vendor.invalid" not in line and "/other" not in line and "/off" not in line for line in lines)
    assert len(lines) == 3


def test_no_source_for_the_suite_is_an_error(tmp_path: Path) -> None:
    apt = _apt(tmp_path, {"sources.list.d/debian.sources": DEB822})
    with pytest.raises(RuntimeError, match="trixie"):
        sources.mirror_lines("trixie", apt)
