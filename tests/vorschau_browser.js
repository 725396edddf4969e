// Drives headless Chromium over the DevTools protocol: open the preview, scroll, save a chapter, and
// report what the reloaded page shows (called from tests/test_preview.py).
"use strict";
const fs = require("fs");
const [cdpPort, url, file, sentence] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  let list = [];
  for (let i = 0; i < 100 && !list.some((t) => t.type === "page"); i++) {
    try { list = await (await fetch(`http://127.0.0.1:${cdpPort}/json/list`)).json(); } catch (e) { await sleep(100); }
  }
  const ws = new WebSocket(list.find((t) => t.type === "page").webSocketDebuggerUrl);
  let id = 0;
  const waiting = {};
  ws.onmessage = (m) => { const d = JSON.parse(m.data); if (d.id && waiting[d.id]) { waiting[d.id](d); delete waiting[d.id]; } };
  await new Promise((r) => (ws.onopen = r));
  const send = (method, params = {}) => new Promise((r) => { const i = ++id; waiting[i] = r; ws.send(JSON.stringify({id: i, method, params})); });
  const ev = async (expr) => (await send("Runtime.evaluate", {expression: expr, returnByValue: true})).result.result.value;
  await send("Page.navigate", {url});
  for (let i = 0; i < 300 && !(await ev("document.readyState === 'complete' && !!document.getElementById('amip-vorschau')")); i++) {
    await sleep(100);
  }
  await sleep(500);  // the event stream is open
  const before = await ev("window.scrollTo(0, 3000); window.__alt = 1; window.scrollY");
  // the script saves the position a moment after scrolling
  for (let i = 0; i < 100 && (await ev("sessionStorage.getItem('amip-vorschau-scroll:/')")) !== "3000"; i++) {
    await sleep(100);
  }
  fs.appendFileSync(file, "\n" + sentence + "\n");
  let after = null;
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    after = await ev(`window.__alt === undefined && document.readyState === 'complete' ? [window.scrollY, document.body.innerHTML.includes(${JSON.stringify(sentence)})] : null`);
    if (after) { break; }
  }
  await sleep(300);  // the 'load' restore has run
  after = await ev(`[window.scrollY, document.body.innerHTML.includes(${JSON.stringify(sentence)})]`);
  process.stdout.write(JSON.stringify({before, after}));
  ws.close();
  process.exit(0);
})();
