// Renders generated pages the way a reader sees them: markdown to HTML (markdown-it), every
// ```mermaid block drawn by mermaid.js (the version Obsidian ships) in headless Chromium, in a
// light and a dark theme. Fails (exit 1) on any Mermaid parse or render error, and saves one PNG
// per page and theme.
//
//   node render-check.mjs OUT_DIR FILE_OR_FOLDER...
//
// Environment: CHROMIUM (default: chromium on PATH), THEMES (default "light,dark").
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import MarkdownIt from "markdown-it";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const MERMAID = path.join(here, "node_modules", "mermaid", "dist", "mermaid.min.js");
const STYLE = fs.readFileSync(path.join(here, "page.css"), "utf8");

function chromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error("no chromium found: apt-get install chromium (or set CHROMIUM)");
}

function pages(args) {
  const found = [];
  for (const arg of args) {
    if (fs.statSync(arg).isDirectory()) {
      for (const entry of fs.readdirSync(arg, { recursive: true })) {
        if (String(entry).endsWith(".md")) found.push(path.join(arg, String(entry)));
      }
    } else {
      found.push(arg);
    }
  }
  return found.sort();
}

const markdown = new MarkdownIt({ html: false, linkify: false });
const fence = markdown.renderer.rules.fence;
markdown.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token.info.trim() === "mermaid") {
    return `<pre class="mermaid">${markdown.utils.escapeHtml(token.content)}</pre>\n`;
  }
  return fence(tokens, idx, options, env, self);
};

// [[Note]] and [[Note|label]] (`\|` in tables) as Obsidian shows them: the label, in the accent
// colour; escaped brackets and text inside fences stay as written.
function wikilinks(text) {
  return text
    .split(/(^```[\s\S]*?^```$)/m)
    .map((part, i) =>
      i % 2
        ? part
        : part.replace(/(?<!\\)\[\[([^\[\]|]+?)(?:\\?\|([^\[\]]+?))?\]\]/g, (_, target, label) =>
            `[${label || target.split("/").pop()}](#)`,
          ),
    )
    .join("");
}

function html(theme) {
  return `<!doctype html><html class="theme-${theme}"><head><meta charset="utf-8">
<style>${STYLE}</style></head><body><main></main></body></html>`;
}

// One browser tab per theme, mermaid.js loaded once in it; each page's HTML goes into <main>
// in turn, its Mermaid blocks are parsed and drawn, and the tab is photographed.
async function themedTab(browser, theme) {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 860, height: 600, deviceScaleFactor: 1 });
  tab.problems = [];
  tab.on("pageerror", (error) => tab.problems.push(`page error: ${error.message}`));
  await tab.setContent(html(theme), { waitUntil: "load" });
  await tab.addScriptTag({ path: MERMAID });
  await tab.evaluate((theme) => {
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: theme === "dark" ? "dark" : "default",
    });
  }, theme);
  return tab;
}

async function render(tab, file, out) {
  tab.problems = [];
  const body = wikilinks(fs.readFileSync(file, "utf8").replace(/^---\n[\s\S]*?\n---\n/, ""));
  const result = await tab.evaluate(async (content) => {
    const main = document.querySelector("main");
    main.innerHTML = content;
    const errors = [];
    const blocks = [...main.querySelectorAll("pre.mermaid")];
    for (const [i, block] of blocks.entries()) {
      try {
        await window.mermaid.parse(block.textContent);
      } catch (error) {
        errors.push(`block ${i + 1}: ${error.message || error}`);
      }
    }
    try {
      await window.mermaid.run({ nodes: blocks });
    } catch (error) {
      errors.push(`render: ${error.message || error}`);
    }
    for (const [i, block] of blocks.entries()) {
      const svg = block.querySelector("svg");
      if (!svg) errors.push(`block ${i + 1}: no diagram drawn`);
      else if (/Syntax error/i.test(svg.textContent)) errors.push(`block ${i + 1}: syntax error`);
    }
    return { errors, blocks: blocks.length };
  }, markdown.render(body));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await tab.screenshot({ path: out, fullPage: true });
  return { problems: [...tab.problems, ...result.errors], blocks: result.blocks };
}

async function main() {
  const [outDir, ...args] = process.argv.slice(2);
  if (!outDir || args.length === 0) {
    console.error("usage: node render-check.mjs OUT_DIR FILE_OR_FOLDER...");
    process.exit(2);
  }
  const themes = (process.env.THEMES || "light,dark").split(",");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "render-check-"));
  const browser = await puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  let failed = 0;
  let charts = 0;
  const files = pages(args);
  try {
    for (const theme of themes) {
      const tab = await themedTab(browser, theme);
      for (const file of files) {
        const name = path.basename(file, ".md").replace(/[^\p{L}\p{N} ._()-]/gu, "_");
        const out = path.join(outDir, `${name}.${theme}.png`);
        const { problems, blocks } = await render(tab, file, out);
        charts += blocks;
        for (const problem of problems) console.error(`${file} (${theme}): ${problem}`);
        if (problems.length) failed += 1;
      }
      await tab.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const mermaid = JSON.parse(
    fs.readFileSync(path.join(here, "node_modules", "mermaid", "package.json"), "utf8"),
  ).version;
  console.log(
    `render check: ${files.length} pages, ${charts / themes.length} Mermaid charts, ` +
      `themes ${themes.join("/")}, mermaid ${mermaid}: ` +
      (failed ? `${failed} failed` : "all drawn") +
      `; PNGs in ${outDir}`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`render check: ${error.stack || error}`);
  process.exit(1);
});
