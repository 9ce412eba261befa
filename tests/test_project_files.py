"""The files around the code keep their promises: the command examples in README.md and docs/
print what they show, the committed JSON Schemas are what ``perfscore schema`` prints and the
shipped rule files validate against them, and the packaging metadata agrees with itself."""

from __future__ import annotations

import io
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

import perfscore
from perfscore.cli import run
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```$", re.M | re.S)


def _examples() -> list[tuple[str, str, str]]:
    """(file, command, shown output) for every ``$ perfscore …`` line in a fenced block: the
    lines after it, up to the next ``$`` line or the end of the block, are its output."""
    found = []
    for doc in DOCS:
        for match in _FENCE.finditer(doc.read_text("utf-8")):
            command: str | None = None
            shown: list[str] = []
            for line in [*match.group(2).split("\n"), "$"]:
                if line.startswith("$"):
                    if command is not None:
                        found.append((doc.name, command, "\n".join(shown).rstrip("\n")))
                    command = line[1:].strip() if line.startswith("$ perfscore ") else None
                    shown = []
                elif command is not None:
                    shown.append(line)
    return found


EXAMPLES = _examples()


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def test_the_readme_shows_examples() -> None:
    """The collection below is not empty by accident: the README's examples are found."""
    assert {(doc, cmd.split()[1]) for doc, cmd, _ in EXAMPLES} >= {
        ("README.md", "score"),
        ("README.md", "explain"),
    }


@pytest.mark.parametrize(
    ("doc", "command", "shown"), EXAMPLES, ids=[f"{d}: {c}" for d, c, _ in EXAMPLES]
)
def test_command_examples_print_what_the_docs_show(
    doc: str, command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each documented command, run from the repository's root, prints exactly what is shown
    (trailing spaces aside)."""
    monkeypatch.chdir(ROOT)
    code, out, err = _run(shlex.split(command)[1:])
    assert code in (0, 1), err
    assert _tidy(out) == _tidy(shown), f"{doc}: {command}"


# --- JSON Schemas -----------------------------------------------------------------------------


def _spelling(schema: Any) -> Any:
    """A schema with the spellings that differ between pydantic releases made one: a lone
    ``allOf: [{$ref}]`` as the ``$ref`` itself, ``additionalProperties: true`` (the default)
    and ``propertyNames`` (newer releases add it for literal keys) left out."""
    if isinstance(schema, list):
        return [_spelling(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: _spelling(value)
        for key, value in schema.items()
        if key != "propertyNames" and not (key == "additionalProperties" and value is True)
    }
    wrapped = out.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and set(wrapped[0]) == {"$ref"}:
        out["$ref"] = out.pop("allOf")[0]["$ref"]
    return out


@pytest.mark.parametrize("which", ["rules", "form"])
def test_committed_schemas_are_current(which: str) -> None:
    """schemas/*.schema.json are what ``perfscore schema`` prints (regenerate with
    ``perfscore schema rules > schemas/rules.schema.json``); with the oldest pydantic allowed,
    the same schema spelt as that release spells it."""
    code, out, err = _run(["schema", which])
    assert code == 0, err
    committed = json.loads((ROOT / "schemas" / f"{which}.schema.json").read_text("utf-8"))
    printed = json.loads(out)
    assert printed == committed or _spelling(printed) == _spelling(committed)


def _rule_files() -> list[Path]:
    return sorted((ROOT / "rules").glob("*.yaml"))


@pytest.mark.parametrize("path", _rule_files(), ids=lambda p: p.name)
def test_shipped_rule_files_validate_against_the_schema(path: Path) -> None:
    """Every shipped rule file, `null` removals included, is valid under the committed schema:
    an editor using it does not mark correct files as wrong."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text("utf-8"))
    data = yaml.safe_load(path.read_text("utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]
    assert errors == []


def test_schema_refuses_what_loading_refuses() -> None:
    """The schema is not vacuous: a misspelt key and a weight given as text are errors."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"name": "x", "weigths": {}}))
    assert list(validator.iter_errors({"name": "x", "weights": {"execution": "ten"}}))


def test_shipped_rule_files_use_null_removals() -> None:
    """The case the schema must allow is really exercised by a shipped file."""
    texts = [p.read_text("utf-8") for p in _rule_files()]
    assert any(re.search(r":\s*null\s*(#.*)?$", t, re.M) for t in texts)


# --- packaging and habits ---------------------------------------------------------------------


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_version_is_one_number() -> None:
    """``perfscore --version`` prints the package's version, which the metadata takes from
    the same place."""
    code, out, _ = _run(["--version"])
    assert code == 0
    assert out == f"perfscore {perfscore.__version__}\n"
    project = _pyproject()
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/perfscore/__init__.py"
    from importlib.metadata import version

    assert version("perfscore") == perfscore.__version__


def test_license_matches_the_metadata() -> None:
    assert _pyproject()["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")


def test_workbook_xml_is_parsed_defensively() -> None:
    """openpyxl uses defusedxml (no entity expansion, no external entities) when it is
    installed; it is a dependency, so it always is."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    assert any(d.startswith("defusedxml") for d in _pyproject()["project"]["dependencies"])


def test_pre_commit_ruff_is_the_linted_ruff() -> None:
    """The pre-commit ruff is the lint extra's lower bound, a release that parses the ruff
    configuration (0.6.9 did not: it stopped at an unknown rule)."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    (ruff,) = [r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    lint = _pyproject()["project"]["optional-dependencies"]["lint"]
    assert f"ruff>={ruff['rev'].removeprefix('v')}" in lint


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("rules/hubei.yaml", True),
        ("config/rules/province.yml", True),
        (".github/workflows/ci.yaml", False),
        ("docker-compose.yaml", False),
        ("rules/notes/readme.yaml", False),
        ("src/rules.py", False),
    ],
)
def test_exported_hook_matches_rule_files_only(path: str, matched: bool) -> None:
    """The hook other repositories use runs on rule files, not on every YAML file they have."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert bool(re.search(hook["files"], path)) is matched
