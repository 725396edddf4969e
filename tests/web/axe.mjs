// Run axe-core in headless Chromium on web editions; print one JSON report on stdout.
// Usage: node axe.mjs CHROMIUM FILE.html [FILE.html …]
// For every file: axe at 1280 px and 390 px (all rules axe runs by default), and the page width at
// 320 px (horizontal overflow). Local files only: every request outside file:// is refused.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [chromium, ...files] = process.argv.slice(2);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
const report = [];
try {
  for (const file of files) {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on("request", (request) => (request.url().startsWith("file:") || request.url().startsWith("data:")
      ? request.continue() : request.abort()));
    const url = pathToFileURL(file).href;
    const entry = { file, runs: [] };
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      await page.goto(url, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")), count: v.nodes.length }));
      });
      entry.runs.push({ width, violations: result });
    }
    await page.setViewport({ width: 320, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    entry.overflow320 = await page.evaluate(() => {
      const wide = [];
      const limit = document.documentElement.clientWidth;
      for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.right > limit + 0.5 && getComputedStyle(el).position !== "fixed") {
          let clipped = false;   // inside a scrolling region: its own scrollbar, not the page's
          for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const s = getComputedStyle(p).overflowX;
            if (s === "auto" || s === "scroll" || s === "hidden") { clipped = true; break; }
          }
          if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""));
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, clientWidth: limit, wide: wide.slice(0, 10) };
    });
    report.push(entry);
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1));
