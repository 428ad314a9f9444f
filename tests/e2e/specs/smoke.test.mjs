// The page loads from the release build, renders, and stays on its own origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useApp } from "../lib/harness.mjs";

const app = useApp();

test("the page loads, shows its heading and has no errors", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    assert.equal(await page.title(), "producer-sim — Kafka producer simulator");
    const heading = page.locator("h1").first();
    assert.ok(await heading.isVisible(), "the <h1> is visible");
    assert.match(await heading.innerText(), /\S/, "the <h1> has text");
    assert.equal(await page.locator("#app-loading").count(), 0, "the loading indicator is gone");

    const paths = await visit.screenshots("smoke");
    console.log(`screenshots: ${paths.join(", ")}`);
    visit.assertClean();
    assert.ok(visit.requests.length > 0, "requests were recorded");
  } finally {
    await visit.close();
  }
});

test("first render time (reported, budget 500 ms)", async () => {
  // The first page a new browser opens also pays for starting its renderer: warm up.
  await (await app.open("/")).close();
  const times = [];
  for (let i = 0; i < 3; i++) {
    const visit = await app.open("/");
    try {
      const ms = await visit.firstRenderMs();
      assert.equal(typeof ms, "number", "first render was observed");
      times.push(ms);
      visit.assertClean();
    } finally {
      await visit.close();
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `first render: median ${median.toFixed(0)} ms after navigation ` +
      `(runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms; budget 500 ms)`,
  );
});
