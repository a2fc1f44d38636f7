"""The outbound deliveries as a HAR 1.2 log (one entry per attempt; a refused connection has status 0)."""

from __future__ import annotations

from typing import Any


def _pairs(headers: dict[str, str] | None) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in (headers or {}).items()]


def deliveries_har(deliveries: list[dict[str, Any]], creator: str) -> dict[str, Any]:
    entries = []
    for d in deliveries:
        req, res = d["request"], d.get("response") or {}
        entries.append(
            {
                "startedDateTime": d["sent"],
                "time": d.get("duration_ms") or 0,
                "comment": f"{d['event']} attempt {d['attempt']} ({d['outcome']})",
                "request": {
                    "method": req["method"],
                    "url": req["url"],
                    "httpVersion": "HTTP/1.1",
                    "headers": _pairs(req["headers"]),
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": len(req["body"].encode()),
                    "postData": {"mimeType": req["headers"].get("Content-Type", ""), "text": req["body"]},
                },
                "response": {
                    "status": res.get("status", 0),
                    "statusText": d.get("error") or "",
                    "httpVersion": "HTTP/1.1",
                    "headers": _pairs(res.get("headers")),
                    "cookies": [],
                    "content": {
                        "size": len((res.get("body") or "").encode()),
                        "mimeType": "",
                        "text": res.get("body") or "",
                    },
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": -1,
                },
                "cache": {},
                "timings": {"send": 0, "wait": d.get("duration_ms") or 0, "receive": 0},
            }
        )
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": "1"}, "entries": entries}}
