// Runs src/amip/preview/vorschau.js in node with a minimal browser: window, document, sessionStorage,
// EventSource, location. Prints a JSON log of what the script did (called from tests/test_preview.py).
"use strict";
const fs = require("fs");
const vm = require("vm");
const [script, scenario] = [fs.readFileSync(process.argv[2], "utf8"), process.argv[3]];
const log = [];
const storage = JSON.parse(process.argv[4] || "{}");
const listeners = {};
const sources = [];
function element(attrs) {
  return {
    attrs: Object.assign({}, attrs), children: [], style: {}, classList: {
      set: new Set(), add(c) { this.set.add(c); }, remove(c) { this.set.delete(c); } },
    getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
    setAttribute(n, v) { this.attrs[n] = String(v); },
    removeAttribute(n) { delete this.attrs[n]; },
    appendChild(c) { this.children.push(c); }, querySelector() { return null; },
    set textContent(t) { this.children = [t]; }, get textContent() { return this.children.join(""); },
  };
}
const box = element({"data-seite": "3"});
const pdf = element({"data-zustand": "wird gesetzt"});
const window = {
  scrollY: 0,
  scrollTo(x, y) { log.push(["scrollTo", y]); this.scrollY = y; },
  addEventListener(name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
  setTimeout(fn) { fn(); },
};
const context = {
  window, console,
  document: {
    getElementById(id) { return id === "amip-vorschau" ? box : id === "amip-pdf" ? pdf : null; },
    createElement() { return element({}); }, createTextNode(t) { return t; },
  },
  sessionStorage: { getItem(k) { return k in storage ? storage[k] : null; }, setItem(k, v) { storage[k] = v; } },
  location: { pathname: "/", hash: "#kapitel-2", reload() { log.push(["reload"]); } },
  EventSource: function (url) { this.url = url; this.handlers = {}; sources.push(this);
    this.addEventListener = (name, fn) => { this.handlers[name] = fn; }; },
  Date,
};
vm.createContext(context);
vm.runInContext(script, context);
(listeners.load || []).forEach((fn) => fn());
const source = sources[0];
log.push(["stream", source.url]);
if (scenario === "scroll-then-new-page") {
  window.scrollY = 1234;
  listeners.scroll.forEach((fn) => fn());
  source.handlers.pdf({data: JSON.stringify({seite: 3, pdf: {zustand: "aktuell", url: "/druck/a.pdf", hinweis: ""}})});
  log.push(["pdf", pdf.getAttribute("data-zustand"), pdf.children.length]);
  window.scrollY = 2000;
  source.handlers.neu({data: JSON.stringify({seite: 4, pdf: {zustand: "wird gesetzt", url: null, hinweis: ""}})});
}
log.push(["storage", storage]);
process.stdout.write(JSON.stringify(log));
