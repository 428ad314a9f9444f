// "Your records" in Throughput vs Durability, against the release build: log lines
// typed and submitted by keyboard compress in every codec; random bytes from a file
// (picked by mouse, not UTF-8) stay near 1.0 and are said to be binary; nothing leaves
// the origin while loading; bad input refused with clear messages. Screenshots at 375
// and 1440 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp } from "../lib/harness.mjs";
import { loadFilesExpectingErrors } from "../lib/page.mjs";

let app;
let dir;
before(async () => {
  app = await startApp();
  dir = mkdtempSync(join(tmpdir(), "your-records-"));
});
after(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The codec table once every codec is measured: [codec, ratio] per row. */
async function codecRatios(page) {
  const table = page.locator('[data-testid=codec-table][aria-busy="false"]');
  await table.waitFor({ timeout: 120_000 });
  const rows = await table.locator("tbody tr").all();
  const out = [];
  for (const row of rows) {
    const cells = await row.locator("th, td").allInnerTexts();
    out.push([cells[0], Number(cells[2])]);
  }
  return out;
}

const logLines = () => {
  const lines = [];
  for (let i = 0; i < 300; i++) {
    lines.push(
      `2026-12-01T16:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z ` +
        `INFO [exec-${i % 8}] OrderService - order ${100000 + i} accepted for customer-${i % 97}`,
    );
  }
  return lines.join("\n");
};

test("log lines typed and submitted by keyboard compress in every codec", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const box = page.getByLabel("Your records", { exact: true });
    await box.click();
    await box.fill(logLines());
    await page.keyboard.press("End");
    await page.keyboard.type("\n2026-12-01T17:00:00Z INFO [exec-1] OrderService - order 1 accepted");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const summary = page.getByTestId("your-records-summary");
    await summary.waitFor();
    assert.match(await summary.innerText(), /^301 records, values of \d+ bytes on average\./);
    const ratios = await codecRatios(page);
    assert.deepEqual(
      ratios.map(([c]) => c),
      ["none", "gzip", "snappy", "lz4", "zstd"],
    );
    assert.equal(ratios[0][1], 1);
    for (const [codec, ratio] of ratios.slice(1)) assert.ok(ratio < 0.5, `${codec}: ${ratio}`);
    await visit.screenshots("your-records", undefined, { selector: ".your-records" });
    await visit.screenshots("codec-table", undefined, { selector: ".codec-table" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("random bytes from a file stay near 1.0, are said to be binary, and stay on the page", async () => {
  // 2,000 lines of 200 random bytes (no newline among them), most not UTF-8.
  let x = 2463534242;
  const lines = [];
  for (let i = 0; i < 2000; i++) {
    const line = Buffer.alloc(200);
    for (let j = 0; j < 200; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const b = (x >>> 0) % 255;
      line[j] = b >= 10 ? b + 1 : b; // never 0x0a
    }
    lines.push(line);
  }
  const path = join(dir, "random.bin");
  writeFileSync(path, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])));

  const visit = await app.open("/");
  try {
    const { page } = visit;
    const during = [];
    const record = (request) => during.push(`${request.method()} ${request.url()}`);
    page.on("request", record);
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      page.getByLabel("Load records from a file").click(),
    ]);
    await chooser.setFiles(path);
    const summary = page.getByTestId("your-records-summary");
    await summary.waitFor();
    const text = await summary.innerText();
    assert.match(text, /^2,000 records, values of 200 bytes on average\./, text);
    assert.match(text, /of them are not text: sent byte for byte/, text);
    const ratios = await codecRatios(page);
    for (const [codec, ratio] of ratios.slice(1)) {
      assert.ok(ratio >= 0.9 && ratio <= 1.05, `${codec}: ${ratio}`);
    }
    page.off("request", record);
    assert.deepEqual(
      during.filter((r) => !r.startsWith("GET ") || visit.isForeign(r.slice(4))),
      [],
      `only the page's own files were fetched: ${during.join(", ")}`,
    );
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("bad records get clear messages", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const error = await loadFilesExpectingErrors(page, {
      pickerLabel: "Load records from a file",
      errorTestId: "your-records-error",
      dir,
      cases: [
        ["empty.txt", Buffer.alloc(0), "the input is empty: there are no lines to read"],
        [
          "long.txt",
          Buffer.concat([Buffer.from("ok\n"), Buffer.alloc(1_100_000, 0x76), Buffer.from("\n")]),
          "line 2: RecordTooLargeException: The message is 1100088 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.",
        ],
        ["huge.txt", Buffer.alloc(17 * 1024 * 1024, 0x61), "This is 17.0 MB; the page takes records up to 16 MB."],
      ],
    });
    assert.match(await error.innerText(), /nothing is uploaded/);

    // key<TAB>value by keyboard: the checkbox with the space bar.
    await page.getByLabel("Each line is key<TAB>value", { exact: false }).focus();
    await page.keyboard.press("Space");
    const box = page.getByLabel("Your records", { exact: true });
    await box.fill("user-1\t{\"a\":1}\nno tab here");
    await page.getByRole("button", { name: "Measure with these records" }).click();
    await error.getByText("line 2 has no TAB", { exact: false }).waitFor();
    await visit.screenshots("your-records-error", undefined, { selector: ".your-records" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
