// The SPARQL editor of /query: syntax highlighting, Ctrl+Enter, prefixes to insert, the query
// sent to /sparql with fetch, SELECT/ASK results as a table sortable by any column, the
// result as CSV and JSON, and a permalink that reloads query and result.
// Local file, no library (the highlighter is the small tokenizer below); every value is
// inserted as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form) { return; }
  var textarea = document.getElementById("query");
  var highlight = form.querySelector("pre.highlight");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var base = form.getAttribute("data-base");
  var root = form.getAttribute("data-root") || "";  // "/release/<id>" on an older release
  var lang = form.getAttribute("data-lang") || "de";
  var langParam = form.getAttribute("data-lang-param");

  // --- the example form: show the parameters of the chosen query only -------------------
  var select = document.getElementById("example");
  function showParameters() {
    var spans = document.querySelectorAll(".example-params");
    Array.prototype.forEach.call(spans, function (span) {
      var mine = span.getAttribute("data-for") === select.value;
      span.hidden = !mine;
      Array.prototype.forEach.call(span.querySelectorAll("input"), function (input) {
        input.disabled = !mine;
      });
    });
  }
  if (select) { select.addEventListener("change", showParameters); }

  // --- highlighting: a tokenizer of SPARQL, drawn under a transparent textarea ------------
  var KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE FILTER OPTIONAL " +
    "UNION GRAPH BIND AS VALUES ORDER BY GROUP HAVING LIMIT OFFSET DISTINCT REDUCED FROM " +
    "NAMED MINUS EXISTS NOT IN ASC DESC COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR " +
    "STR LANG LANGMATCHES DATATYPE IRI URI BOUND COALESCE IF CONCAT REPLACE REGEX STRAFTER " +
    "STRBEFORE STRSTARTS STRENDS CONTAINS LCASE UCASE YEAR ISIRI ISLITERAL ISBLANK UNDEF " +
    "SERVICE SILENT TRUE FALSE A").split(" "));
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                              // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                // 3 IRI
    "([?$][A-Za-z0-9_\\u00B7\\u00C0-\\uFFFF]+)",               // 4 variable
    "([A-Za-z][\\w.-]*)?(:[\\w.%-]*)",                           // 5, 6 prefixed name
    "(\\b[0-9]+(?:\\.[0-9]+)?\\b)",                              // 7 number
    "([A-Za-z_]+)"                                              // 8 word
  ].join("|"), "g");
  var KINDS = { 1: "com", 2: "str", 3: "iri", 4: "var", 7: "num" };

  function tokens(text) {
    var parts = [];
    var done = 0;
    TOKEN.lastIndex = 0;
    var match;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match[0] === "") { TOKEN.lastIndex += 1; continue; }
      if (match.index > done) { parts.push([null, text.slice(done, match.index)]); }
      var kind = null;
      for (var group in KINDS) { if (match[group] !== undefined) { kind = KINDS[group]; } }
      if (match[6] !== undefined) { kind = "pn"; }
      if (match[8] !== undefined && KEYWORDS.has(match[8].toUpperCase())) { kind = "kw"; }
      parts.push([kind, match[0]]);
      done = match.index + match[0].length;
    }
    parts.push([null, text.slice(done)]);
    return parts;
  }

  function paint() {
    highlight.textContent = "";
    tokens(textarea.value + "\n").forEach(function (part) {
      if (part[0] === null) {
        highlight.appendChild(document.createTextNode(part[1]));
      } else {
        var span = document.createElement("span");
        span.className = "tk-" + part[0];
        span.textContent = part[1];
        highlight.appendChild(span);
      }
    });
    highlight.scrollTop = textarea.scrollTop;
    highlight.scrollLeft = textarea.scrollLeft;
  }
  if (highlight) {
    form.querySelector(".editor-area").classList.add("highlighting");
    textarea.addEventListener("input", paint);
    textarea.addEventListener("scroll", function () {
      highlight.scrollTop = textarea.scrollTop;
      highlight.scrollLeft = textarea.scrollLeft;
    });
    paint();
  }

  // --- Ctrl+Enter (Cmd+Enter) runs; a prefix button declares its prefix -------------------
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  Array.prototype.forEach.call(form.querySelectorAll("button.prefix"), function (button) {
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-prefix");
      var declared = new RegExp("PREFIX\\s+" + prefix + ":", "i");
      if (!declared.test(textarea.value)) {
        var line = "PREFIX " + prefix + ": <" + button.getAttribute("data-namespace") + ">\n";
        // After the header comments, where the other PREFIX lines of a named query are.
        var lines = textarea.value.split("\n");
        var at = 0;
        while (at < lines.length && /^\s*#/.test(lines[at])) { at += 1; }
        lines.splice(at, 0, line.slice(0, -1));
        textarea.value = lines.join("\n");
        if (highlight) { paint(); }
      }
      textarea.focus();
    });
  });

  // --- results ------------------------------------------------------------------------------
  // IRIs under the dataset's base are pages on this server.
  function localHref(iri) {
    if (base && iri.indexOf(base) === 0) {
      var rest = iri.slice(base.length);
      var hash = rest.indexOf("#");
      var path = root + "/" + (hash < 0 ? rest : rest.slice(0, hash));
      var fragment = hash < 0 ? "" : rest.slice(hash);
      return path + (langParam ? "?" + langParam : "") + fragment;
    }
    return iri;
  }

  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|gYear)$/;
  function isNumber(binding) {
    return binding && binding.type === "literal" && NUMERIC.test(binding.datatype || "") &&
      isFinite(Number(binding.value));
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
      if (isNumber(binding)) { td.className = "num"; }
    }
    return td;
  }

  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  function compare(a, b) {
    if (!a || !b) { return a ? -1 : (b ? 1 : 0); }  // unbound last
    if (isNumber(a) && isNumber(b)) { return Number(a.value) - Number(b.value); }
    return collator.compare(a.value, b.value);
  }

  function showTable(data) {
    var vars = data.head.vars || [];
    var rows = data.results.bindings.slice();
    var table = document.createElement("table");
    table.className = "data results-table";
    var head = table.createTHead().insertRow();
    var body = table.createTBody();
    var sorted = { name: null, descending: false };
    function fill() {
      body.textContent = "";
      rows.forEach(function (row) {
        var tr = body.insertRow();
        vars.forEach(function (name) { tr.appendChild(cell(row[name])); });
      });
    }
    vars.forEach(function (name) {
      var th = document.createElement("th");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = name;
      button.addEventListener("click", function () {
        sorted.descending = sorted.name === name ? !sorted.descending : false;
        sorted.name = name;
        rows.sort(function (a, b) {
          var order = compare(a[name], b[name]);
          return sorted.descending ? -order : order;
        });
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sorted.descending ? "descending" : "ascending");
        fill();
      });
      th.appendChild(button);
      head.appendChild(th);
    });
    fill();
    results.appendChild(table);
    status.textContent = form.getAttribute("data-rows").replace("{count}", data.results.bindings.length);
  }

  function showText(text) {
    var pre = document.createElement("pre");
    pre.textContent = text;
    results.appendChild(pre);
  }

  function withLang(path) {
    return langParam ? path + "&" + langParam : path;
  }

  function offerDownloads(query, table) {
    var encoded = encodeURIComponent(query);
    document.getElementById("as-csv").href = root + "/sparql?query=" + encoded + "&format=csv";
    document.getElementById("as-json").href = root + "/sparql?query=" + encoded + "&format=json";
    document.getElementById("as-csv").hidden = !table;
    document.getElementById("as-json").hidden = !table;
    var permalink = withLang(root + "/query?query=" + encoded + "&run=1");
    document.getElementById("permalink").href = permalink;
    downloads.hidden = false;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", permalink);
    }
  }

  function problem(code, text) {
    var key = code === 503 ? "data-busy" : (code === 400 ? "data-refused" : "data-error");
    status.textContent = form.getAttribute(key) + " ";
    var detail = document.createElement("code");
    detail.lang = "en";  // the engine's message, as it gives it
    detail.textContent = code + ": " + text.trim();
    status.appendChild(detail);
  }

  function run() {
    results.textContent = "";
    downloads.hidden = true;
    status.textContent = "…";
    var query = textarea.value;
    var body = new URLSearchParams();
    body.set("query", query);
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
          problem(response.status, text);
          return;
        }
        if (type.indexOf("application/sparql-results+json") === 0) {
          var data = JSON.parse(text);
          if (typeof data.boolean === "boolean") {
            status.textContent = "ASK: " + data.boolean;
            offerDownloads(query, true);
          } else {
            showTable(data);
            offerDownloads(query, true);
          }
        } else {
          status.textContent = type;
          showText(text);
          offerDownloads(query, false);
        }
      });
    }).catch(function (error) {
      status.textContent = form.getAttribute("data-error") + ": " + error;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  if (form.getAttribute("data-run") === "1") { run(); }  // a permalink: the result at once
})();
