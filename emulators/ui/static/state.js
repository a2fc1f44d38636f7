/* State page: tenants and records as a collapsible tree (children built when a branch is opened), the
   fields changed since the last reset highlighted; reset, download and upload (validated) of a dump. */
"use strict";

(() => {
  const tree = document.getElementById("tree");
  const CHUNK = 200; // children shown per branch before a "show more" button
  let changed = new Set();
  let changedPrefixes = new Set();

  const escapeKey = (k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

  function prefixes(pointers) {
    const out = new Set();
    for (const p of pointers) {
      const parts = p.split("/");
      for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join("/") || "");
    }
    return out;
  }

  function isChanged(pointer) {
    const parts = pointer.split("/"); // changed itself, or inside an added record
    for (let i = parts.length; i > 1; i--) if (changed.has(parts.slice(0, i).join("/"))) return true;
    return false;
  }

  function leaf(key, value, pointer) {
    const type = value === null ? "null" : typeof value;
    const shown = type === "string" ? JSON.stringify(value) : String(value);
    return UI.el("div", { className: "leaf" + (isChanged(pointer) ? " changed" : ""), "data-pointer": pointer,
      title: isChanged(pointer) ? "changed since the last reset" : null },
    UI.el("span", { className: "k", text: key }), ": ", UI.el("span", { className: `v ${type}`, text: shown }));
  }

  function fill(container, value, pointer, from) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    const slice = entries.slice(from, from + CHUNK);
    for (const [k, v] of slice) container.append(node(k, v, pointer + "/" + escapeKey(k)));
    if (from + CHUNK < entries.length) {
      const more = UI.el("button", { type: "button", className: "quiet small",
        text: `show ${Math.min(CHUNK, entries.length - from - CHUNK)} more of ${entries.length - from - CHUNK}` });
      more.addEventListener("click", () => { more.remove(); fill(container, value, pointer, from + CHUNK); });
      container.append(more);
    }
  }

  function node(key, value, pointer) {
    if (value === null || typeof value !== "object") return leaf(key, value, pointer);
    const size = Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
    const classes = [isChanged(pointer) ? "changed" : "", changedPrefixes.has(pointer) ? "has-changes" : ""].join(" ").trim();
    const details = UI.el("details", { className: classes || null, "data-pointer": pointer },
      UI.el("summary", {}, UI.el("span", { className: "k", text: key }), " ", UI.el("span", { className: "n", text: size })));
    let built = false;
    const build = () => { if (!built) { built = true; fill(details, value, pointer, 0); } };
    details.addEventListener("toggle", () => { if (details.open) build(); });
    const depth = pointer.split("/").length - 1;
    if (depth <= 2 || changedPrefixes.has(pointer)) { details.open = true; build(); }
    return details;
  }

  async function load() {
    const resp = await UI.api("GET", "data/state");
    if (!resp.ok) { UI.toast(UI.errorText(resp), true); return; }
    const d = resp.data;
    changed = new Set(d.changed);
    changedPrefixes = prefixes(d.changed.concat(d.removed));
    const tenants = Object.keys(d.state.tenants || {});
    const changes = d.changed.length + d.removed.length;
    document.getElementById("summary").textContent =
      `${tenants.length} tenant(s). ${changes ? `${d.changed.length} field(s) changed or added, ${d.removed.length} removed since the last reset${d.truncated ? " (list truncated)" : ""} — highlighted.` : "Nothing changed since the last reset."}`;
    const removed = document.getElementById("removed");
    removed.hidden = !d.removed.length;
    removed.textContent = d.removed.length ? "Removed since the last reset: " + d.removed.join(", ") : "";
    const top = [];
    for (const key of ["tenants", "global"]) if (key in d.state) top.push(node(key, d.state[key], "/" + key));
    tree.replaceChildren(...top);
  }

  document.getElementById("reload").addEventListener("click", load);
  document.getElementById("reset").addEventListener("click", async () => {
    if (!window.confirm("Reset this emulator? State goes back to the fixtures; journal, faults and clock are cleared.")) return;
    const resp = await UI.api("POST", "../reset");
    UI.toast(resp.ok ? "Reset: state restored from the fixtures, journal cleared" : UI.errorText(resp), !resp.ok);
    load();
  });
  document.getElementById("upload-file").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    let dump;
    try {
      dump = JSON.parse(await file.text());
    } catch (err) {
      UI.show("upload-result", `${file.name} is not JSON: ${err.message}`, true);
      return;
    }
    const resp = await UI.api("PUT", "../state", dump);
    if (resp.ok) {
      UI.show("upload-result", `Loaded ${file.name}.`);
      load();
    } else {
      UI.show("upload-result", `${file.name} was refused: ${UI.errorText(resp)}`, true);
    }
  });
  load();
})();
