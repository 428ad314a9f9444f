// The page is painted from the markup rendered at build time, before the WebAssembly
// arrives: readable with JavaScript off (with a note that the simulations need it), and
// taken over by the app without a shift, without moving anything, without losing what
// the reader typed or the focus, and without console errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useApp } from "../lib/harness.mjs";
import { APP_TOOK_OVER, LIVE, SECTIONS, appReady, isFocused, live, section } from "../lib/page.mjs";

const app = useApp();

/** Holds back the WebAssembly module for `ms`, as a slow network would. */
async function delayWasm(page, ms) {
  await page.route("**/*.wasm", async (route) => {
    await new Promise((done) => setTimeout(done, ms));
    await route.continue();
  });
}

/** Records layout shifts from navigation on (run before the page's scripts). */
const SHIFT_PROBE = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) window.__shifts.push({ value: entry.value, at: entry.startTime });
    }
  }).observe({ type: "layout-shift", buffered: true });
};

for (const colorScheme of ["light", "dark"]) {
  test(`with JavaScript off the page is readable and says the simulations need it (${colorScheme})`, async () => {
    const visit = await app.open("/", { contextOptions: { javaScriptEnabled: false, colorScheme } });
    try {
      const { page } = visit;
      assert.equal(await page.locator(APP_TOOK_OVER).count(), 0, "no script ran");
      for (const name of SECTIONS) {
        const region = section(page, name);
        assert.equal(await region.count(), 1, `the ${name} section is there`);
        assert.match(await region.locator(".section__lede").innerText(), /\S.{40,}/, `${name} has its introduction`);
      }
      assert.equal(await section(page, "How Producers Work").locator(".card").count(), 6);
      const note = page.locator(".noscript-note");
      assert.ok(await note.isVisible(), "the note is shown");
      assert.match(await note.innerText(), /need JavaScript/);
      const noteBox = await note.boundingBox();
      assert.ok(noteBox && noteBox.y + noteBox.height <= 900 + 1, "the note is in view at the top of the page");
      for (const width of [375, 1440]) {
        await visit.setWidth(width);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px`);
      }
      const paths = await visit.screenshots(`no-js-${colorScheme}`);
      console.log(`screenshots: ${paths.join(", ")}`);
      visit.assertClean();
    } finally {
      await visit.close();
    }
  });
}

/** Where the page's landmarks start: each section, its heading, the footer. */
const LAYOUT_PROBE = () =>
  [...document.querySelectorAll("main > *, main h2, h1, footer")].map((el) => {
    const r = el.getBoundingClientRect();
    return `${el.tagName}#${el.id}: ${Math.round(r.top + scrollY)}`;
  });

/** The landmarks down to (and with) the heading named `lastId`. */
function landmarksThrough(lines, lastId) {
  return lines.slice(0, lines.findIndex((line) => line.startsWith(`H2#${lastId}`)) + 1);
}

/** The write path's drawing: where it starts and how tall it is. */
const DRAWING_PROBE = () => {
  const r = document.querySelector(".wp__svg").getBoundingClientRect();
  return { top: Math.round(r.top + scrollY), height: Math.round(r.height) };
};

// Down to the write path nothing moves, and its drawing keeps its size (the rendered page
// keeps the room for the app's drawing, stacked on a narrow screen). Below it the
// write path's status fills in once its engine runs (on a narrow screen one more line)
// and further down the measured numbers arrive: compared at 1440 px down to Key
// Settings, at 375 px not.
for (const [width, lastId] of [[375, "write-path-title"], [1440, "key-settings-title"]]) {
  test(`the app takes over an untouched painted page without moving anything down to #${lastId}, nor resizing the write path's drawing (${width} px)`, async () => {
    const visit = await app.open("/", { waitFor: null, width, prepare: (page) => delayWasm(page, 1500) });
    try {
      const { page } = visit;
      await page.locator("h1").waitFor();
      const before = await page.evaluate(LAYOUT_PROBE);
      const drawingBefore = await page.evaluate(DRAWING_PROBE);
      assert.equal(await page.locator(APP_TOOK_OVER).count(), 0, "measured before the app ran");
      await appReady(page);
      await page.waitForTimeout(1000);
      const after = await page.evaluate(LAYOUT_PROBE);
      assert.deepEqual(landmarksThrough(after, lastId), landmarksThrough(before, lastId), `every landmark down to #${lastId} where it was`);
      assert.deepEqual(await page.evaluate(DRAWING_PROBE), drawingBefore, "the write path's drawing where it was, as tall");
      visit.assertClean();
    } finally {
      await visit.close();
    }
  });
}

test("the app takes over the painted page: input and focus kept, no shift, no errors", async () => {
  const visit = await app.open("/", {
    waitFor: null,
    width: 375,
    init: SHIFT_PROBE,
    prepare: (page) => delayWasm(page, 1500),
  });
  try {
    const { page } = visit;
    const painted = page.locator("h1");
    await painted.waitFor();
    assert.equal(await page.locator(APP_TOOK_OVER).count(), 0, "painted before the app runs");
    const firstPaintMs = await visit.firstRenderMs();
    // Type into the partition demo before the app can hear it.
    const key = section(page, "Partition Assignment").getByLabel("Message key");
    await key.fill("typed-before-start");
    const before = await page.evaluate(LAYOUT_PROBE);
    assert.equal(await page.locator(APP_TOOK_OVER).count(), 0, "typed before the app ran");
    await appReady(page);
    await page.waitForTimeout(1000);
    // Down to the partition demo's heading nothing may move. Below it the app answers
    // the typed key (each client's placement of it, with its hash steps), which may
    // change the section's height: printed, not compared.
    const after = await page.evaluate(LAYOUT_PROBE);
    const stable = landmarksThrough(before, "partition-assignment-title").length;
    assert.deepEqual(after.slice(0, stable), before.slice(0, stable), "every landmark down to the partition demo where it was");
    const moved = after.slice(stable).filter((line, i) => line !== before[stable + i]);
    console.log(`below the partition demo's heading, after the take-over: ${moved.join("; ") || "nothing moved"}`);
    assert.equal(await key.inputValue(), "typed-before-start", "the typed key survived");
    assert.ok(await key.evaluate((el) => el === document.activeElement), "the key field kept the focus");
    await section(page, "Partition Assignment").getByRole("button", { name: "Send", exact: true }).click();
    assert.match(
      await section(page, "Partition Assignment").getByTestId("pa-verdict").innerText(),
      /typed-before-start/,
      "the app sends the key typed before it started",
    );
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((sum, s) => sum + s.value, 0);
    console.log(
      `take-over (375 px, wasm held back 1.5 s): first paint ${firstPaintMs?.toFixed(0)} ms, ` +
        `layout shift ${cls.toFixed(4)} (${shifts.length} shifts; target <= 0.02)`,
    );
    assert.ok(cls <= 0.02, `no shift when the app takes over (CLS ${cls.toFixed(4)})`);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a link with settings starts the app on them without errors", async () => {
  const visit = await app.open("/?partitions=6&acks=1");
  try {
    const { page } = visit;
    assert.equal(await section(page, "Partition Assignment").locator(".lane-card").count(), 6);
    assert.equal(await page.locator("h1").count(), 1, "the rendered markup was replaced, not doubled");
    assert.equal(await page.locator("main").count(), 1);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

/**
 * Lets the page's IntersectionObservers see only the hero, so that no other part comes
 * "near" and each is still the build-time rendering when the reader reaches into it.
 */
const ONLY_HERO_SEEN = () => {
  const Real = window.IntersectionObserver;
  window.IntersectionObserver = class extends Real {
    constructor(callback, options) {
      super((entries, observer) => {
        const hero = entries.filter((e) => e.target.id === "top");
        if (hero.length) callback(hero, observer);
      }, options);
    }
  };
};

test("parts below the first screen are taken over when they come near, and marked live", async () => {
  const visit = await app.open("/", { width: 375, height: 700, lazy: true });
  try {
    const { page } = visit;
    assert.equal(await page.locator(`#top${LIVE}`).count(), 1, "the hero is live at once");
    assert.equal(await page.locator(`#test-yourself${LIVE}`).count(), 0, "the last section waits");
    await live(section(page, "Test Yourself"));
    assert.equal(await page.locator(`#test-yourself${LIVE}`).count(), 1);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a link to a section takes it over at load", async () => {
  const visit = await app.open("/#key-settings", {
    width: 375,
    height: 700,
    lazy: true,
    // The page jumps to the section instead of scrolling smoothly past every part.
    contextOptions: { reducedMotion: "reduce" },
  });
  try {
    const { page } = visit;
    await page.locator(`#key-settings${LIVE}`).waitFor({ state: "attached" });
    const top = await page.locator("#key-settings").evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top >= -1 && top < 350, `the page is at the section (its top at ${top} px)`);
    assert.equal(await page.locator(`#test-yourself${LIVE}`).count() + (await page.locator(`#client${LIVE}`).count()), 0, "far parts wait");
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("a click or Tab into a part that is not live yet does what it says", async () => {
  const visit = await app.open("/", { width: 375, height: 700, lazy: true, init: ONLY_HERO_SEEN });
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    assert.equal(await page.locator(`#partition-assignment${LIVE}`).count(), 0, "not live before the click");
    // A mouse press swaps the rendered button for the app's; the click still sends.
    const send = demo.getByRole("button", { name: "Send", exact: true });
    await send.scrollIntoViewIfNeeded();
    const box = await send.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    assert.equal(await page.locator(`#partition-assignment${LIVE}`).count(), 1, "live from the press on");
    assert.match(await demo.getByTestId("pa-verdict").innerText(), /partition/);
    // Focus moving into a waiting part takes it over and stays on the same control.
    const ks = section(page, "Key Settings");
    const first = ks.locator("a[href], button, input, select, textarea, summary").first();
    await first.focus();
    assert.equal(await page.locator(`#key-settings${LIVE}`).count(), 1, "live from the focus on");
    assert.ok(await isFocused(first), "the focus stays on the control it went to");
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
