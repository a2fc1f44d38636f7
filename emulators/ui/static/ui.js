/* The emulator dashboard: shared helpers and the Faults, Clock and Namespaces pages.
   Plain JavaScript, no framework. Every URL is relative to <base href=".../__emulator/ui/">;
   every POST/PUT/DELETE sends Content-Type: application/json. */
"use strict";

const UI = (() => {
  async function api(method, url, body) {
    const init = { method, headers: { Accept: "application/json" }, cache: "no-store" };
    if (method !== "GET" && method !== "HEAD") {  // the control plane takes no state change sent otherwise
      init.headers["Content-Type"] = "application/json";
      if (method !== "DELETE" || body !== undefined) init.body = body === undefined ? "" : JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(url, init);
    } catch (err) {
      return { ok: false, status: 0, data: { error: "the emulator is not reachable (" + err.message + ")" } };
    }
    const text = await resp.text();
    let data = text;
    try { data = text ? JSON.parse(text) : null; } catch (_) { /* not JSON: keep the text */ }
    return { ok: resp.ok, status: resp.status, data };
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "className") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /* One line for a failed control call: the control plane's {"error", "issues"} envelope. */
  function errorText(resp) {
    const d = resp.data;
    if (d && typeof d === "object" && d.error) {
      const issues = (d.issues || []).map((i) => `  ${i.location} ${i.name || "(body)"}: ${i.message}`);
      return [`${resp.status}: ${d.error}`, ...issues].join("\n");
    }
    return `${resp.status}: ${typeof d === "string" ? d.slice(0, 300) : "request failed"}`;
  }

  let toastTimer = 0;
  function toast(message, isError) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = isError ? "error" : "";
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, isError ? 6000 : 2500);
  }

  function show(id, message, isError) {
    const box = document.getElementById(id);
    box.textContent = message;
    box.className = "result" + (isError ? " error" : "");
    box.hidden = false;
  }

  return { api, el, errorText, toast, show };
})();

/* Faults ------------------------------------------------------------------------------------ */
function initFaults() {
  const rows = document.getElementById("fault-rows");
  const cell = (v) => UI.el("td", { text: v === undefined || v === null ? "" : String(v) });

  async function refresh() {
    const resp = await UI.api("GET", "../faults");
    if (!resp.ok) return UI.toast(UI.errorText(resp), true);
    rows.replaceChildren(...resp.data.faults.map((f) => UI.el("tr", { "data-id": f.id },
      cell(f.id), cell(f.when), cell(f.operation || "any"), cell(f.method || "any"), cell(f.path || "any"),
      cell(f.status), cell(f.delay_ms || ""), cell(f.disconnect ? "yes" : ""), cell(f.times || "∞"),
      cell(f.probability), cell(f.fired), cell(f.message),
      UI.el("td", {}, UI.el("button", { type: "button", className: "delete small", "data-id": f.id, text: "Delete" })))));
    document.getElementById("no-faults").hidden = resp.data.faults.length > 0;
  }

  rows.addEventListener("click", async (ev) => {
    const button = ev.target.closest("button.delete");
    if (!button) return;
    const resp = await UI.api("DELETE", "../faults/" + encodeURIComponent(button.dataset.id));
    if (!resp.ok) UI.toast(UI.errorText(resp), true);
    else UI.toast(`Rule ${button.dataset.id} deleted`);
    refresh();
  });
  document.getElementById("clear-faults").addEventListener("click", async () => {
    const resp = await UI.api("DELETE", "../faults");
    UI.toast(resp.ok ? `${resp.data.cleared} rule(s) deleted` : UI.errorText(resp), !resp.ok);
    refresh();
  });
  document.getElementById("fault-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const rule = {};
    for (const name of ["operation", "method", "path", "message", "when"]) {
      const v = form.elements[name].value.trim();
      if (v) rule[name] = v;
    }
    for (const name of ["status", "delay_ms", "times"]) {
      const v = form.elements[name].value.trim();
      if (v) rule[name] = parseInt(v, 10);
    }
    const p = form.elements.probability.value.trim();
    if (p) rule.probability = parseFloat(p);
    if (form.elements.disconnect.checked) rule.disconnect = true;
    const resp = await UI.api("POST", "../faults", rule);
    if (resp.ok) {
      UI.show("fault-result", `Rule ${resp.data.id} added: ${JSON.stringify(rule)}`);
      refresh();
    } else {
      UI.show("fault-result", UI.errorText(resp), true);
    }
  });
  setInterval(refresh, 2000); // the fired counters move as requests come in
}

/* Clock ------------------------------------------------------------------------------------- */
function initClock() {
  function render(c) {
    document.getElementById("now").textContent = c.now;
    const badge = document.getElementById("frozen");
    badge.textContent = c.frozen ? "frozen" : "running";
    badge.className = "badge" + (c.frozen ? " on" : "");
  }
  async function change(body, what) {
    const resp = await UI.api("POST", "../clock", body);
    if (!resp.ok) return UI.show("clock-result", UI.errorText(resp), true);
    render(resp.data);
    UI.show("clock-result", `${what}: now ${resp.data.now}${resp.data.frozen ? " (frozen)" : ""}`);
  }
  async function tick() {
    const resp = await UI.api("GET", "../clock");
    if (resp.ok) render(resp.data);
  }
  document.getElementById("advance-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const n = parseFloat(document.getElementById("advance-seconds").value);
    if (Number.isNaN(n)) return UI.show("clock-result", "Advance by: enter a number of seconds", true);
    change({ advance_seconds: n }, `Advanced ${n} s`);
  });
  for (const b of document.querySelectorAll("[data-advance]")) {
    b.addEventListener("click", () => change({ advance_seconds: Number(b.dataset.advance) }, `Advanced ${b.textContent}`));
  }
  document.getElementById("set-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    change({ set: document.getElementById("set-value").value.trim() }, "Set");
  });
  document.getElementById("freeze").addEventListener("click", () => change({ freeze: true }, "Frozen"));
  document.getElementById("unfreeze").addEventListener("click", () => change({ freeze: false }, "Running"));
  document.getElementById("clock-reset").addEventListener("click", () => change({ reset: true }, "Reset to real time"));
  setInterval(tick, 1000);
}

/* Namespaces -------------------------------------------------------------------------------- */
function initNamespaces() {
  const current = document.body.dataset.namespace;
  async function refresh() {
    const resp = await UI.api("GET", "data/namespaces");
    if (!resp.ok) return;
    document.getElementById("ns-rows").replaceChildren(...resp.data.namespaces.map((ns) =>
      UI.el("tr", { className: ns.name === current ? "current" : null },
        UI.el("td", {}, ns.name ? UI.el("code", { text: ns.name }) : "(default)"),
        UI.el("td", { text: ns.requests }),
        UI.el("td", {}, UI.el("a", { href: ns.ui, text: ns.ui })))));
  }
  setInterval(refresh, 2000);
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "faults") initFaults();
  else if (page === "clock") initClock();
  else if (page === "namespaces") initNamespaces();
});
