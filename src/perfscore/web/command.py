"""``perfscore serve``: the command's options and what it does, kept out of :mod:`perfscore.cli`.

Importing this module loads no web library: the command checks that the ``web`` extra is
installed when it runs, and says how to install it when it is not.
"""

from __future__ import annotations

import argparse
import importlib.util
from typing import Any, TextIO

from perfscore.web.settings import Settings, is_loopback

__all__ = ["add_parser", "run"]

_NEEDED = ("starlette", "uvicorn", "multipart", "jinja2")
_INSTALL = "pip install 'perfscore[web]'"


def add_parser(sub: Any) -> list[argparse.ArgumentParser]:
    """Register ``serve`` on the command line's subparsers."""
    serve: argparse.ArgumentParser = sub.add_parser(
        "serve", help="a local web page: drop forms, read the review, download the results"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name the page is reached by (repeat for several)",
    )
    serve.add_argument(
        "--max-upload-mb", type=int, default=100, help="most megabytes in one upload (100)"
    )
    serve.add_argument("--max-files", type=int, default=500, help="most files in one batch (500)")
    serve.add_argument("--max-jobs", type=int, default=8, help="most batches kept at once (8)")
    serve.add_argument(
        "--keep-minutes",
        type=int,
        default=30,
        help="minutes a finished batch stays downloadable before its files are removed (30)",
    )
    return [serve]


def settings_of(args: argparse.Namespace) -> Settings:
    """The server's settings from the command line.

    :raises ValueError: a limit below 1 or a port out of range (said as a usage error).
    """
    for name in ("max_upload_mb", "max_files", "max_jobs", "keep_minutes"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 < args.port < 65536:
        raise ValueError("--port must be between 1 and 65535")
    return Settings(
        host=args.host,
        port=args.port,
        max_upload_bytes=args.max_upload_mb * 1024 * 1024,
        max_files=args.max_files,
        max_jobs=args.max_jobs,
        job_seconds=args.keep_minutes * 60,
        allowed_hosts=tuple(args.allow_host),
    )


def missing() -> list[str]:
    """The web extra's modules that are not installed."""
    return [name for name in _NEEDED if importlib.util.find_spec(name) is None]


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run the server until Ctrl-C: 0 when stopped, 2 when it cannot start."""
    absent = missing()
    if absent:
        print(
            f"perfscore serve: needs the web extra ({', '.join(absent)} not installed); "
            f"install it with: {_INSTALL}",
            file=stderr,
        )
        return 2
    try:
        settings = settings_of(args)
    except ValueError as exc:
        print(f"perfscore serve: {exc}", file=stderr)
        return 2
    import uvicorn

    from perfscore.web.app import create_app

    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    if not is_loopback(settings.host):
        print(
            f"perfscore serve: listening on {shown}:{settings.port}, reachable from other "
            "machines: anyone who can reach it can upload files and read the reports",
            file=stderr,
        )
    page = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else shown
    print(f"perfscore: open http://{page}:{settings.port}  (Ctrl-C stops)", file=stdout)
    stdout.flush()
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )
    uvicorn.Server(config).run()
    return 0
