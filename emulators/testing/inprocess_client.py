"""`InProcessClient`: the `httpx.Client` the harness hands out, minus two per-request costs of httpx that
change nothing a caller can observe (together about half of httpx's own time per request in process):

- URL merging: a relative URL string is merged with `base_url` once and the (immutable) `httpx.URL` reused
  while `base_url` stays the same (httpx parses the URL twice per request);
- cookie extraction: a response without `Set-Cookie` / `Set-Cookie2` headers skips http.cookiejar's
  request/response adapters (cookiejar would find nothing to store). Responses that set cookies are handled
  by httpx exactly as before.

Everything else is httpx's own behaviour; it is still an `httpx.Client` (`isinstance` holds)."""

from __future__ import annotations

from typing import Any

import httpx

_URL_CACHE_SIZE = 1024


class _QuietCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class InProcessClient(httpx.Client):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cookies = _QuietCookies(self._cookies)
        self._merged: dict[str, tuple[httpx.URL, httpx.URL]] = {}

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._cookies = _QuietCookies(cookies)

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        if not isinstance(url, str):
            return super()._merge_url(url)
        base = self._base_url
        hit = self._merged.get(url)
        if hit is not None and hit[0] is base:
            return hit[1]
        merged = super()._merge_url(url)
        if len(self._merged) >= _URL_CACHE_SIZE:
            self._merged.clear()
        self._merged[url] = (base, merged)
        return merged
