// Shared helpers for the end-to-end specs: serve the release build, drive the system
// Chromium with playwright-core, and record what a page does that it should not
// (console errors, uncaught exceptions, failed loads, requests to another origin).
//
//   const app = await startApp();          // once per spec file, in before()
//   const visit = await app.open("/?partitions=6");
//   await visit.page.getByRole("button", { name: "Send" }).click();
//   await visit.screenshots("partition-assignment");
//   visit.assertClean();
//   await visit.close();
//   await app.close();                     // in after()

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { APP_TOOK_OVER, allLive } from "./page.mjs";
import { serveDir } from "./server.mjs";

const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the release build is: $DIST_DIR, or dist/ at the repository root. */
export const DIST_DIR = resolve(process.env.DIST_DIR ?? join(E2E_DIR, "..", "..", "dist"));

/** Where screenshots go (ignored by git). */
export const SCREENSHOT_DIR = join(E2E_DIR, "screenshots");

/** The widths every screenshot is taken at: a small phone and a wide desktop. */
export const SCREENSHOT_WIDTHS = [375, 1440];

/** What the page shows once its content is painted (rendered at build time). */
export const APP_READY_SELECTOR = "h1";

// The machine has no internet: without these Chromium keeps trying to reach it.
export const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
  ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
];

/**
 * Serves the release build and launches headless Chromium. Playwright gives the
 * browser a fresh, temporary --user-data-dir of its own on every launch.
 */
export async function startApp({ distDir = DIST_DIR } = {}) {
  if (!existsSync(join(distDir, "index.html"))) {
    throw new Error(`no ${distDir}/index.html: run 'trunk build --release' first`);
  }
  const server = await serveDir(distDir);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return new App(server, browser);
}

/**
 * For a spec file: serves the build and starts Chromium before its tests, closes both
 * after them. Returns the App, whose methods work once the tests run.
 */
export function useApp(options) {
  let app;
  before(async () => {
    app = await startApp(options);
  });
  after(async () => {
    await app?.close();
  });
  return new Proxy(
    {},
    {
      get(_, name) {
        if (!app) throw new Error("useApp(): the app starts in before()");
        const value = app[name];
        return typeof value === "function" ? value.bind(app) : value;
      },
    },
  );
}

export class App {
  constructor(server, browser) {
    this.server = server;
    this.browser = browser;
    /** e.g. "http://127.0.0.1:41234" */
    this.origin = server.origin;
  }

  /** The absolute URL of a path on the app's server. */
  url(path = "/") {
    return new URL(path, this.server.url).href;
  }

  /**
   * Opens `path` in a fresh browser context (no shared storage) and waits until
   * `waitFor` is visible and the app has taken the page over (`waitFor: null` waits for
   * neither; `javaScriptEnabled: false` in contextOptions only for `waitFor`). Options: width, height, waitFor (a selector, or null
   * not to wait), contextOptions passed to browser.newContext (e.g.
   * `{ reducedMotion: "reduce" }`), and init: a function (or script) run in the page
   * before the app's own scripts, e.g. to wrap a browser API and measure it; prepare
   * (an async function given the page) runs before it loads, e.g. to hold back a request;
   * lazy: true does not wait for every part to be live (`allLive`), only for the page to
   * answer input.
   */
  async open(path = "/", { width = 1440, height = 900, waitFor = APP_READY_SELECTOR, lazy = false, contextOptions = {}, init, prepare } = {}) {
    const context = await this.browser.newContext({
      viewport: { width, height },
      ...contextOptions,
    });
    const visit = new Visit(this, context, await context.newPage());
    visit.javaScriptEnabled = contextOptions.javaScriptEnabled !== false;
    await visit.watch(waitFor ?? APP_READY_SELECTOR);
    if (init) await context.addInitScript(init);
    if (prepare) await prepare(visit.page);
    await visit.page.goto(this.url(path));
    if (waitFor) {
      await visit.page.locator(waitFor).first().waitFor({ state: "visible" });
      if (contextOptions.javaScriptEnabled !== false) {
        await visit.page.locator(APP_TOOK_OVER).waitFor({ state: "attached" });
        if (!lazy) await allLive(visit.page);
      }
    }
    return visit;
  }

  async close() {
    await this.browser?.close();
    await this.server?.close();
  }
}

/** One page in its own browser context, and everything it was seen doing. */
export class Visit {
  constructor(app, context, page) {
    this.app = app;
    this.context = context;
    this.page = page;
    this.origin = app.origin;
    /** Every URL the page requested, in order. */
    this.requests = [];
    /** Requests to any other origin: blocked, and a failure of assertClean(). */
    this.foreignRequests = [];
    /** Same-origin requests that failed or got an HTTP error status. */
    this.failedRequests = [];
    /** console.error messages (CSP violations and failed loads land here too). */
    this.consoleErrors = [];
    /** Uncaught exceptions and unhandled rejections. */
    this.pageErrors = [];
    /** Every console message, as "type: text", for debugging a failure. */
    this.consoleMessages = [];
    /** alert/confirm/prompt dialogs the page opened (dismissed): the app opens none. */
    this.dialogs = [];
  }

  async watch(readySelector) {
    const { page, context } = this;
    // Nothing may leave this origin: record and block anything that tries.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (this.isForeign(url)) {
        this.foreignRequests.push(url);
        return route.abort("blockedbyclient");
      }
      return route.continue();
    });
    page.on("request", (request) => this.requests.push(request.url()));
    page.on("websocket", (socket) => {
      if (this.isForeign(socket.url())) this.foreignRequests.push(socket.url());
    });
    page.on("requestfailed", (request) => {
      // A reload or a new navigation cancels the loads still in flight (often the
      // favicon): ERR_ABORTED is the browser's doing, not a failure of the server. A
      // missing file still fails, with its HTTP status (below).
      if (request.failure()?.errorText === "net::ERR_ABORTED") return;
      // With JavaScript off the browser refuses the page's scripts (reported as "csp").
      if (this.javaScriptEnabled === false && request.failure()?.errorText === "csp") return;
      if (!this.isForeign(request.url())) {
        this.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
      }
    });
    page.on("response", (response) => {
      if (response.status() >= 400) this.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    });
    page.on("console", (message) => {
      this.consoleMessages.push(`${message.type()}: ${message.text()}`);
      if (message.type() === "error") this.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => this.pageErrors.push(String(error?.stack ?? error)));
    page.on("dialog", (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });

    // Time of first render: when the ready selector first matches, in ms after
    // navigation start (performance.now() counts from there).
    await context.addInitScript((selector) => {
      const mark = () => {
        if (window.__firstRenderMs === undefined && document.querySelector(selector)) {
          window.__firstRenderMs = performance.now();
        }
        return window.__firstRenderMs !== undefined;
      };
      if (!mark()) {
        const observer = new MutationObserver(() => mark() && observer.disconnect());
        observer.observe(document, { childList: true, subtree: true });
      }
    }, readySelector);
  }

  isForeign(url) {
    if (/^(data|blob|about):/.test(url)) return false;
    try {
      return new URL(url).origin !== this.origin;
    } catch {
      return true;
    }
  }

  /** Milliseconds from navigation start until the app first rendered its content. */
  async firstRenderMs() {
    return this.page.evaluate(() => window.__firstRenderMs ?? null);
  }

  /**
   * Screenshots at each width of SCREENSHOT_WIDTHS, saved as screenshots/NAME-WIDTH.png:
   * of the full page, or with `{ selector }` of the first element it matches (e.g. one
   * section). Leaves the page at its last width; returns the paths.
   */
  async screenshots(name, widths = SCREENSHOT_WIDTHS, { selector } = {}) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const paths = [];
    for (const width of widths) {
      await this.setWidth(width);
      const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
      if (selector) {
        // Cut from a full-page capture taken at the top of the page rather than
        // scrolling to the element: scrolling would leave the sticky top bar drawn over it.
        await this.page.evaluate(() => window.scrollTo(0, 0));
        const clip = await this.page
          .locator(selector)
          .first()
          .evaluate((el) => {
            const r = el.getBoundingClientRect();
            return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
          });
        await this.page.screenshot({ path, fullPage: true, clip });
      } else {
        await this.page.screenshot({ path, fullPage: true });
      }
      paths.push(path);
    }
    return paths;
  }

  /** Resizes the viewport to `width` (and a phone's or a desktop's height) and lets layout settle. */
  async setWidth(width) {
    await this.page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
    if (this.javaScriptEnabled === false) {
      // No animation frames without JavaScript: give layout a moment instead.
      await this.page.waitForTimeout(200);
      return;
    }
    await this.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }

  /** Fails the test if the page logged errors, threw, failed a load, left its origin or opened a dialog. */
  assertClean() {
    const problems = [
      ...this.foreignRequests.map((url) => `request to another origin: ${url}`),
      ...this.pageErrors.map((error) => `uncaught: ${error}`),
      ...this.consoleErrors.map((text) => `console.error: ${text}`),
      ...this.failedRequests.map((text) => `failed load: ${text}`),
      ...this.dialogs.map((text) => `dialog: ${text}`),
    ];
    assert.deepEqual(problems, [], `the page had problems:\n  ${problems.join("\n  ")}`);
  }

  async close() {
    await this.context.close();
  }
}
