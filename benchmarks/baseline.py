"""The baseline: a bare Starlette app that parses a JSON body and updates a dict (no validation, no journal)."""

from __future__ import annotations

import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ITEMS: dict[str, dict[str, object]] = {}


async def put_item(request: Request) -> JSONResponse:
    body = await request.json()
    ITEMS[request.path_params["name"]] = body
    return JSONResponse(body)


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/items/{name}", put_item, methods=["PUT"]), Route("/health", health)])

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
