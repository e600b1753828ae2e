#!/usr/bin/env python3
"""Render each role's variables in its README.md from its meta/argument_specs.yml.

A role's variables are documented once, in meta/argument_specs.yml, which also checks them when
the role runs and is what `ansible-doc -t role` shows. Each roles/<role>/README.md holds the
rendered copy between the two marker lines below; the rest of the README is written by hand.

    scripts/role-docs.py           # rewrite the generated sections
    scripts/role-docs.py --check   # change nothing; exit 1 naming each README that is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COLLECTION = "hybridlab.aws"
BEGIN = ("<!-- BEGIN generated from meta/argument_specs.yml by scripts/role-docs.py:"
         " edit that file, then run the script -->")
END = "<!-- END generated from meta/argument_specs.yml -->"
BEGIN_PREFIX = "<!-- BEGIN generated from meta/argument_specs.yml"
END_PREFIX = "<!-- END generated from meta/argument_specs.yml"

# Ansible's documentation markup, as ansible-doc reads it in argument_specs.
MARKUP = re.compile(r"\b(C|V|O|RV|E|M|P|I|B|U|L|R)\(([^)]*)\)|HORIZONTALLINE")


def _code(text: str) -> str:
    # A pipe ends a table cell even inside a code span, unless escaped.
    return "`" + text.replace("|", "\\|") + "`"


def _plain(text: str) -> str:
    # A bare < would open an HTML tag in Markdown; a pipe would end the table cell.
    return text.replace("|", "\\|").replace("<", "&lt;")


def markdown(text: str) -> str:
    """Ansible markup (C(), O(), M(), P(), ...) as Markdown, for one table cell."""
    out, last = [], 0
    for match in MARKUP.finditer(text):
        out.append(_plain(text[last:match.start()]))
        last = match.end()
        kind, arg = match.group(1), match.group(2)
        if kind is None:
            out.append("<br>")
        elif kind in ("C", "V", "O", "RV", "E", "M"):
            out.append(_code(arg))
        elif kind == "P":
            out.append(_code(arg.split("#", 1)[0]))
        elif kind == "I":
            out.append(f"*{_plain(arg)}*")
        elif kind == "B":
            out.append(f"**{_plain(arg)}**")
        elif kind == "U":
            out.append(f"<{arg}>")
        elif kind == "L":
            label, _, url = arg.partition(",")
            out.append(f"[{_plain(label.strip())}]({url.strip()})")
        else:  # R(text, anchor): an anchor of Ansible's own docs; the text alone reads as well.
            out.append(_plain(arg.partition(",")[0].strip()))
    out.append(_plain(text[last:]))
    return "".join(out)


def _value(value) -> str:
    if isinstance(value, str):
        return _code(value) if value else '`""`'
    return _code(json.dumps(value))


def _type(spec: dict) -> str:
    kind = spec.get("type", "str")
    if spec.get("elements"):
        kind = f"{kind} of {spec['elements']}"
    if spec.get("required"):
        kind += ", required"
    return kind


def _description(spec: dict) -> str:
    paragraphs = spec.get("description") or []
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    text = "<br>".join(markdown(" ".join(str(p).split())) for p in paragraphs)
    if spec.get("choices"):
        text += ("<br>" if text else "") + "Choices: " + ", ".join(_value(c) for c in spec["choices"]) + "."
    if spec.get("aliases"):
        text += ("<br>" if text else "") + "Aliases: " + ", ".join(_code(a) for a in spec["aliases"]) + "."
    return text


def _rows(options: dict, prefix: str = "") -> list[str]:
    rows = []
    for name, spec in options.items():
        spec = spec or {}
        default = _value(spec["default"]) if "default" in spec else ""
        rows.append(f"| {_code(prefix + name)} | {_type(spec)} | {default} | {_description(spec)} |")
        if spec.get("options"):
            nested = f"{prefix}{name}[]." if spec.get("type") == "list" else f"{prefix}{name}."
            rows += _rows(spec["options"], nested)
    return rows


def _table(options: dict) -> list[str]:
    if not options:
        return ["None."]
    return ["| Variable | Type | Default | Description |", "| --- | --- | --- | --- |"] + _rows(options)


def render(role: str, specs: dict) -> str:
    """The generated section of one role's README, markers included."""
    entry_points = dict(specs.get("argument_specs") or {})
    if "main" in entry_points:
        entry_points = {"main": entry_points.pop("main"), **entry_points}
    lines = [BEGIN, ""]
    alone = list(entry_points) == ["main"]
    for entry, spec in entry_points.items():
        spec = spec or {}
        options = spec.get("options") or {}
        if not alone:
            how = "" if entry == "main" else f" (`tasks_from: {entry}`)"
            lines += [f"### Entry point `{entry}`{how}", ""]
            if spec.get("short_description"):
                lines += [markdown(spec["short_description"]).rstrip("."), ""]
        main_options = (entry_points.get("main") or {}).get("options")
        if entry != "main" and main_options and options == main_options:
            lines += ["The same variables as `main`.", ""]
        else:
            lines += _table(options) + [""]
    lines += [f"`ansible-doc -t role {COLLECTION}.{role}` shows them too.", "", END]
    return "\n".join(lines)


def update(readme: Path, section: str) -> str:
    """The README with its generated section replaced by ``section``."""
    text = readme.read_text()
    begins = [i for i, line in enumerate(text.splitlines()) if line.startswith(BEGIN_PREFIX)]
    ends = [i for i, line in enumerate(text.splitlines()) if line.startswith(END_PREFIX)]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(f"{readme.relative_to(ROOT)}: needs one line starting {BEGIN_PREFIX!r} and, after it, "
                         f"one starting {END_PREFIX!r}, where the variables go")
    lines = text.splitlines(keepends=True)
    return "".join(lines[:begins[0]]) + section + "\n" + "".join(lines[ends[0] + 1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each stale README")
    args = parser.parse_args()
    stale, broken = [], []
    for specs_file in sorted(ROOT.glob("roles/*/meta/argument_specs.yml")):
        role_dir = specs_file.parents[1]
        readme = role_dir / "README.md"
        section = render(role_dir.name, yaml.safe_load(specs_file.read_text()) or {})
        try:
            new = update(readme, section) if readme.is_file() else None
        except ValueError as error:
            broken.append(str(error))
            continue
        if new is None:
            broken.append(f"{readme.relative_to(ROOT)}: missing")
        elif new != readme.read_text():
            stale.append(readme)
            if not args.check:
                readme.write_text(new)
                print(f"wrote {readme.relative_to(ROOT)}")
    for message in broken:
        print(message, file=sys.stderr)
    if args.check:
        for readme in stale:
            print(f"{readme.relative_to(ROOT)} is stale: run scripts/role-docs.py", file=sys.stderr)
        return 1 if stale or broken else 0
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
