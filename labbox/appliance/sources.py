"""The Debian mirror to build from: whatever this machine's apt is configured with.

The repository never names a mirror. At build time the host's apt sources
(``/etc/apt/sources.list`` and ``/etc/apt/sources.list.d/*.list|*.sources``, one-line and
deb822 formats) are read, and the ``deb`` entries whose suites belong to the recipe's suite
(``bookworm``, ``bookworm-updates``, ``bookworm-security``) become mmdebstrap's mirror lines.
Third-party repositories configured on the host are left out because their suites differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

APT_DIR = Path("/etc/apt")


@dataclass(frozen=True)
class Source:
    """One apt source: a URI, a suite and its components."""

    uri: str
    suite: str
    components: tuple[str, ...]

    def line(self) -> str:
        """The one-line sources.list form mmdebstrap takes as a mirror argument."""
        return " ".join(["deb", self.uri, self.suite, *self.components])


def _one_line(text: str) -> list[Source]:
    sources: list[Source] = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):  # options such as [signed-by=...]
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2:
            sources.append(Source(words[0], words[1], tuple(words[2:])))
    return sources


def _deb822(text: str) -> list[Source]:
    sources: list[Source] = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        for raw in stanza.splitlines():
            if raw.startswith("#") or not raw.strip():
                continue
            if raw[0] in " \t" and current:
                fields[current] += " " + raw.strip()
                continue
            name, _, value = raw.partition(":")
            current = name.strip().lower()
            fields[current] = value.strip()
        if "deb" not in fields.get("types", "").split():
            continue
        if fields.get("enabled", "yes").lower() == "no":
            continue
        components = tuple(fields.get("components", "").split())
        for uri in fields.get("uris", "").split():
            for suite in fields.get("suites", "").split():
                sources.append(Source(uri, suite, components))
    return sources


def read(apt_dir: Path = APT_DIR) -> list[Source]:
    """Every ``deb`` source apt on this machine would use, in apt's file order."""
    files: list[Path] = []
    main = apt_dir / "sources.list"
    if main.is_file():
        files.append(main)
    parts = apt_dir / "sources.list.d"
    if parts.is_dir():
        # apt reads only these two suffixes; anything else (e.g. a disabled file) is ignored.
        files += sorted(p for p in parts.iterdir() if p.suffix in {".list", ".sources"} and p.is_file())
    found: list[Source] = []
    for path in files:
        text = path.read_text(errors="replace")
        found += _deb822(text) if path.suffix == ".sources" else _one_line(text)
    return found


def for_suite(suite: str, sources: Iterable[Source]) -> list[str]:
    """mmdebstrap mirror lines for ``suite`` and its -updates/-security companions."""
    lines: list[str] = []
    for source in sources:
        if source.suite == suite or source.suite.startswith(f"{suite}-"):
            line = source.line()
            if line not in lines:
                lines.append(line)
    return lines


def mirror_lines(suite: str, apt_dir: Path = APT_DIR) -> list[str]:
    """The mirror lines to build ``suite`` from; an error when apt has none for it."""
    lines = for_suite(suite, read(apt_dir))
    if not lines:
        raise RuntimeError(
            f"no Debian source for {suite!r} in {apt_dir}/sources.list or {apt_dir}/sources.list.d/: "
            "configure apt with a mirror of that suite"
        )
    return lines
