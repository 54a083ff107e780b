// The query page: run the editor's query against /sparql, show the results table (or the graph), put the caret
// where a syntax error is. Named queries load through their form (the server binds their fields).
"use strict";
(function () {
  const form = document.getElementById("sparql-form");
  const editor = document.getElementById("query");
  const table = document.getElementById("results");
  const graph = document.getElementById("graph");
  const error = document.getElementById("error");
  const count = document.getElementById("count");
  const truncated = document.getElementById("truncated");

  function cell(tag, text) {
    const el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function show(binding) {
    if (!binding) return "";
    if (binding.type === "literal" && binding["xml:lang"]) return binding.value + " @" + binding["xml:lang"];
    return binding.value;
  }

  function render(data) {
    table.replaceChildren();
    if (typeof data.boolean === "boolean") {
      count.textContent = "";
      table.append(cell("caption", data.boolean ? table.dataset.true : table.dataset.false));
      return;
    }
    const vars = data.head.vars;
    const head = document.createElement("tr");
    vars.forEach((v) => { const th = cell("th", "?" + v); th.scope = "col"; head.append(th); });
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    for (const row of data.results.bindings) {
      const tr = document.createElement("tr");
      for (const v of vars) {
        const td = document.createElement("td");
        const b = row[v];
        if (b && b.type === "uri") {
          const a = document.createElement("a");
          const local = b.value.startsWith("https://w3id.org/dci-kg/id/");
          a.href = local ? "/id/" + b.value.slice("https://w3id.org/dci-kg/id/".length) : b.value;
          a.textContent = b.value;
          td.append(a);
        } else {
          td.textContent = show(b);
        }
        tr.append(td);
      }
      tbody.append(tr);
    }
    table.append(thead, tbody);
    count.textContent = "— " + table.dataset.rowsLabel.replace("{n}", data.results.bindings.length);
  }

  // the caret at line/column (from 1) of the editor's text, the line in view
  function caret(line, column) {
    const lines = editor.value.split("\n");
    if (!line || line > lines.length + 1) return;
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, (column || 1) - 1);
    editor.focus();
    editor.setSelectionRange(offset, Math.min(offset + 1, editor.value.length));
  }

  function refused(status, problem) {
    error.replaceChildren();
    let head = status + " — " + error.dataset.refused;
    if (problem.line) head += " — " + error.dataset.at.replace("{line}", problem.line).replace("{column}", problem.column);
    const detail = cell("code", problem.detail || problem.title || "");
    detail.lang = "en";
    error.append(head, document.createElement("br"), detail);
    error.dataset.line = problem.line || "";
    error.dataset.column = problem.column || "";
    error.hidden = false;
    if (problem.line) caret(problem.line, problem.column);
  }

  async function run(event) {
    if (event) event.preventDefault();
    error.hidden = true;
    graph.hidden = true;
    truncated.hidden = true;
    table.replaceChildren();
    count.textContent = "…";
    const body = new URLSearchParams({ query: editor.value });
    const accept = "application/sparql-results+json, text/turtle;q=0.9";
    try {
      const r = await fetch("/sparql", { method: "POST", body, headers: { Accept: accept } });
      const type = r.headers.get("content-type") || "";
      if (!r.ok) {
        count.textContent = "";
        refused(r.status, type.includes("json") ? await r.json() : { detail: await r.text() });
        return;
      }
      truncated.hidden = r.headers.get("DCIKG-Truncated") !== "true";
      if (type.includes("sparql-results+json")) {
        render(await r.json());
      } else {
        graph.textContent = await r.text();
        graph.hidden = false;
        count.textContent = "";
      }
    } catch (e) {
      count.textContent = "";
      refused("", { detail: e.message });
    }
  }

  form.addEventListener("submit", run);
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e);
  });
  if (editor.dataset.autorun === "true") run();
  else if (!error.hidden && error.dataset.line) caret(Number(error.dataset.line), Number(error.dataset.column));
})();
