// The SPARQL page: load a named query into the editor, run it against /sparql, show a results table.
"use strict";
(function () {
  const form = document.getElementById("sparql-form");
  const editor = document.getElementById("query");
  const table = document.getElementById("results");
  const graph = document.getElementById("graph");
  const error = document.getElementById("error");
  const count = document.getElementById("count");

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
      table.append(cell("caption", String(data.boolean)));
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

  async function run(event) {
    if (event) event.preventDefault();
    error.hidden = true;
    graph.hidden = true;
    table.replaceChildren();
    count.textContent = "…";
    const body = new URLSearchParams({ query: editor.value });
    const accept = "application/sparql-results+json, text/turtle;q=0.9";
    try {
      const r = await fetch("/sparql", { method: "POST", body, headers: { Accept: accept } });
      const type = r.headers.get("content-type") || "";
      if (!r.ok) {
        const problem = type.includes("json") ? await r.json() : { detail: await r.text() };
        throw new Error(r.status + " — " + (problem.detail || problem.title));
      }
      if (type.includes("sparql-results+json")) {
        render(await r.json());
      } else {
        graph.textContent = await r.text();
        graph.hidden = false;
        count.textContent = "";
      }
    } catch (e) {
      count.textContent = "";
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  form.addEventListener("submit", run);
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e);
  });
  document.querySelectorAll("button.load").forEach((button) => {
    button.addEventListener("click", () => {
      editor.value = document.getElementById("q-" + button.dataset.name).content.textContent;
      editor.focus();
      run();
    });
  });
})();
