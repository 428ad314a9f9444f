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

/** The selector that matches once the app has taken the page over (src/main.rs). */
export const APP_TOOK_OVER = "html[data-app=ready]";

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

/** Reloads the page and waits until the app has taken it over again. */
export async function reload(page) {
  await page.reload();
  await appReady(page);
}

/** Goes to `url` and waits until the app has taken the page over. */
export async function goto(page, url) {
  await page.goto(url);
  await appReady(page);
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
