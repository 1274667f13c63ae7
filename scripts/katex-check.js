// Render LaTeX with KaTeX in strict mode: a JSON list of strings on stdin, a JSON list on stdout,
// null for each that renders and the error message for each that does not.
// Used by tests/test_latex_compiles.py; KaTeX comes from scripts/install-katex (build/katex).
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "build", "katex", "node_modules", "katex"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((tex) => {
    try {
      katex.renderToString(tex, { displayMode: true, throwOnError: true, strict: "error" });
      return null;
    } catch (e) {
      return String(e.message || e);
    }
  });
  process.stdout.write(JSON.stringify(out));
});
