"""Fetching a URL politely and safely: conditional requests so a scheduled run downloads
nothing unchanged, timeouts, a size limit enforced while streaming, bounded retries with
backoff on transient errors only, http(s) only (redirect targets too)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

import httpx

from flows.ingest.article import Rejection, Unchanged
from flows.ingest.decode import content_type_charset

SCHEMES = ("http", "https")
TRANSIENT_STATUSES = {429, 502, 503, 504}
ACCEPT = ("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
          "application/xml;q=0.9, */*;q=0.8")


def _user_agent() -> str:
    try:
        own = version("newsfigures")
    except PackageNotFoundError:
        own = "dev"
    return f"newsfigures/{own} (+https://github.com/newsfigures)"


USER_AGENT = _user_agent()


@dataclass
class Page:
    url: str                    # as asked for
    final_url: str              # after redirects
    content: bytes
    content_type: str | None

    @property
    def charset(self) -> str | None:
        return content_type_charset(self.content_type)


class FetchState:
    """The validators (ETag, Last-Modified) each URL last answered with, to ask next time
    "only if changed". Plain rows in and out, for whoever persists it."""

    def __init__(self) -> None:
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def conditional_headers(self, url: str) -> dict[str, str]:
        etag, last_modified = self._validators.get(url, (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self._validators[url] = (etag, last_modified)
        else:
            self._validators.pop(url, None)

    def get(self, url: str) -> tuple[str | None, str | None]:
        return self._validators.get(url, (None, None))

    def __len__(self) -> int:
        return len(self._validators)

    def to_rows(self) -> list[dict[str, str | None]]:
        return [{"url": url, "etag": etag, "last_modified": modified}
                for url, (etag, modified) in sorted(self._validators.items())]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping | tuple]) -> FetchState:
        """Rows as to_rows() writes them, or (url, etag, last_modified) tuples."""
        state = cls()
        for row in rows:
            url, etag, modified = ((row["url"], row.get("etag"), row.get("last_modified"))
                                   if isinstance(row, Mapping) else tuple(row))
            state.remember(url, etag, modified)
        return state


class _Transient(Exception):
    """Worth another try: the server or the network may answer next time."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class Fetcher:
    def __init__(self, *, connect_timeout: float = 10.0, read_timeout: float = 10.0,
                 total_timeout: float = 60.0, max_bytes: int = 5_000_000, tries: int = 3,
                 backoff: float = 0.5, max_backoff: float = 10.0, max_redirects: int = 5,
                 user_agent: str = USER_AGENT, trust_env: bool = True):
        """total_timeout bounds one try, however slowly a server trickles bytes; backoff is
        the first pause between tries, doubling each time, at most max_backoff (a server's
        Retry-After is honoured up to that too)."""
        self.connect_timeout, self.read_timeout, self.total_timeout = connect_timeout, read_timeout, total_timeout
        self.max_bytes, self.tries, self.max_redirects = max_bytes, max(1, tries), max_redirects
        self.backoff, self.max_backoff = backoff, max_backoff
        self._client = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,             # followed by hand: each target's scheme is checked
            headers={"User-Agent": user_agent, "Accept": ACCEPT}, trust_env=trust_env)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, state: FetchState | None = None) -> Page | Unchanged | Rejection:
        """The page, Unchanged when the server says it has not changed since `state` last
        saw it (state then keeps its validators), or a Rejection saying why not."""
        if urlsplit(url).scheme.lower() not in SCHEMES:
            return Rejection(url, "only http and https URLs are fetched")
        for attempt in range(self.tries):
            try:
                return self._get(url, state)
            except _Transient as problem:
                if attempt + 1 == self.tries:
                    tries = "1 try" if self.tries == 1 else f"{self.tries} tries"
                    return Rejection(url, f"{problem.reason} ({tries}; it will be tried again next run)")
                pause = self.backoff * 2 ** attempt
                time.sleep(min(self.max_backoff, max(pause, problem.retry_after or 0)))
        raise AssertionError("unreachable")

    def _get(self, url: str, state: FetchState | None) -> Page | Unchanged | Rejection:
        headers = state.conditional_headers(url) if state else {}
        target = url
        for _ in range(self.max_redirects + 1):
            try:
                with self._client.stream("GET", target, headers=headers) as response:
                    if response.has_redirect_location:
                        location = response.headers["location"]
                        following = response.url.join(location)
                        if following.scheme not in SCHEMES:
                            return Rejection(url, f"redirected to {location}, which is not http or https; refused")
                        target = str(following)
                        continue
                    return self._answer(url, response, state)
            except httpx.TimeoutException as exc:
                raise _Transient(self._timeout_reason(exc)) from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                return Rejection(url, f"not a URL that can be fetched: {exc}")
            except httpx.TransportError as exc:
                raise _Transient(f"connection failed: {exc or type(exc).__name__}") from exc
            except httpx.HTTPError as exc:         # e.g. a body that is not the gzip it claims
                return Rejection(url, f"could not be fetched: {exc or type(exc).__name__}")
        return Rejection(url, f"more than {self.max_redirects} redirects; stopped following them")

    def _answer(self, url: str, response: httpx.Response, state: FetchState | None) -> Page | Unchanged | Rejection:
        status = response.status_code
        if status == 304:
            return Unchanged(url)
        if status in TRANSIENT_STATUSES:
            raise _Transient(f"HTTP {status} {response.reason_phrase}", _retry_after(response))
        if not 200 <= status < 300:
            return Rejection(url, f"HTTP {status} {response.reason_phrase}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return Rejection(url, f"larger than the {_mb(self.max_bytes)} size limit "
                                  f"(the server announces {int(declared):,} bytes); not downloaded")
        body = self._read(url, response)
        if isinstance(body, Rejection):
            return body
        if state is not None:
            state.remember(url, response.headers.get("etag"), response.headers.get("last-modified"))
        return Page(url, str(response.url), body, response.headers.get("content-type"))

    def _read(self, url: str, response: httpx.Response) -> bytes | Rejection:
        """The body, stopping as soon as it passes the size limit or the time limit."""
        deadline = time.monotonic() + self.total_timeout
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                return Rejection(url, f"larger than the {_mb(self.max_bytes)} size limit; stopped downloading")
            if time.monotonic() > deadline:
                raise _Transient(f"timed out: the response took longer than {self.total_timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _timeout_reason(self, exc: httpx.TimeoutException) -> str:
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out connecting (connect timeout {self.connect_timeout:g} s)"
        return f"timed out waiting for the server (read timeout {self.read_timeout:g} s)"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g} MB"
