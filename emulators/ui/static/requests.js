/* Requests page: the journal, newest first, kept live by a short poll (every 500 ms, only entries newer
   than the newest shown); the requests/second timeline; a row's detail with the reasons behind it. */
"use strict";

(() => {
  const POLL_MS = 500;
  const count = document.getElementById("count");
  const tbody = document.getElementById("rows");
  const detail = document.getElementById("detail");
  const live = document.getElementById("live");
  const form = document.getElementById("filters");
  let lastSeq = Number(count.dataset.lastSeq);
  let total = Number(count.dataset.total);
  const page = Number(count.dataset.page);
  const perPage = Number(count.dataset.perPage);
  let selected = null;

  function filterQuery(extra) {
    const params = new URLSearchParams();
    for (const name of ["operation", "method", "status", "q"]) {
      const v = form.elements[name].value.trim();
      if (v) params.set(name, v);
    }
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  /* rows ------------------------------------------------------------------------------------ */
  function statusClass(s) { return s >= 200 && s < 600 ? Math.floor(s / 100) : 0; }

  function rowFor(r, fresh) {
    const path = UI.el("td", { className: "path" }, r.path, r.query ? UI.el("span", { className: "query", text: "?" + r.query }) : null);
    const status = UI.el("td", { className: "status" }, r.status ? String(r.status) : "dropped",
      r.fault ? [" ", UI.el("span", { className: "badge", title: `fault ${r.fault} fired`, text: "fault" })] : null,
      r.stub ? [" ", UI.el("span", { className: "badge", title: `stub ${r.stub} answered`, text: "stub" })] : null);
    return UI.el("tr", { "data-seq": r.seq, tabindex: 0, className: `s${statusClass(r.status)}${fresh ? " fresh" : ""}` },
      UI.el("td", { className: "time", title: r.time, text: r.time.slice(11, 23) }),
      UI.el("td", { className: "method", text: r.method }), path,
      UI.el("td", { className: "op", text: r.operation || "—" }), status,
      UI.el("td", { className: "ms", text: r.duration_ms.toFixed(1) }));
  }

  function renderCounts(data, matchedAll) {
    document.getElementById("total").textContent = data.total;
    if (matchedAll !== undefined) document.getElementById("matched").textContent = matchedAll;
    document.getElementById("empty").hidden = tbody.children.length > 0;
  }

  async function reloadAll() {
    const resp = await UI.api("GET", "data/requests?" + filterQuery({ page, per_page: perPage }));
    if (!resp.ok) return;
    tbody.replaceChildren(...resp.data.rows.map((r) => rowFor(r, false)));
    lastSeq = resp.data.last_seq;
    total = resp.data.total;
    renderCounts(resp.data, resp.data.matched);
    drawTimeline(resp.data.timeline);
    if (selected !== null && !tbody.querySelector(`tr[data-seq="${selected}"]`)) clearDetail();
  }

  async function poll() {
    if (!live.checked || document.hidden) return;
    const resp = await UI.api("GET", "data/requests?" + filterQuery({ after: lastSeq, per_page: perPage }));
    if (!resp.ok) return;
    const d = resp.data;
    if (d.last_seq < lastSeq || d.total < total) return reloadAll(); // reset or cleared meanwhile
    total = d.total;
    drawTimeline(d.timeline);
    if (d.rows.length) {
      if (page === 1) {
        const fresh = d.rows.map((r) => rowFor(r, true));
        tbody.prepend(...fresh);
        while (tbody.children.length > perPage) tbody.lastElementChild.remove();
        const matched = Number(document.getElementById("matched").textContent) + d.matched;
        renderCounts(d, matched);
      } else {
        document.getElementById("newer").hidden = false;
      }
    }
    lastSeq = d.last_seq;
    document.getElementById("total").textContent = d.total;
  }

  /* timeline -------------------------------------------------------------------------------- */
  const SVG = "http://www.w3.org/2000/svg";
  const CLASSES = ["2xx", "3xx", "4xx", "5xx", "other"];
  function drawTimeline(t) {
    const svg = document.getElementById("timeline");
    const w = 600, h = 70, n = t.buckets.length, bw = w / n;
    const max = Math.max(1, ...t.buckets.map((b) => CLASSES.reduce((s, c) => s + (b[c] || 0), 0)));
    const parts = [];
    for (let y = 1; y <= 3; y++) {
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", 0); line.setAttribute("x2", w);
      line.setAttribute("y1", (h * y) / 4); line.setAttribute("y2", (h * y) / 4);
      line.setAttribute("stroke", "#eceef1"); line.setAttribute("stroke-width", "1");
      parts.push(line);
    }
    t.buckets.forEach((b, i) => {
      let y = h;
      for (const c of CLASSES) {
        const v = b[c] || 0;
        if (!v) continue;
        const bh = (v / max) * (h - 2);
        y -= bh;
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", (i * bw + 0.5).toFixed(2));
        rect.setAttribute("width", Math.max(1, bw - 1).toFixed(2));
        rect.setAttribute("y", y.toFixed(2));
        rect.setAttribute("height", bh.toFixed(2));
        rect.setAttribute("class", "c" + c);
        const title = document.createElementNS(SVG, "title");
        title.textContent = `${v} × ${c === "other" ? "dropped" : c}, ${n - i} s ago`;
        rect.append(title);
        parts.push(rect);
      }
    });
    svg.replaceChildren(...parts);
    document.getElementById("timeline-max").textContent = `max ${max}/s`;
    document.getElementById("timeline-span").textContent = `last ${t.seconds} s (emulator clock)`;
  }

  /* detail ---------------------------------------------------------------------------------- */
  function clearDetail() {
    selected = null;
    detail.replaceChildren(UI.el("p", { className: "muted", text: "Select a request to see its headers, bodies, and why the emulator answered as it did." }));
  }

  function prettyXml(text) {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    if (!doc.documentElement || doc.getElementsByTagName("parsererror").length) return text;
    const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const out = [];
    const walk = (node, depth) => {
      const pad = "  ".repeat(depth);
      if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
        const t = node.nodeValue.trim();
        if (t) out.push(pad + esc(t));
        return;
      }
      if (node.nodeType === Node.COMMENT_NODE) { out.push(`${pad}<!--${node.nodeValue}-->`); return; }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const attrs = Array.from(node.attributes).map((a) => ` ${a.name}="${esc(a.value).replace(/"/g, "&quot;")}"`).join("");
      const kids = Array.from(node.childNodes).filter((k) => k.nodeType !== Node.TEXT_NODE || k.nodeValue.trim());
      if (!kids.length) out.push(`${pad}<${node.nodeName}${attrs}/>`);
      else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) {
        out.push(`${pad}<${node.nodeName}${attrs}>${esc(kids[0].nodeValue.trim())}</${node.nodeName}>`);
      } else {
        out.push(`${pad}<${node.nodeName}${attrs}>`);
        kids.forEach((k) => walk(k, depth + 1));
        out.push(`${pad}</${node.nodeName}>`);
      }
    };
    walk(doc.documentElement, 0);
    return out.join("\n");
  }

  function contentType(headers) {
    for (const [k, v] of Object.entries(headers || {})) if (k.toLowerCase() === "content-type") return String(v).toLowerCase();
    return "";
  }

  function prettyBody(body, headers) {
    if (body === null || body === undefined) return null;
    if (typeof body === "object") {
      const keys = Object.keys(body);
      if (!Array.isArray(body) && keys.length === 1 && keys[0] === "base64") return `(binary, ${Math.floor(body.base64.length * 3 / 4)} bytes)`;
      return JSON.stringify(body, null, 2);
    }
    const text = String(body);
    const ct = contentType(headers);
    if (ct.includes("xml") || /^\s*<\?xml|^\s*<[A-Za-z]/.test(text)) return prettyXml(text);
    if (ct.includes("json")) { try { return JSON.stringify(JSON.parse(text), null, 2); } catch (_) { return text; } }
    return text;
  }

  function kvTable(obj) {
    const entries = Object.entries(obj || {});
    if (!entries.length) return UI.el("p", { className: "muted", text: "(none)" });
    return UI.el("table", { className: "kv" }, entries.map(([k, v]) => UI.el("tr", {}, UI.el("td", { text: k }), UI.el("td", { text: v }))));
  }

  function side(title, part, id) {
    const body = prettyBody(part.body, part.headers);
    const n = Object.keys(part.headers || {}).length;
    return [UI.el("h3", { text: title }),
      body === null ? UI.el("p", { className: "muted", text: "(no body)" }) : UI.el("pre", { className: "body", id, text: body }),
      UI.el("details", { className: "headers" }, UI.el("summary", { text: `${n} header${n === 1 ? "" : "s"} (credentials redacted)` }), kvTable(part.headers))];
  }

  // a rule as "status 503 · path /x · times 1": the keys it sets, none of the empty or default ones
  const RULE_DEFAULTS = { when: "before", delay_ms: 0, disconnect: false };
  function ruleText(rule) {
    return Object.entries(rule)
      .filter(([k, v]) => v !== null && v !== undefined && v !== "" && k !== "id" && k !== "fired" && RULE_DEFAULTS[k] !== v)
      .map(([k, v]) => `${k.replace(/_/g, " ")} ${typeof v === "object" ? JSON.stringify(v) : v}`)
      .join(" · ");
  }

  function renderDetail(e) {
    const q = new URLSearchParams(e.query).toString();
    const nodes = [
      UI.el("p", { className: "head" }, `${e.method} ${e.path}${q ? "?" + q : ""} → ${e.status || "connection dropped"}`),
      UI.el("p", { className: "muted" }, `#${e.seq} · ${e.time} · ${e.operation ? "operation " + e.operation : "no operation matched"} · ${e.duration_ms.toFixed(1)} ms`),
    ];
    if (e.stub) {
      nodes.push(UI.el("h3", { text: "Stub answered" }), UI.el("div", { className: "fault-box", id: "detail-stub" },
        e.stub_rule ? `rule ${e.stub}: ${JSON.stringify(e.stub_rule)}` : `rule ${e.stub} (deleted since)`));
    }
    if (e.fault) {
      nodes.push(UI.el("h3", { text: "Fault fired" }), UI.el("div", { className: "fault-box", id: "detail-fault" },
        e.fault_rule ? `rule ${e.fault}: ${ruleText(e.fault_rule)}` : `rule ${e.fault} (deleted since)`));
    }
    if (e.issues && e.issues.length) {
      nodes.push(UI.el("h3", { text: `Why it was refused (${e.issues.length} validation issue${e.issues.length > 1 ? "s" : ""}, best first)` }),
        UI.el("ul", { className: "issues", id: "detail-issues" }, e.issues.map((i) => UI.el("li", {},
          UI.el("span", { className: "field", text: `${i.location} ${i.name || "(whole body)"}` }), `: ${i.message}`,
          i.keyword ? UI.el("span", { className: "muted", text: ` [${i.keyword}]` }) : null))));
    }
    if (e.error) nodes.push(UI.el("h3", { text: "Handler traceback" }), UI.el("pre", { className: "traceback", id: "detail-traceback", text: e.error }));
    nodes.push(...side("Request", e.request, "detail-request-body"), ...side("Response", e.response, "detail-response-body"));
    detail.replaceChildren(...nodes);
  }

  async function open(seq) {
    selected = seq;
    for (const tr of tbody.querySelectorAll("tr.selected")) tr.classList.remove("selected");
    const tr = tbody.querySelector(`tr[data-seq="${seq}"]`);
    if (tr) tr.classList.add("selected");
    const resp = await UI.api("GET", "data/requests/" + seq);
    if (selected !== seq) return;
    if (!resp.ok) { detail.replaceChildren(UI.el("p", { className: "muted", text: UI.errorText(resp) })); return; }
    renderDetail(resp.data);
    history.replaceState(null, "", "#seq=" + seq);
  }

  tbody.addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr[data-seq]");
    if (tr) open(Number(tr.dataset.seq));
  });
  tbody.addEventListener("keydown", (ev) => {
    const tr = ev.target.closest("tr[data-seq]");
    if (!tr) return;
    if (ev.key === "Enter") open(Number(tr.dataset.seq));
    else if (ev.key === "ArrowDown" && tr.nextElementSibling) { ev.preventDefault(); tr.nextElementSibling.focus(); }
    else if (ev.key === "ArrowUp" && tr.previousElementSibling) { ev.preventDefault(); tr.previousElementSibling.focus(); }
  });

  const m = /^#seq=(\d+)$/.exec(location.hash);
  if (m) open(Number(m[1]));
  UI.api("GET", "data/requests?" + filterQuery({ after: lastSeq })).then((r) => { if (r.ok) drawTimeline(r.data.timeline); });
  setInterval(poll, POLL_MS);
})();
