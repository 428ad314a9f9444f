// End-to-end tests of the page's first half (hero, How Producers Work, Partition
// Assignment, Write Path) against the release build, in headless Chromium.
//
//   DIST_DIR=dist node --test tests/e2e/page.test.mjs
//
// Self-contained: serves DIST_DIR on 127.0.0.1, drives /usr/bin/chromium (or $CHROMIUM)
// with playwright-core, blocks and records any request to another origin, and saves
// screenshots to tests/e2e/screenshots/.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST_DIR = resolve(process.env.DIST_DIR ?? join(HERE, "..", "..", "dist"));
const SCREENSHOT_DIR = join(HERE, "screenshots");
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
  ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
];
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
// murmur2("kafka") = 0xd067cf64 (librdkafka rdmurmur2.c unit test): toPositive gives
// 0x5067cf64 = 1348980580, and 1348980580 % 3 = 1.
const KAFKA_KEY = { key: "kafka", murmur2: "-798503068", positive: "1348980580", partition: "1" };

function serve(root) {
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(join(root, path));
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => null) : null;
    if (!info?.isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((c) => server.close(c)) });
    }),
  );
}

let server;
let browser;

before(async () => {
  assert.ok(existsSync(join(DIST_DIR, "index.html")), `no ${DIST_DIR}/index.html: run 'trunk build --release'`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await serve(DIST_DIR);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path` in a fresh context, recording errors and foreign requests. */
async function open(path = "/", { width = 1440, height = 900, reducedMotion = "no-preference", init } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion });
  const page = await context.newPage();
  const problems = [];
  const foreign = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin) || url.startsWith("data:") || url.startsWith("blob:")) {
      return route.continue();
    }
    foreign.push(url);
    return route.abort();
  });
  if (init) await page.addInitScript(init);
  await page.goto(server.origin + path);
  await page.locator("h1").first().waitFor();
  const visit = {
    page,
    problems,
    foreign,
    clean() {
      assert.deepEqual(problems, [], "no console errors, exceptions or dialogs");
      assert.deepEqual(foreign, [], "no request to another origin");
    },
    close: () => context.close(),
  };
  return visit;
}

test("every section is there, in order, with no errors and no other origin", async () => {
  const v = await open("/");
  try {
    const { page } = v;
    await assert.doesNotReject(page.getByRole("heading", { level: 1, name: "Build Reliable Event Pipelines" }).waitFor());
    const h2 = await page.locator("h2").allInnerTexts();
    const order = ["How Producers Work", "Partition Assignment", "Write Path", "Key Settings"];
    assert.deepEqual(h2.slice(0, order.length), order);
    assert.equal(await page.locator(".card").count(), 6);
    for (const href of await page.locator(".card__link").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.equal(await page.locator(href).count(), 1, `${href} exists`);
    }
    // The live flow runs: records get sent as time passes.
    const stats = page.locator(".live-flow__stats");
    const before = await stats.innerText();
    await page.waitForTimeout(1500);
    assert.notEqual(await stats.innerText(), before);
    v.clean();
  } finally {
    await v.close();
  }
});

test("a keyed send shows Kafka's partition and the hash steps", async () => {
  const v = await open("/");
  try {
    const { page } = v;
    await page.getByLabel("Message key").fill(KAFKA_KEY.key);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    assert.equal(await page.getByTestId("pa-partition").innerText(), KAFKA_KEY.partition);
    assert.equal(await page.getByTestId("pa-murmur2").innerText(), KAFKA_KEY.murmur2);
    assert.equal(await page.getByTestId("pa-positive").innerText(), KAFKA_KEY.positive);
    const lane = page.locator(`.lane-card[data-partition="${KAFKA_KEY.partition}"]`);
    assert.match(await lane.getAttribute("aria-label"), /Partition 1: 1 record, 1 with a key/);
    v.clean();
  } finally {
    await v.close();
  }
});

test("the partition demo works from the keyboard alone", async () => {
  const v = await open("/");
  try {
    const { page } = v;
    const key = page.getByLabel("Message key");
    await key.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(KAFKA_KEY.key);
    await page.keyboard.press("Enter");
    assert.equal(await page.getByTestId("pa-partition").innerText(), KAFKA_KEY.partition);

    // Tab to the "No key" switch and turn it on with Space.
    const noKey = page.getByRole("switch", { name: "No key" });
    for (let i = 0; i < 5 && !(await noKey.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    assert.ok(await noKey.evaluate((el) => el === document.activeElement), "the switch takes focus");
    await page.keyboard.press("Space");
    assert.ok(await noKey.isChecked());
    assert.ok(await key.isDisabled());

    // On to "Send 100 without key" and press it with Enter.
    const burst = page.getByRole("button", { name: "Send 100 without key" });
    for (let i = 0; i < 6 && !(await burst.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    assert.ok(await burst.evaluate((el) => el === document.activeElement), "the burst button takes focus");
    const outline = await burst.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, "none", "focus is visible");
    await page.keyboard.press("Enter");
    assert.match(await page.getByTestId("pa-verdict").innerText(), /100 records without a key/);
    const counts = await page.locator(".lane-card__count").allInnerTexts();
    assert.equal(counts.reduce((sum, n) => sum + Number(n), 0), 101);
    v.clean();
  } finally {
    await v.close();
  }
});

test("changing the partition count is kept in the URL and survives a reload", async () => {
  const v = await open("/");
  try {
    const { page } = v;
    const partitions = page.getByRole("spinbutton", { name: /Partitions/ });
    await partitions.fill("6");
    await partitions.press("Tab");
    await page.waitForFunction(() => location.search.includes("partitions=6"));
    assert.equal(await page.locator(".lane-card").count(), 6);
    await page.getByLabel("acks", { exact: true }).selectOption("1");
    await page.waitForFunction(() => location.search.includes("acks=1"));
    await page.reload();
    await page.locator("h1").waitFor();
    assert.equal(await page.locator(".lane-card").count(), 6);
    assert.equal(await page.getByLabel("acks", { exact: true }).inputValue(), "1");
    assert.match(await page.getByTestId("wp-acks-explanation").innerText(), /^acks=1/);
    v.clean();
  } finally {
    await v.close();
  }
});

test("a hostile URL falls back to defaults with a notice", async () => {
  const hostile =
    "/?partitions=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&acks=7&__proto__=1&" + "x".repeat(300) + "=1";
  const v = await open(hostile);
  try {
    const { page } = v;
    const notice = page.getByRole("status").filter({ hasText: "could not be used" });
    await notice.waitFor();
    assert.equal(await notice.locator("li").count(), 4);
    assert.match(await notice.innerText(), /“<img src=x onerror=alert\(1\)>”/);
    assert.equal(await page.locator("main img").count(), 0, "nothing from the URL became HTML");
    assert.equal(await page.locator(".lane-card").count(), 3, "the default partition count");
    assert.equal(await page.getByLabel("acks", { exact: true }).inputValue(), "all");
    await page.getByRole("button", { name: "Dismiss" }).click();
    assert.equal(await notice.count(), 0);
    // Far too long a query is ignored as a whole.
    await page.goto(server.origin + "/?acks=1&" + "a=b&".repeat(1000));
    await page.locator("h1").waitFor();
    assert.equal(await page.getByLabel("acks", { exact: true }).inputValue(), "all");
    await page.getByText("longer than 2048 characters").waitFor();
    v.clean();
  } finally {
    await v.close();
  }
});

test("crashing a broker shows in the write path", async () => {
  const v = await open("/");
  try {
    const { page } = v;
    const broker = page.locator("g.broker[data-broker='1']");
    await broker.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Broker 1 actions" });
    await menu.waitFor();
    await page.getByRole("menuitem", { name: "Crash broker 1" }).click();
    assert.equal(await menu.count(), 0, "the menu closes");
    await page.waitForFunction(() => document.querySelector("g.broker[data-broker='1']")?.classList.contains("broker--down"), null, { timeout: 10000 });
    assert.match(await broker.getAttribute("aria-label"), /Broker 1, down/);
    await page.getByText("Broker 1 crashed.").waitFor();
    // Kafka's controller fences it after broker.session.timeout.ms (9 s) and moves its
    // leaderships: skip ahead to see the election.
    await page.getByRole("button", { name: "Skip 10 s" }).click();
    await page.getByText(/is the new leader/).first().waitFor();
    assert.ok(await page.locator(".replica--leader").count() >= 1);
    await saveScreenshots(page, "write-path-crash", "#write-path");
    v.clean();
  } finally {
    await v.close();
  }
});

test("reduced motion starts the animations paused", async () => {
  const v = await open("/", { reducedMotion: "reduce" });
  try {
    const { page } = v;
    const play = page.getByRole("button", { name: "Play live flow" });
    await play.waitFor();
    assert.equal(await play.getAttribute("aria-pressed"), "true");
    const stats = await page.locator(".live-flow__stats").innerText();
    await page.waitForTimeout(600);
    assert.equal(await page.locator(".live-flow__stats").innerText(), stats, "nothing moves");
    await page.getByRole("button", { name: "Play write path" }).waitFor();
    await play.click();
    await page.getByRole("button", { name: "Pause live flow" }).waitFor();
    v.clean();
  } finally {
    await v.close();
  }
});

// Times every requestAnimationFrame callback, plus the microtasks it queued, per frame.
const FRAME_PROBE = () => {
  const original = window.requestAnimationFrame.bind(window);
  const work = new Map();
  window.__frameWork = work;
  window.requestAnimationFrame = (callback) =>
    original((ts) => {
      const start = performance.now();
      callback(ts);
      queueMicrotask(() => work.set(ts, (work.get(ts) ?? 0) + performance.now() - start));
    });
};

test("animation frames stay within budget (reported; budget 8 ms at p95)", async () => {
  const v = await open("/", { init: FRAME_PROBE });
  try {
    const { page } = v;
    await page.locator("#write-path").scrollIntoViewIfNeeded();
    await page.waitForTimeout(4000);
    const frames = await page.evaluate(() => [...window.__frameWork.values()]);
    assert.ok(frames.length > 60, `frames were drawn (${frames.length})`);
    frames.sort((a, b) => a - b);
    const p = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    console.log(
      `animation frames: ${frames.length}, main-thread work p50 ${p(0.5).toFixed(2)} ms, ` +
        `p95 ${p(0.95).toFixed(2)} ms, max ${frames[frames.length - 1].toFixed(2)} ms (budget p95 < 8 ms)`,
    );
    v.clean();
  } finally {
    await v.close();
  }
});

async function saveScreenshots(page, name, selector) {
  const paths = [];
  const path = join(SCREENSHOT_DIR, `${name}-${page.viewportSize().width}.png`);
  await page.locator(selector).screenshot({ path });
  paths.push(path);
  return paths;
}

test("screenshots at 375 px and 1440 px", async () => {
  for (const width of [375, 1440]) {
    const v = await open("/", { width });
    try {
      const { page } = v;
      await page.getByLabel("Message key").fill(KAFKA_KEY.key);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await page.getByRole("button", { name: "Send 100 without key" }).click();
      await page.waitForTimeout(1500);
      const path = join(SCREENSHOT_DIR, `page-${width}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`screenshot: ${path}`);
      // Nothing is wider than the viewport.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (${overflow} px too wide)`);
      v.clean();
    } finally {
      await v.close();
    }
  }
});
