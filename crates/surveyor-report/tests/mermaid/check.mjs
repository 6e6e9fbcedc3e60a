// Parses every ```mermaid block of the Markdown files given with the real Mermaid parser.
// Usage: node check.mjs FILE.md ...   (needs `mermaid` and `jsdom` installed: see check.sh)
// Exit 0 when every block parses, 1 when one does not, 2 on a usage error.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ["Element", "HTMLElement", "Node", "DocumentFragment", "DOMParser", "navigator"]) {
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs FILE.md ...");
  process.exit(2);
}
let blocks = 0;
let failed = 0;
for (const f of files) {
  const text = readFileSync(f, "utf8");
  const re = /```mermaid\n([\s\S]*?)```/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    blocks++;
    try {
      const r = await mermaid.parse(m[1]);
      if (!r) throw new Error("parse returned false");
    } catch (e) {
      failed++;
      console.error(`${f}: block ${blocks}: ${String(e && e.message ? e.message : e).slice(0, 800)}`);
    }
  }
}
if (blocks === 0) {
  console.error("no mermaid block found");
  process.exit(1);
}
console.log(`mermaid: ${blocks - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
