// Partition Assignment against the release build, in headless Chromium: the empty key,
// a new partition count (the keys stay and say where they moved), a count Kafka refuses
// (nothing is sent), the burst's note, the result brought into view on a phone, the
// How Producers Work cards' links, and a link's bad values named in the notice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOT_DIR, useApp } from "../lib/harness.mjs";
import { section } from "../lib/page.mjs";

const app = useApp();
mkdirSync(SCREENSHOT_DIR, { recursive: true });

// murmur2 of the empty key is 0x106e08d9 = 275646681 (librdkafka rdmurmur2.c unit test):
// positive already, and 275646681 % 3 = 0, % 8 = 1. murmur2("kafka") & 0x7fffffff =
// 1348980580: % 3 = 1, % 8 = 4.
const EMPTY = { murmur2: "275646681", at3: "0", at8: 1 };
const KAFKA = { at3: 1, at8: 4 };

const demoOf = (page) => section(page, "Partition Assignment");
const partitionsField = (demo) => demo.getByRole("spinbutton", { name: /Partitions/ });
const sendButton = (demo) => demo.getByRole("button", { name: "Send", exact: true });
const burstButton = (demo) => demo.getByRole("button", { name: "Send 100 without key" });

async function send(demo, key) {
  await demo.getByLabel("Message key").fill(key);
  await sendButton(demo).click();
}

async function laneTotal(demo) {
  const counts = await demo.locator(".lane-card__count").allInnerTexts();
  return counts.reduce((sum, n) => sum + Number(n), 0);
}

/** Whether the element is wholly inside the window. */
const inView = (locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1;
  });

test("an empty key is named, and hashed with murmur2 like any other key", async () => {
  const visit = await app.open("/");
  try {
    const demo = demoOf(visit.page);
    await send(demo, "");
    const verdict = demo.getByTestId("pa-verdict");
    assert.match(await verdict.innerText(), /Key "" \(empty key\) → partition 0/);
    assert.match(await demo.locator(".steps").innerText(), /key bytes \(UTF-8\)\s+0 bytes\s/);
    assert.equal(await demo.getByTestId("pa-murmur2").innerText(), EMPTY.murmur2);
    assert.equal(await demo.getByTestId("pa-partition").innerText(), EMPTY.at3);
    assert.match(await demo.locator(".pa__result").innerText(), /An empty key is still a key/);
    const chip = demo.locator(`.lane-card[data-partition="${EMPTY.at3}"] .chip`);
    assert.equal(await chip.getAttribute("title"), '"" (empty key)');
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a new partition count keeps the keys and shows where each one moved", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = demoOf(page);
    await send(demo, "kafka");
    await send(demo, "");
    await send(demo, "kafka");
    assert.equal(await laneTotal(demo), 3);

    await partitionsField(demo).fill("8");
    await partitionsField(demo).press("Tab");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("partitions") === "8");
    assert.equal(await demo.locator(".lane-card").count(), 8);
    // Each distinct key once more, at 8 partitions, where murmur2 now puts it.
    assert.equal(await laneTotal(demo), 2, "the two keys, not an empty topic");
    assert.match(await demo.getByTestId("pa-verdict").innerText(), /3 → 8 partitions: 2 of 2 keys moved/);
    const moves = await demo.locator(".pa__move").allInnerTexts();
    assert.deepEqual(
      moves.map((m) => m.replace(/\s+/g, " ").trim()),
      [`kafka now P${KAFKA.at8}, was P${KAFKA.at3}`, `"" (empty key) now P${EMPTY.at8}, was P${EMPTY.at3}`],
    );
    const moved = demo.locator(`.lane-card[data-partition="${KAFKA.at8}"] .chip--moved`);
    assert.equal(await moved.getAttribute("title"), `key “kafka”, was P${KAFKA.at3}`);
    assert.match(
      await demo.locator(`.lane-card[data-partition="${KAFKA.at8}"]`).getAttribute("aria-label"),
      /1 of them moved here from another partition/,
    );

    // Fewer partitions: Kafka cannot do that to a topic, and the page says so.
    await partitionsField(demo).fill("2");
    await partitionsField(demo).press("Tab");
    await demo.getByText("Kafka cannot take partitions away from a topic").waitFor();
    await visit.screenshots("partition-assignment-moves", undefined, { selector: "#partition-assignment .pa" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a partition count Kafka refuses disables sending until it is fixed", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const demo = demoOf(page);
    const field = partitionsField(demo);
    await field.fill("999");
    const error = demo.locator("#pa-partitions-error");
    await page.waitForFunction(() => document.querySelector("#pa-partitions-error")?.textContent.includes("64"));
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    assert.ok(await sendButton(demo).isDisabled(), "Send waits for a usable count");
    assert.ok(await burstButton(demo).isDisabled(), "so does the burst");
    // Enter in the field submits the form: still nothing is sent with the old count.
    await field.press("Enter");
    assert.equal(await laneTotal(demo), 0);
    assert.equal(await demo.getByTestId("pa-verdict").count(), 0);
    assert.equal(await demo.locator(".lane-card").count(), 3, "the lanes of the count in use");
    await visit.screenshots("partition-assignment-refused", undefined, { selector: "#partition-assignment .pa" });

    await field.fill("6");
    assert.equal((await error.innerText()).trim(), "");
    await send(demo, "kafka");
    assert.equal(await demo.locator(".lane-card").count(), 6);
    assert.equal(await laneTotal(demo), 1);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a burst asks for another 100 only until the sticky partition switched", async () => {
  const visit = await app.open("/");
  try {
    const demo = demoOf(visit.page);
    const seen = { switched: 0, stayed: 0 };
    for (let i = 0; i < 4; i++) {
      await burstButton(demo).click();
      const verdict = await demo.getByTestId("pa-verdict").innerText();
      const note = await demo.getByTestId("pa-burst-why").innerText();
      if (verdict.includes("→")) {
        seen.switched++;
        assert.doesNotMatch(note, /Send another 100/, `after a switch (${verdict})`);
        assert.match(note, /the switch came at twice batch\.size/);
      } else {
        seen.stayed++;
        assert.match(note, /Send another 100 to see it/, `before a switch (${verdict})`);
      }
    }
    assert.ok(seen.switched > 0 && seen.stayed > 0, `both notes seen: ${JSON.stringify(seen)}`);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

for (const reducedMotion of ["no-preference", "reduce"]) {
  test(`at 375 px the result comes into view after Send (reduced motion: ${reducedMotion})`, async () => {
    const visit = await app.open("/", { width: 375, height: 700, contextOptions: { reducedMotion } });
    try {
      const { page } = visit;
      const demo = demoOf(page);
      const result = demo.locator(".pa__result");
      await demo.getByLabel("Message key").fill("kafka");
      await sendButton(demo).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -200));
      assert.equal(await inView(result), false, "the result starts below the fold");
      const before = await page.evaluate(() => window.scrollY);
      await sendButton(demo).click();
      if (reducedMotion === "reduce") {
        // No animation: in place by the next frame.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        assert.ok(await inView(result), "in view at once");
      } else {
        await page.waitForFunction(
          () => {
            const r = document.querySelector(".pa__result").getBoundingClientRect();
            return r.top >= -1 && r.bottom <= window.innerHeight + 1;
          },
          null,
          { timeout: 3000 },
        );
      }
      const moved = (await page.evaluate(() => window.scrollY)) - before;
      const resultHeight = await result.evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(moved > 0 && moved <= resultHeight + 40, `scrolled ${moved} px: just enough (${resultHeight} px result)`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `partition-assignment-after-send-375-${reducedMotion}.png`) });
      visit.assertClean();
    } finally {
      await visit.close();
    }
  });
}

test("How Producers Work: each card's link goes where it says, and the burst link sends", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const cards = section(page, "How Producers Work");
    const link = (name) => cards.getByRole("link", { name: new RegExp(`^${name}`) });

    await link("Tune batch.size and linger.ms").click();
    await page.waitForFunction(() => location.hash === "#throughput-vs-durability");
    const tradeoffs = section(page, "Throughput vs Durability");
    await tradeoffs.getByLabel("batch.size", { exact: true }).waitFor();

    await link("Compare the clients").click();
    await page.waitForFunction(() => location.hash === "#client-compare");
    await page.getByRole("heading", { name: "Same key, every client" }).waitFor();

    const demo = demoOf(page);
    await link("Send 100 without a key").click();
    assert.match(await demo.getByTestId("pa-verdict").innerText(), /100 records without a key/);
    assert.equal(await laneTotal(demo), 100);
    await page.waitForFunction(() => {
      const r = document.querySelector(".pa__result").getBoundingClientRect();
      return r.top >= -1 && r.bottom <= window.innerHeight + 1;
    });
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      "Send 100 without key",
      "the focus moves to the button that sends another burst",
    );
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a link's values out of range or unknown get the notice, with the name, value and valid values", async () => {
  const visit = await app.open("/?partitions=999&acks=banana&linger.ms=-3");
  try {
    const { page } = visit;
    const notice = page.getByRole("status").filter({ hasText: "could not be used" });
    await notice.waitFor();
    const lines = (await notice.locator("li").allInnerTexts()).map((l) => l.trim());
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0], /^“partitions” = “999” \(must be between 1 and 64\)$/);
    assert.match(lines[1], /^“acks” = “banana” \(.*one of: all, -1, 0, 1\)$/);
    assert.match(lines[2], /^“linger\.ms” = “-3” \(.*\)$/);
    assert.equal(await demoOf(page).locator(".lane-card").count(), 3, "the default count applies");
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
