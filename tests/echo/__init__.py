"""A tiny API used only by the kernel's tests and the benchmark. Not registered for users.

Auth: POST /login?user=alice -> token (valid 60 s on the emulator clock); then X-Api-Key.
Errors: {"error": message, "code": <class name>, "issues": [...]}.
"""

from __future__ import annotations

from pathlib import Path

from emulators.core.auth import TokenBook
from emulators.core.call import Call, Reply, no_content
from emulators.core.errors import EmulatorError, ErrorBody, NotFound, Unauthorized, ValidationFailed
from emulators.core.spec import EmulatorSpec

HERE = Path(__file__).parent
TOKEN_SECONDS = 60


def login(call: Call) -> Reply:
    user = call.query["user"]
    users = call.world.store(None).table("users")
    if user not in users:
        raise ValidationFailed(f"unknown user {user}")
    token = call.ids.hex(16)
    TokenBook(call.world.store(None)).issue(token, call.clock.time() + TOKEN_SECONDS, user=user)
    return Reply(body={"token": token})


def listItems(call: Call) -> Reply:
    items = sorted(call.store.values("items"), key=lambda i: i["name"])
    limit = call.query.get("limit")
    return Reply(body=items[:limit] if limit else items)


def getItem(call: Call) -> Reply:
    item = call.store.get("items", call.path_params["name"])
    if item is None:
        raise NotFound(f"no item {call.path_params['name']}")
    return Reply(body=item, xml_root="Item")


def putItem(call: Call) -> Reply:
    item = dict(call.body)
    call.store.put("items", call.path_params["name"], item, when=call.clock.time())
    return Reply(body=item, xml_root="Item")


def deleteItem(call: Call) -> Reply:
    if call.store.delete("items", call.path_params["name"]) is None:
        raise NotFound(f"no item {call.path_params['name']}")
    return no_content()


def upload(call: Call) -> Reply:
    return Reply(status=201, body={k: len(f.data) for k, f in call.files.items()} | {"fields": call.form})


def crash(call: Call) -> Reply:
    raise RuntimeError("boom")


def wrongShape(call: Call) -> Reply:
    return Reply(body={"nome": 1})


def wrongError(call: Call) -> Reply:
    """Deliberately wrong errors: kind=status raises a 409 the contract does not list; kind=body a
    documented 400 whose body is not the Error envelope."""
    if call.query["kind"] == "status":
        raise EmulatorError("not documented", status=409)
    raise EmulatorError("bad envelope", status=400, raw_body={"bogus": 1})


def authenticate(call: Call) -> None:
    token = call.headers.get("x-api-key")
    state = TokenBook(call.world.store(None)).find(token)
    if state is None:
        raise Unauthorized("missing or unknown X-Api-Key")
    if state.expired(call.clock.time()):
        raise Unauthorized("token expired", code="Expired")
    user = call.world.store(None).get("users", state.data["user"])
    call.principal = state.data["user"]
    call.tenant = user["tenant"]


def render_error(err: EmulatorError, call: Call | None) -> ErrorBody:
    if "raw_body" in err.extra:  # wrongError: a handler that breaks the envelope on purpose
        return ErrorBody(err.status, err.extra["raw_body"])
    body: dict[str, object] = {"error": err.message, "code": err.code or type(err).__name__}
    if err.issues:
        body["issues"] = [{"in": i.location, "name": i.name, "message": i.message} for i in err.issues]
    return ErrorBody(err.status, body)


def credentials(fixtures: dict[str, object]) -> dict[str, object]:
    return {"user": "alice", "token": "fixed-token"}


EMULATOR = EmulatorSpec(
    name="echo",
    contract=HERE / "openapi.yaml",
    fixtures=HERE / "fixtures.yaml",
    handlers={
        "login": login,
        "listItems": listItems,
        "getItem": getItem,
        "putItem": putItem,
        "deleteItem": deleteItem,
        "upload": upload,
        "crash": crash,
        "wrongShape": wrongShape,
        "wrongError": wrongError,
    },
    render_error=render_error,
    authenticate=authenticate,
    credentials=credentials,
    produces=["application/json", "application/xml"],
    redact_headers=frozenset({"x-api-key"}),
    redact_query=frozenset({"user"}),
    redact_body_keys=frozenset({"token"}),
)
