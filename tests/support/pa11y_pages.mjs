// pa11y (HTML_CodeSniffer's WCAG 2 AA rules) on several pages with one Chromium: each page in a
// browser context of its own (no cookie but the one given), as a pa11y run of its own would see it.
// Usage: node pa11y_pages.mjs CONFIG.json, where CONFIG is
//   {"chromium": PATH, "args": [...], "options": {pa11y's options}, "pages": {NAME: {"url": URL, "cookie": C}}}
// Prints {NAME: [the issues pa11y found]} as JSON.
import { readFileSync } from "node:fs";

import pa11y from "pa11y";
import puppeteer from "puppeteer";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await puppeteer.launch({ executablePath: config.chromium, args: config.args });
const found = {};
try {
  for (const [name, { url, cookie }] of Object.entries(config.pages)) {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      const headers = cookie ? { Cookie: cookie } : {};
      found[name] = (await pa11y(url, { ...config.options, headers, browser, page })).issues;
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(found));
