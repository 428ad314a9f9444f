import { writeFileSync } from "node:fs";
import { join } from "node:path";

// The page object: how the specs find the page's parts (by role and accessible name,
// as a screen reader user does) and wait for it, in one place.

/** The sections, in page order, as their headings name them. */
export const SECTIONS = [
  "How Producers Work",
  "Partition Assignment",
  "Write Path",
  "Key Settings",
  "Throughput vs Durability",
  "Test Yourself",
];

/**
 * The selector that matches once the page answers input (src/main.rs): the parts near
 * the first screen are live, and every other part is taken over when it comes near the
 * viewport, or the moment the reader focuses or presses into it.
 */
export const APP_TOOK_OVER = "html[data-app=ready]";

/** The mark a part of the page gets once the app has taken it over (src/ui/takeover.rs). */
export const LIVE = "[data-live]";

/** A section: a region named by its heading. */
export const section = (page, name) => page.getByRole("region", { name, exact: true });

/** The write path's own acks control (the trade-off section has one too). */
export const writePathAcks = (page) => section(page, "Write Path").getByLabel("acks", { exact: true });

/**
 * Waits until the app has taken the page over. The page's markup is there (and its <h1>
 * visible) before the WebAssembly has loaded; controls answer only from here on.
 */
export async function appReady(page) {
  await page.locator(APP_TOOK_OVER).waitFor({ state: "attached" });
}

/**
 * Brings `locator` into view and waits until the part of the page that holds it is live,
 * so that what it shows is the app's and not the build-time rendering; returns it. Specs
 * call it before reading or using anything below the first screen.
 */
export async function live(locator) {
  // In the page in one step: the element may be swapped for the app's at any moment.
  await locator.first().evaluate((el) => el.scrollIntoView({ block: "nearest" }));
  await locator.first().locator(`xpath=ancestor-or-self::*[@data-live]`).waitFor({ state: "attached" });
  return locator;
}

/** The ids of the page's live parts, in page order (`PARTS` in src/ui/mod.rs). */
export const PARTS = [
  "top",
  "how-producers-work",
  "client",
  "partition-assignment",
  "write-path",
  "key-settings",
  "throughput-vs-durability",
  "test-yourself",
];

/**
 * Brings each part of the page near in turn until it is live, then scrolls back to
 * where the page was: the specs' start (`useApp().open`, `goto`, `reload`), so that
 * what they read and use is the app's.
 */
export async function allLive(page) {
  const y = await page.evaluate(() => window.scrollY);
  for (const id of PARTS) await live(page.locator(`#${id}`));
  await page.evaluate((y) => window.scrollTo(0, y), y);
}

/** Reloads the page and waits until the app has taken it over again. */
export async function reload(page) {
  await page.reload();
  await appReady(page);
  await allLive(page);
}

/** Goes to `url` and waits until the app has taken the page over. */
export async function goto(page, url) {
  await page.goto(url);
  await appReady(page);
  await allLive(page);
}

export async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

/** Presses Tab until `locator` has the focus, at most `max` times. */
export async function tabTo(page, locator, max) {
  for (let i = 0; i < max && !(await isFocused(locator)); i++) {
    await page.keyboard.press("Tab");
  }
  return isFocused(locator);
}

/**
 * Loads each file of `cases` ([name, bytes, message]) through the file picker labelled
 * `pickerLabel`, writing it into `dir` first, and waits for its message in the element
 * with test id `errorTestId`. Returns that element.
 */
export async function loadFilesExpectingErrors(page, { pickerLabel, errorTestId, dir, cases }) {
  const picker = page.getByLabel(pickerLabel);
  const error = page.getByTestId(errorTestId);
  for (const [name, bytes, message] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    await picker.setInputFiles(path);
    await error.getByText(message).waitFor();
  }
  return error;
}
