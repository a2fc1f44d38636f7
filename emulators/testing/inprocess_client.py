"""`InProcessClient`: the `httpx.Client` the harness hands out, minus two per-request costs of httpx that
change nothing a caller can observe (together about half of httpx's own time per request in process):

- URL merging: a relative URL string is merged with `base_url` once and the (immutable) `httpx.URL` reused
  while `base_url` stays the same (httpx parses the URL twice per request);
- query parameters: a relative URL string with `params=` of plain strings (`c.get(path, params={...})`) is
  merged into its URL once per distinct (URL, params) and that URL reused (httpx parses the URL again to
  merge them on every request);
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
        self._with_params: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[httpx.URL, httpx.URL]] = {}

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._cookies = _QuietCookies(cookies)

    def build_request(self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any) -> httpx.Request:
        if params is None or self._params or not isinstance(url, str) or params.__class__ is not dict:
            return super().build_request(method, url, params=params, **kwargs)
        items = tuple(params.items())
        if not all(k.__class__ is str and v.__class__ is str for k, v in items):  # 1 == True: not a safe key
            return super().build_request(method, url, params=params, **kwargs)
        key = (url, items)
        base = self._base_url
        hit = self._with_params.get(key)
        if hit is not None and hit[0] is base:
            return super().build_request(method, hit[1], **kwargs)
        request = super().build_request(method, url, params=params, **kwargs)
        if len(self._with_params) >= _URL_CACHE_SIZE:
            self._with_params.clear()
        self._with_params[key] = (base, request.url)
        return request

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
