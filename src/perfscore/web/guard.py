"""The server's gate: every request is checked here before any route sees it.

- **Host.** A request must name this server as its ``Host`` (address and port, see
  :meth:`Settings.hosts`): a page elsewhere that made its own name resolve to 127.0.0.1 (DNS
  rebinding) is refused, so it cannot read the reports through the victim's browser.
- **Origin.** A request that changes anything (any method but GET and HEAD) must carry this
  server's own ``Origin``; any request carrying another site's ``Origin`` is refused.  A form
  or script on another site cannot post files to it or start work.
- **Size.** A body longer than ``max_upload_bytes`` is refused with 413 before it is read when
  its length is declared, and as soon as it passes the limit when it is not.
- **Headers.** Every answer says: no framing, no sniffing, no referrer, no caching, and scripts,
  styles and images from this server only (the page has no inline script).

This is plain ASGI middleware: it holds the frozen settings and nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from perfscore.web.settings import Settings

__all__ = ["SECURITY_HEADERS", "Guard", "TooLarge"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Sent with every answer.
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)

_SAFE_METHODS = frozenset({"GET", "HEAD"})


class TooLarge(Exception):
    """The body went past the limit while it was being read; the message says so.

    Raised from ``receive`` inside whatever is reading the body: the application answers it
    with 413 (an exception handler), and the guard does when nothing has answered yet."""


class Guard:
    """ASGI middleware enforcing :class:`Settings`' host, origin and size rules."""

    def __init__(self, app: App, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = settings.hosts()
        self.origins = settings.origins()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            await _answer(send, *refusal)
            return
        started = False

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, self._bounded(receive), secured)
        except TooLarge as exc:
            if not started:
                await _answer(send, 413, str(exc))

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """Why this request is refused (status and a sentence), or None."""
        headers = _headers(scope)
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return 403, (
                f"refused: this server answers to {', '.join(sorted(self.hosts))}, "
                f"not to Host {host or '(none)'}; start it with --allow-host NAME to add a name"
            )
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return 403, f"refused: a request from {origin} (another site) is not accepted"
        if scope["method"] not in _SAFE_METHODS:
            if origin is None:
                return 403, "refused: a request that sends data must come from this server's page"
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.settings.max_upload_bytes:
                return 413, self._too_large()
        return None

    def _too_large(self) -> str:
        limit = self.settings.max_upload_bytes
        return (
            f"refused: the upload is larger than the {_size(limit)} accepted at once; "
            "send fewer files at a time, or start the server with a larger --max-upload-mb"
        )

    def _bounded(self, receive: Receive) -> Receive:
        """``receive`` counting the body's bytes, stopping past the limit."""
        limit = self.settings.max_upload_bytes
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(self._too_large())
            return message

        return bounded


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the last of repeated ones)."""
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


async def _answer(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
