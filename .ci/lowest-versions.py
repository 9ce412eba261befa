"""Print, as pip constraints, the lowest version pyproject.toml allows of each dependency.

    python .ci/lowest-versions.py test > lowest.txt    # runtime dependencies and the test extra
    pip install --constraint lowest.txt -e '.[test]'

CI installs these and runs the tests, so a lower bound in pyproject.toml is one that passes.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQUIREMENT = re.compile(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)")


def main(extras: list[str]) -> int:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))[
        "project"
    ]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match is None or match.group(1) == project["name"]:
            continue
        lowest = re.search(r">=\s*([0-9][^,;\s]*)", match.group(2))
        if lowest is None:
            print(f"no lower bound: {requirement}", file=sys.stderr)
            return 1
        pins[match.group(1).lower()] = lowest.group(1)
    for name, version in sorted(pins.items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
