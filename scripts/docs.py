#!/usr/bin/env python3
"""Render the documentation that repeats a truth written elsewhere, from that one place.

- Each role's variables, in roles/<role>/README.md, from its meta/argument_specs.yml (which also
  checks them when the role runs and is what `ansible-doc -t role` shows).
- The table of the lab's stacks, in cloudformation/README.md, from the stack catalogue
  (plugins/module_utils/lab_catalogue.py).
- The exercises of docs/exercises.md (goal, symptom, hints, folded solution) from the exercise
  role's catalogue (roles/exercise/vars/main.yml), which the exercises run from.

Each README holds the rendered copy between two marker lines naming its source; the rest of the
README is written by hand.

    scripts/docs.py           # rewrite the generated sections
    scripts/docs.py --check   # change nothing; exit 1 naming each README that is stale
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COLLECTION = "hybridlab.aws"
ROLE_SPECS = "meta/argument_specs.yml"
CATALOGUE = "plugins/module_utils/lab_catalogue.py"
EXERCISES = "roles/exercise/vars/main.yml"


def begin(source: str) -> str:
    return f"<!-- BEGIN generated from {source} by scripts/docs.py: edit that file, then run the script -->"


def end(source: str) -> str:
    return f"<!-- END generated from {source} -->"

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
    lines = [begin(ROLE_SPECS), ""]
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
    lines += [f"`ansible-doc -t role {COLLECTION}.{role}` shows them too.", "", end(ROLE_SPECS)]
    return "\n".join(lines)


def _catalogue():
    """The stack catalogue: plain Python, loaded by path (no collection loader needed)."""
    spec = importlib.util.spec_from_file_location("lab_catalogue", ROOT / CATALOGUE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_stacks() -> str:
    """The generated table of cloudformation/README.md, markers included."""
    catalogue = _catalogue()
    regions = {"home": "`aws_region`", "peer": "`tgw_peer_region`"}
    lines = [begin(CATALOGUE), "",
             "| Stack | Template | Region | Builds | Made from the outputs of | Labs |",
             "| --- | --- | --- | --- | --- | --- |"]
    for stack in catalogue.STACKS:
        name = _code(catalogue.stack_name("<lab_name>", stack.key))
        needs = ", ".join(_code(catalogue.stack_name("<lab_name>", need)) for need in stack.needs) or "-"
        labs = ", ".join(_code(lab) for lab, keys in catalogue.LABS.items() if stack.key in keys)
        lines.append(f"| {name} | `{stack.template}.yml` | {regions[stack.side]} | {_plain(stack.builds)} | {needs} "
                     f"| {labs} |")
    lines += ["", end(CATALOGUE)]
    return "\n".join(lines)


def _exercise_text(text: str) -> str:
    return " ".join(str(text).split())


def render_exercises() -> str:
    """The exercises of docs/exercises.md, markers included."""
    catalogue = yaml.safe_load((ROOT / EXERCISES).read_text())["exercise_catalogue"]
    labs = {"s2s": "the VPN lab (`site.yml`)", "tgw": "the Transit Gateway lab (`site.yml -e lab=tgw` or `tgw_full`)"}
    lines = [begin(EXERCISES), ""]
    for name, exercise in catalogue.items():
        lines += [
            f"### `{name}`: {exercise['title']}",
            "",
            f"- **Lab:** {labs[exercise['lab']]}. **Terms:** {_exercise_text(exercise['terms'])}.",
            f"- **Goal:** {_exercise_text(exercise['goal'])}",
            f"- **Symptom:** {_exercise_text(exercise['symptom'])}",
            f"- **Solved when:** the verification's ping passes"
            + (" and both tunnels are UP." if exercise["tunnels"] > 1 else "."),
            "",
            "<details><summary>Hints (what <code>-e hint=1..3</code> prints)</summary>",
            "",
            *[f"{number}. {_exercise_text(hint)}" for number, hint in enumerate(exercise["hints"], 1)],
            "",
            "</details>",
            "",
            "<details><summary>Solution</summary>",
            "",
            _exercise_text(exercise["solution"]),
            "",
            "</details>",
            "",
        ]
    lines += [end(EXERCISES)]
    return "\n".join(lines)


def update(readme: Path, section: str, source: str) -> str:
    """The README with its section generated from ``source`` replaced by ``section``."""
    text = readme.read_text()
    begin_prefix, end_prefix = f"<!-- BEGIN generated from {source}", f"<!-- END generated from {source}"
    begins = [i for i, line in enumerate(text.splitlines()) if line.startswith(begin_prefix)]
    ends = [i for i, line in enumerate(text.splitlines()) if line.startswith(end_prefix)]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(f"{readme.relative_to(ROOT)}: needs one line starting {begin_prefix!r} and, after it, "
                         f"one starting {end_prefix!r}, where the generated section goes")
    lines = text.splitlines(keepends=True)
    return "".join(lines[:begins[0]]) + section + "\n" + "".join(lines[ends[0] + 1:])


def sections():
    """Each generated section: the README, the section and its source."""
    for specs_file in sorted(ROOT.glob(f"roles/*/{ROLE_SPECS}")):
        role_dir = specs_file.parents[1]
        yield role_dir / "README.md", render(role_dir.name, yaml.safe_load(specs_file.read_text()) or {}), ROLE_SPECS
    yield ROOT / "cloudformation" / "README.md", render_stacks(), CATALOGUE
    yield ROOT / "docs" / "exercises.md", render_exercises(), EXERCISES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each stale README")
    args = parser.parse_args()
    stale, broken = [], []
    for readme, section, source in sections():
        try:
            new = update(readme, section, source) if readme.is_file() else None
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
            print(f"{readme.relative_to(ROOT)} is stale: run scripts/docs.py", file=sys.stderr)
        return 1 if stale or broken else 0
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
