// The page's first half (Hero, How Producers Work, Partition Assignment, Write Path)
// against the release build, in headless Chromium: every section is there, a keyed send
// shows Kafka's partition, the partition demo works from the keyboard, settings survive
// a reload, a hostile URL is handled, a broker crash shows, and the animations respect
// reduced motion and stay within their frame budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useApp } from "../lib/harness.mjs";
import { SECTIONS, goto, reload, section, tabTo, writePathAcks } from "../lib/page.mjs";

// murmur2("kafka") = 0xd067cf64 (librdkafka rdmurmur2.c unit test): toPositive gives
// 0x5067cf64 = 1348980580, and 1348980580 % 3 = 1.
const KAFKA_KEY = { key: "kafka", murmur2: "-798503068", positive: "1348980580", partition: "1" };


const app = useApp();




test("every section is there, in order, with no errors and no other origin", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    await page.getByRole("heading", { level: 1, name: "Build Reliable Event Pipelines" }).waitFor();
    const headings = await page.locator("main h2").allInnerTexts();
    assert.deepEqual(
      headings.filter((h) => SECTIONS.includes(h)),
      SECTIONS,
      `the sections in order (h2s: ${headings.join(" | ")})`,
    );
    for (const name of SECTIONS) {
      assert.equal(await section(page, name).count(), 1, `one region named ${name}`);
    }
    const cards = section(page, "How Producers Work").locator(".card");
    assert.equal(await cards.count(), 6, "six cards");
    const links = await page.locator(".card__link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.equal(links.length, 6, "each card links to a section");
    for (const href of links) {
      assert.equal(await page.locator(href).count(), 1, `${href} exists`);
    }
    // The live flow runs: records get sent as time passes.
    const stats = page.locator(".live-flow__stats");
    const before = await stats.innerText();
    await page.waitForFunction((text) => document.querySelector(".live-flow__stats")?.innerText !== text, before, {
      timeout: 5000,
    });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a keyed send shows Kafka's partition and the hash steps", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    await demo.getByLabel("Message key").fill(KAFKA_KEY.key);
    await demo.getByRole("button", { name: "Send", exact: true }).click();
    assert.equal(await demo.getByTestId("pa-partition").innerText(), KAFKA_KEY.partition);
    assert.equal(await demo.getByTestId("pa-murmur2").innerText(), KAFKA_KEY.murmur2);
    assert.equal(await demo.getByTestId("pa-positive").innerText(), KAFKA_KEY.positive);
    const lane = demo.locator(`.lane-card[data-partition="${KAFKA_KEY.partition}"]`);
    assert.match(await lane.getAttribute("aria-label"), /Partition 1: 1 record, 1 with a key/);
    await visit.screenshots("partition-assignment", undefined, { selector: "#partition-assignment" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("the partition demo works from the keyboard alone", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    const key = demo.getByLabel("Message key");
    await key.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(KAFKA_KEY.key);
    await page.keyboard.press("Enter");
    assert.equal(await demo.getByTestId("pa-partition").innerText(), KAFKA_KEY.partition);

    // Tab to the "No key" switch and turn it on with Space.
    const noKey = demo.getByRole("switch", { name: "No key" });
    assert.ok(await tabTo(page, noKey, 5), "the switch takes focus");
    await page.keyboard.press("Space");
    assert.ok(await noKey.isChecked());
    assert.ok(await key.isDisabled());

    // On to "Send 100 without key" and press it with Enter.
    const burst = demo.getByRole("button", { name: "Send 100 without key" });
    assert.ok(await tabTo(page, burst, 6), "the burst button takes focus");
    const outline = await burst.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, "none", "focus is visible");
    await page.keyboard.press("Enter");
    assert.match(await demo.getByTestId("pa-verdict").innerText(), /100 records without a key/);
    const counts = await demo.locator(".lane-card__count").allInnerTexts();
    assert.equal(
      counts.reduce((sum, n) => sum + Number(n), 0),
      101,
      "one keyed record and 100 without a key",
    );
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("the partition count and the write path's acks are kept in the URL and survive a reload", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    const partitions = demo.getByRole("spinbutton", { name: /Partitions/ });
    await partitions.fill("6");
    await partitions.press("Tab");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("partitions") === "6");
    assert.equal(await demo.locator(".lane-card").count(), 6);
    await writePathAcks(page).selectOption("1");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("acks") === "1");
    // The write path's acks is its own: the trade-off section's stays at Kafka's default.
    const tradeoffAcks = section(page, "Throughput vs Durability").getByLabel("acks", { exact: true });
    assert.equal(await tradeoffAcks.inputValue(), "all");

    await reload(page);
    assert.equal(await section(page, "Partition Assignment").locator(".lane-card").count(), 6);
    assert.equal(await writePathAcks(page).inputValue(), "1");
    assert.match(await page.getByTestId("wp-acks-explanation").innerText(), /^acks=1/);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a hostile URL falls back to defaults with a notice", async () => {
  const hostile =
    "/?partitions=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&acks=7&__proto__=1&" + "x".repeat(300) + "=1";
  const visit = await app.open(hostile);
  try {
    const { page } = visit;
    const notice = page.getByRole("status").filter({ hasText: "could not be used" });
    await notice.waitFor();
    assert.equal(await notice.locator("li").count(), 4, "one line per thing ignored");
    assert.match(await notice.innerText(), /“<img src=x onerror=alert\(1\)>”/);
    assert.equal(await page.locator("main img").count(), 0, "nothing from the URL became HTML");
    assert.equal(await page.locator(".lane-card").count(), 3, "the default partition count");
    assert.equal(await writePathAcks(page).inputValue(), "all");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    assert.equal(await notice.count(), 0);

    // Far too long a query is ignored as a whole.
    await goto(page, app.url("/?acks=1&" + "a=b&".repeat(1000)));
    assert.equal(await writePathAcks(page).inputValue(), "all");
    await page.getByText("longer than 2048 characters").waitFor();
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("crashing a broker shows in the write path", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const writePath = section(page, "Write Path");
    const broker = writePath.locator("g.broker[data-broker='1']");
    await broker.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Broker 1 actions" });
    await menu.waitFor();
    await menu.getByRole("menuitem", { name: "Crash broker 1" }).click();
    assert.equal(await menu.count(), 0, "the menu closes");
    await page.waitForFunction(
      () => document.querySelector("g.broker[data-broker='1']")?.classList.contains("broker--down"),
      null,
      { timeout: 10000 },
    );
    // The button is named by what it shows: its title and its status.
    assert.equal(await broker.getAttribute("aria-label"), null);
    assert.match(await broker.textContent(), /Broker 1.*down/s);
    await writePath.getByRole("button", { name: /Broker 1.*down/ }).waitFor();
    await writePath.getByText("Broker 1 crashed.").waitFor();
    // Kafka's controller fences it after broker.session.timeout.ms (9 s) and moves its
    // leaderships: skip ahead to see the election.
    await writePath.getByRole("button", { name: "Skip 10 s" }).click();
    await writePath.getByText(/is the new leader/).first().waitFor();
    assert.ok((await writePath.locator(".replica--leader").count()) >= 1);
    await visit.screenshots("write-path-crash", undefined, { selector: "#write-path" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("reduced motion starts the animations paused", async () => {
  const visit = await app.open("/", { contextOptions: { reducedMotion: "reduce" } });
  try {
    const { page } = visit;
    const play = page.getByRole("button", { name: "Play live flow" });
    await play.waitFor();
    assert.equal(await play.getAttribute("aria-pressed"), "true");
    const stats = await page.locator(".live-flow__stats").innerText();
    await page.waitForTimeout(600);
    assert.equal(await page.locator(".live-flow__stats").innerText(), stats, "nothing moves");
    await page.getByRole("button", { name: "Play write path" }).waitFor();
    await play.click();
    await page.getByRole("button", { name: "Pause live flow" }).waitFor();
    visit.assertClean();
  } finally {
    await visit.close();
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
  const visit = await app.open("/", { init: FRAME_PROBE });
  try {
    const { page } = visit;
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
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("the whole page at 375 px and 1440 px, with nothing wider than the screen", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    await demo.getByLabel("Message key").fill(KAFKA_KEY.key);
    await demo.getByRole("button", { name: "Send", exact: true }).click();
    await demo.getByRole("button", { name: "Send 100 without key" }).click();
    await page.waitForTimeout(1500);
    const paths = await visit.screenshots("page");
    console.log(`screenshots: ${paths.join(", ")}`);
    for (const width of [375, 1440]) {
      await visit.setWidth(width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (${overflow} px too wide)`);
    }
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
