// The SPARQL editor of /query: loads the named queries as examples, sends the query to
// /sparql with fetch and shows SELECT/ASK results as a table (other results as text).
// Local file, no library; every value is inserted as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) { return; }
  var textarea = document.getElementById("query");
  var select = document.getElementById("example");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var base = form.getAttribute("data-base");
  var langParam = form.getAttribute("data-lang-param");

  document.getElementById("load-example").addEventListener("click", function () {
    var example = examples[select.value];
    if (example) { textarea.value = example.text; }
  });

  // IRIs under the dataset's base are pages on this server.
  function localHref(iri) {
    if (base && iri.indexOf(base) === 0) {
      var rest = iri.slice(base.length);
      var hash = rest.indexOf("#");
      var path = "/" + (hash < 0 ? rest : rest.slice(0, hash));
      var fragment = hash < 0 ? "" : rest.slice(hash);
      return path + (langParam ? "?" + langParam : "") + fragment;
    }
    return iri;
  }

  function cell(binding) {
    var td = document.createElement("td");
    if (!binding) { return td; }
    if (binding.type === "uri") {
      var a = document.createElement("a");
      a.href = localHref(binding.value);
      a.textContent = binding.value;
      td.appendChild(a);
    } else if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else {
      td.textContent = binding.value;
    }
    return td;
  }

  function showTable(data) {
    var table = document.createElement("table");
    table.className = "data results-table";
    var head = table.createTHead().insertRow();
    var vars = data.head.vars || [];
    vars.forEach(function (name) {
      var th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.bindings.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (name) { tr.appendChild(cell(row[name])); });
    });
    results.appendChild(table);
    status.textContent = form.getAttribute("data-rows").replace("{count}", data.results.bindings.length);
  }

  function showText(text) {
    var pre = document.createElement("pre");
    pre.textContent = text;
    results.appendChild(pre);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    results.textContent = "";
    status.textContent = "…";
    var body = new URLSearchParams();
    body.set("query", textarea.value);
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: {
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) {
        if (!response.ok) {
          status.textContent = form.getAttribute("data-error") + " " + response.status + ": " + text.trim();
          return;
        }
        if (type.indexOf("application/sparql-results+json") === 0) {
          var data = JSON.parse(text);
          if (typeof data.boolean === "boolean") {
            status.textContent = "ASK: " + data.boolean;
          } else {
            showTable(data);
          }
        } else {
          status.textContent = type;
          showText(text);
        }
      });
    }).catch(function (error) {
      status.textContent = form.getAttribute("data-error") + ": " + error;
    });
  });
})();
