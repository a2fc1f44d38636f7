"""The dashboard's handlers: HTML pages (Jinja2 through Starlette), their assets, JSON data and exports.

Every URL the pages use is relative to `<base href=".../__emulator/ui/">`, so one page works the same on
the default namespace, under `/__ns/<name>/` and behind a proxy's root path.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from ..core.call import Call, Reply
from ..core.errors import NotFound
from ..core.journal import entry_json
from ..core.journal_stream import export_entries
from . import data, exports

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

    from ..core.control import ControlPlane
    from ..core.spec import Handler

PAGES = [
    ("requests", "Requests"),
    ("state", "State"),
    ("faults", "Faults"),
    ("webhooks", "Webhooks"),
    ("clock", "Clock"),
    ("namespaces", "Namespaces"),
    ("exports", "Exports"),
]
ASSET_TYPES = {".css": "text/css", ".js": "text/javascript"}
# nothing but this origin: no CDN, no font service, no inline script (the favicon is a data: URL)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'self'; frame-ancestors 'none'"
)
HTML_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


@functools.lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """Jinja2 (autoescaping) through Starlette's Jinja2Templates; built on the first page view."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from starlette.templating import Jinja2Templates

    env = Environment(
        loader=PackageLoader("emulators.ui", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


@functools.lru_cache(maxsize=1)
def assets() -> dict[str, tuple[bytes, str, str]]:
    """name -> (content, media type, short content hash) of every file in static/, read once."""
    out: dict[str, tuple[bytes, str, str]] = {}
    for item in (resources.files("emulators.ui") / "static").iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1]
        if item.is_file() and suffix in ASSET_TYPES:
            content = item.read_bytes()
            out[item.name] = (content, ASSET_TYPES[suffix], hashlib.sha256(content).hexdigest()[:12])
    return out


class Dashboard:
    def __init__(self, control: ControlPlane) -> None:
        self.control = control
        self.ctx = control.ctx

    def handlers(self) -> dict[str, Handler]:
        return {
            "uiHome": self.home,
            "uiPage": self.page,
            "uiAsset": self.asset,
            "uiRequests": self.requests,
            "uiRequest": self.request,
            "uiState": self.state,
            "uiNamespaces": self.namespaces,
            "uiExport": self.export,
        }

    # pages ---------------------------------------------------------------------------------
    def home(self, call: Call) -> Reply:
        return self._render(call, "requests")

    def page(self, call: Call) -> Reply:
        view = str(call.path_params["view"])
        if view not in dict(PAGES):
            raise NotFound(f"No dashboard page {view!r}; pages: {', '.join(p for p, _ in PAGES)}")
        return self._render(call, view)

    @staticmethod
    def _paths(call: Call) -> tuple[str, str]:
        """(this namespace's base path, the server's root path), e.g. ("/__ns/qa", "") or ("", "")."""
        ns = call.world.namespace
        base = call.base_url  # scheme://host + root path + "/__ns/<name as received, decoded>"
        if ns and base.endswith(f"/__ns/{ns}"):
            base = base[: -len(f"/__ns/{ns}")]
        root = urlsplit(base).path.rstrip("/")
        return (f"{root}/__ns/{quote(ns, safe='')}" if ns else root), root  # a "?" or "#" in a name stays a path

    def _render(self, call: Call, view: str) -> Reply:
        world = call.world
        base_path, root = self._paths(call)
        ctx: dict[str, Any] = {
            "api": self.ctx.spec.name,
            "namespace": world.namespace,
            "view": view,
            "pages": PAGES,
            "base_href": base_path + "/__emulator/ui/",
            "asset": self._asset_url,
            "operations": sorted(self.ctx.contract.operations),
            "methods": self._methods(),
        }
        ctx.update(getattr(self, f"_ctx_{view}")(call, root))
        html = templates().get_template(f"{view}.html").render(ctx)
        return Reply(body=html.encode("utf-8"), media_type="text/html", headers=dict(HTML_HEADERS))

    def _methods(self) -> list[str]:
        return sorted({op.method for op in self.ctx.contract.operations.values()})

    @staticmethod
    def _asset_url(name: str) -> str:
        return f"static/{name}?v={assets()[name][2]}"

    def _ctx_requests(self, call: Call, root: str) -> dict[str, Any]:
        filters = data.Filters.from_query(call.query)
        page = data.requests_page(
            call.world.journal,
            filters,
            self.ctx.redaction,
            call.clock.time(),
            page=int(call.query.get("page") or 1),
            chart=False,
        )  # JS draws it
        pager = [
            (n, "?" + urlencode({**filters.as_query(), "page": n}) if n else "")
            for n in data.pager(page["page"], page["pages"])
        ]
        return {"filters": filters, "journal": page, "pager": pager}

    def _ctx_state(self, call: Call, root: str) -> dict[str, Any]:
        return {"tenants": call.world.tenant_keys()}

    def _ctx_faults(self, call: Call, root: str) -> dict[str, Any]:
        return {
            "faults": [r.as_dict() for r in call.world.faults.list()],
            "stubs": [r.as_dict() for r in call.world.stubs.list()],
        }

    def _ctx_webhooks(self, call: Call, root: str) -> dict[str, Any]:
        view = self.ctx.spec.webhook_view
        outbox = call.world.outbox
        found = outbox.deliveries()
        subscriptions = view(call.world) if view is not None else []
        return {
            "has_webhooks": view is not None,
            "subscriptions": subscriptions,
            "names": {(s.get("tenant"), str(s.get("WebhookId"))): s.get("Name") for s in subscriptions},
            "deliveries": data.delivery_rows(found, data.DELIVERY_ROWS),
            "delivery_total": len(found),
            "pending": len(outbox.pending()),
        }

    def _ctx_clock(self, call: Call, root: str) -> dict[str, Any]:
        return {"clock": call.world.clock.as_dict()}

    def _ctx_namespaces(self, call: Call, root: str) -> dict[str, Any]:
        return {"namespaces": self._namespace_list(root)}

    def _ctx_exports(self, call: Call, root: str) -> dict[str, Any]:
        formats = exports.request_formats(self.control)
        return {
            "exports": [(x, x.filename.format(api=self.ctx.spec.name), x.link(formats)) for x in exports.EXPORTS],
            "entries": len(call.world.journal),
        }

    # assets --------------------------------------------------------------------------------
    def asset(self, call: Call) -> Reply:
        found = assets().get(str(call.path_params["asset"]))
        if found is None:
            raise NotFound(f"No dashboard asset {call.path_params['asset']!r}")
        content, media_type, _ = found
        return Reply(
            body=content,
            media_type=media_type,
            headers={
                "Cache-Control": "public, max-age=31536000, immutable",  # URLs carry ?v=<hash>
                "X-Content-Type-Options": "nosniff",
            },
        )

    # data ----------------------------------------------------------------------------------
    def requests(self, call: Call) -> Reply:
        q = call.query
        page = data.requests_page(
            call.world.journal,
            data.Filters.from_query(q),
            self.ctx.redaction,
            call.clock.time(),
            page=int(q.get("page") or 1),
            per_page=int(q.get("per_page") or data.PER_PAGE),
            after=int(q["after"]) if q.get("after") is not None else None,
        )
        return Reply(body=page, headers={"Cache-Control": "no-store"})

    def request(self, call: Call) -> Reply:
        seq = int(call.path_params["seq"])
        entry = data.find_entry(call.world.journal, seq)
        if entry is None:
            raise NotFound(f"No journal entry {seq} (cleared, or beyond the newest {self.ctx.journal_size})")
        body = entry_json(entry, self.ctx.redaction)
        body["issues"] = data.issues_json(entry)
        rule = next((r for r in call.world.faults.list() if r.id == entry.fault), None) if entry.fault else None
        body["fault_rule"] = rule.as_dict() if rule is not None else None
        stub = call.world.stubs.get(entry.stub)
        body["stub_rule"] = stub.as_dict() if stub is not None else None
        return Reply(body=body, headers={"Cache-Control": "no-store"})

    def state(self, call: Call) -> Reply:
        current = call.world.dump()
        baseline = self.ctx.fresh_world(call.world.namespace).dump()  # what POST reset would restore
        return Reply(body=data.state_changes(current, baseline), headers={"Cache-Control": "no-store"})

    def namespaces(self, call: Call) -> Reply:
        return Reply(
            body={"namespaces": self._namespace_list(self._paths(call)[1])}, headers={"Cache-Control": "no-store"}
        )

    def _namespace_list(self, root: str) -> list[dict[str, Any]]:
        return [
            {"name": name, "requests": len(w.journal), "ui": data.namespace_ui(root, name)}
            for name, w in sorted(self.ctx.worlds.items())
        ]

    def export(self, call: Call) -> Reply:
        """HEAD (a GET is built off the event loop by the control plane: ControlPlane._send_export)."""
        found = exports.find(str(call.path_params["name"]))
        if found is None or found.build is None:
            raise NotFound(f"No export {call.path_params['name']!r}")
        entries = export_entries(call.world, {})
        headers = exports.headers(found, self.ctx.spec.name)
        del headers["Content-Type"]
        return Reply(
            body=found.build(self.ctx, call.world, entries, call.base_url, {}),
            media_type=found.media_type,
            headers=headers,
        )
