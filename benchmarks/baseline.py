"""The baseline: a bare Starlette app that parses a JSON body, updates a stored dict and answers it with
json.dumps (no auth, no validation, no journal), under the same uvicorn (uvloop + httptools).

`PUT /items/{id}` updates the stored dict with the body and answers the whole dict; `PUT
/items/{id}?replace=1` replaces it (how the benchmark stores an entity the size of the API's answer);
`GET /items/{id}` answers the stored dict."""

from __future__ import annotations

import sys
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ITEMS: dict[str, Any] = {}


async def put_item(request: Request) -> JSONResponse:
    body = await request.json()
    name = request.path_params["name"]
    current = ITEMS.get(name)
    if request.query_params.get("replace") or current is None:
        ITEMS[name] = body
    elif isinstance(current, dict):
        current.update(body)
    elif isinstance(current, list) and current and isinstance(current[0], dict):  # an API that answers a list
        current[0].update(body)
    return JSONResponse(ITEMS[name])


async def get_item(request: Request) -> JSONResponse:
    return JSONResponse(ITEMS.get(request.path_params["name"], {}))


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/items/{name}", put_item, methods=["PUT"]),
        Route("/items/{name}", get_item, methods=["GET"]),
        Route("/health", health),
    ]
)

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
