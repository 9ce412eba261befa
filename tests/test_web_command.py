"""``perfscore serve`` on the command line: the extra it needs, where it listens and what it
says about it, its limits; and the core never loading the web stack."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from typing import Any

import pytest

from perfscore.cli import run


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Starlette installed: exit 2 and the pip command, not a traceback."""
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "starlette" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code, out, err = _run(["serve"])
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "perfscore serve: needs the web extra (starlette not installed); "
        "install it with: pip install 'perfscore[web]'"
    )


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """uvicorn's server replaced by one that records its config and returns at once."""
    uvicorn = pytest.importorskip("uvicorn")
    started: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, *a, **k: started.append(self.config))
    return started


def test_serve_listens_on_this_machine_only_by_default(no_server: list[Any]) -> None:
    """The default address is 127.0.0.1:8000, said once on stdout, with no warning."""
    code, out, err = _run(["serve"])
    assert code == 0
    assert out == "perfscore: open http://127.0.0.1:8000  (Ctrl-C stops)\n"
    assert err == ""
    assert (no_server[0].host, no_server[0].port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_elsewhere_says_so(no_server: list[Any], host: str) -> None:
    """Listening on another address is allowed, and said on stderr with what it means."""
    code, _, err = _run(["serve", "--host", host, "--port", "8123"])
    assert code == 0
    assert "reachable from other machines" in err
    assert "8123" in err
    assert no_server[0].host == host


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-files", "0"), ("--max-upload-mb", "-1"), ("--port", "70000"), ("--max-jobs", "0")],
)
def test_serve_refuses_limits_that_mean_nothing(
    no_server: list[Any], option: str, value: str
) -> None:
    """A limit below 1 or a port out of range: exit 2 with the option named; nothing starts."""
    code, _, err = _run(["serve", option, value])
    assert code == 2
    assert option in err
    assert no_server == []


def test_serve_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """``perfscore --help`` names the command (argparse prints help on sys.stdout)."""
    assert _run(["--help"])[0] == 0
    assert "serve               a local web page" in capsys.readouterr().out


def test_the_core_never_loads_the_web_stack() -> None:
    """Scoring from the command line, and registering ``serve``, import no web library."""
    code = (
        "import sys, io\n"
        "from perfscore.cli import run\n"
        "run(['score', 'examples/luohu-2024-social-workers.yaml'], io.StringIO(), io.StringIO())\n"
        "run(['serve', '--help'], io.StringIO(), io.StringIO())\n"
        "web = ('starlette', 'uvicorn', 'jinja2', 'multipart')\n"
        "loaded = [m for m in web if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
