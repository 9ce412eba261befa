"""What a server may accept, and from whom: one frozen :class:`Settings` per server."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

__all__ = ["LOOPBACK_NAMES", "Settings", "is_loopback"]

#: The names a browser may use for this machine's loopback address.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

_MB = 1024 * 1024


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable only from this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Settings:
    """A server's address and limits.

    ``max_upload_bytes`` bounds one request's body (all its files together), ``max_files`` the
    number of files in one batch; ``max_jobs`` the batches kept at once (the oldest finished one
    is removed to make room; when every kept batch is still being scored a new one is refused),
    ``job_seconds`` how long a finished batch stays downloadable.  ``allowed_hosts`` are extra
    names the server may be reached by (a ``Host`` header it accepts besides its own address).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 100 * _MB
    max_files: int = 500
    max_jobs: int = 8
    job_seconds: int = 30 * 60
    allowed_hosts: tuple[str, ...] = field(default=())

    def hosts(self) -> frozenset[str]:
        """Every ``Host`` header value this server answers: its own address with its port, the
        loopback names when it listens on loopback or on every address, and ``allowed_hosts``.
        The port is part of each (a browser leaves out only port 80): a page of another site
        reached through a name that resolves here (DNS rebinding) carries that name, never
        these."""
        names = {self.host if ":" not in self.host else f"[{self.host}]", *self.allowed_hosts}
        if is_loopback(self.host) or self.host in ("0.0.0.0", "::", ""):
            names.update(LOOPBACK_NAMES)
        names.discard("0.0.0.0")
        names.discard("[::]")
        hosts = {f"{name.lower()}:{self.port}" for name in names if name}
        if self.port == 80:  # a browser leaves the default port out of Host and Origin
            hosts |= {name.lower() for name in names if name}
        return frozenset(hosts)

    def origins(self) -> frozenset[str]:
        """The ``Origin`` values of this server's own page (``http://`` + an accepted host)."""
        return frozenset(f"http://{host}" for host in self.hosts())
