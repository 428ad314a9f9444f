// The page as `scripts/serve.sh` serves it (trunk serve, with Trunk's live-reload
// script): no console errors, and the live-reload WebSocket connects under the page's
// Content-Security-Policy. It needs a running server, so it runs only when SERVE_URL
// names one:
//
//   PORT=8790 bash scripts/serve.sh &        # wait for "server listening"
//   cd tests/e2e && SERVE_URL=http://127.0.0.1:8790/ node --test specs/served.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../lib/harness.mjs";
import { APP_TOOK_OVER } from "../lib/page.mjs";

const url = process.env.SERVE_URL;

test(
  "the page served by scripts/serve.sh logs no errors and its live reload connects",
  { skip: !url && "set SERVE_URL to the address scripts/serve.sh printed" },
  async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      const socket = page.waitForEvent("websocket", {
        predicate: (ws) => ws.url().endsWith("/.well-known/trunk/ws"),
        timeout: 30_000,
      });
      await page.goto(url);
      await page.locator(APP_TOOK_OVER).waitFor({ state: "attached", timeout: 60_000 });
      const ws = await socket;
      // Still open a moment later: the policy let it connect.
      await page.waitForTimeout(1000);
      assert.equal(ws.isClosed(), false, "the live-reload WebSocket stays open");
      assert.deepEqual(errors, [], "no console errors");
    } finally {
      await browser.close();
    }
  },
);
