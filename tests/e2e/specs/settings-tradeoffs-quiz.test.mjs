// The page's second half against the release build, in headless Chromium, as a visitor
// uses it with the mouse and with the keyboard alone: Key Settings (pick a setting, read
// its Kafka default and what librdkafka calls it), Throughput vs Durability (move every
// control, see the engine's measured numbers, the bars and the chart change, meet
// Kafka's refusal of a bad combination, export the config, reload and keep the
// settings), and Test Yourself (answer every question, see the score, restart).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOT_DIR, useApp } from "../lib/harness.mjs";
import { isFocused, reload, section, tabTo } from "../lib/page.mjs";

const app = useApp();



/** The first number in a text, ignoring thousands separators ("12,345 records/s" -> 12345). */
function number(text) {
  const match = /-?\d[\d,]*(\.\d+)?/.exec(text ?? "");
  assert.ok(match, `a number in ${JSON.stringify(text)}`);
  return Number(match[0].replaceAll(",", ""));
}

// ---------- Key Settings ----------

// Kafka facts the details must show, each from its source:
// - linger.ms: 5 since Kafka 4.0 (KIP-1030; was 0); librdkafka linger.ms, default 5
//   (CONFIGURATION.md, alias queue.buffering.max.ms); .NET ProducerConfig.LingerMs.
// - batch.size: 16384 (ProducerConfig); librdkafka batch.size, default 1000000
//   (CONFIGURATION.md).
// - acks: all since Kafka 3.0 (KIP-679; was 1); librdkafka default -1 (= all).
// - unclean.leader.election.enable: a topic setting, default false (TopicConfig /
//   ReplicationConfigs); no producer client has it.

/** What the details panel shows: the setting's name, Kafka default and librdkafka's row. */
async function details(ks) {
  const panel = ks.locator("#ks-details");
  const fact = async (term) =>
    (await panel.locator(".ks-fact").filter({ has: ks.page().locator(`dt:text-is("${term}")`) }).locator("dd").innerText()).trim();
  const librdkafka = panel.getByRole("row").filter({ has: ks.page().getByRole("rowheader", { name: /^librdkafka/ }) });
  const hasClients = (await librdkafka.count()) > 0;
  return {
    name: (await panel.getByRole("heading", { level: 3 }).first().innerText()).trim(),
    kafkaDefault: await fact("Kafka default (4.x)"),
    history: await fact("Default history"),
    librdkafka: hasClients ? (await librdkafka.getByRole("cell").allInnerTexts()).map((t) => t.trim()) : null,
    text: await panel.innerText(),
  };
}

test("Key Settings: a setting picked by mouse or by arrow keys shows Kafka's default and librdkafka's name", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const ks = section(page, "Key Settings");
    await ks.scrollIntoViewIfNeeded();
    const item = (name) => ks.getByRole("button", { name, exact: true });

    // By mouse.
    await item("linger.ms").click();
    assert.equal(await item("linger.ms").getAttribute("aria-pressed"), "true");
    let shown = await details(ks);
    assert.equal(shown.name, "linger.ms");
    assert.equal(shown.kafkaDefault, "5");
    assert.match(shown.history, /Kafka 4\.0: 0 → 5 \(KIP-1030\)/);
    assert.deepEqual(shown.librdkafka.slice(0, 2), ["linger.ms", "5"], "librdkafka's name and default");
    assert.match(shown.text, /LingerMs/, ".NET's ProducerConfig property");
    await page.getByText("Showing linger.ms").waitFor({ state: "attached" });

    // By keyboard: arrows move the selection and the focus, Home and End jump.
    await item("acks").focus();
    await page.keyboard.press("Enter");
    shown = await details(ks);
    assert.equal(shown.name, "acks");
    assert.equal(shown.kafkaDefault, "all");
    assert.match(shown.history, /Kafka 3\.0: 1 → all \(KIP-679\)/);
    assert.equal(shown.librdkafka[1], "-1", "librdkafka's default acks is -1 (all)");

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.ok(await isFocused(item("batch.size")), "the focus follows the arrow keys");
    assert.equal(await item("batch.size").getAttribute("aria-pressed"), "true");
    assert.equal(await item("acks").getAttribute("aria-pressed"), "false");
    shown = await details(ks);
    assert.equal(shown.name, "batch.size");
    assert.equal(shown.kafkaDefault, "16384");
    assert.deepEqual(shown.librdkafka.slice(0, 2), ["batch.size", "1000000"]);

    // A roving tabindex: the whole list is one Tab stop, on the selected setting.
    const list = ks.getByRole("navigation", { name: "Kafka settings" });
    assert.equal(await list.locator('button[tabindex="0"]').count(), 1, "one Tab stop in the list");
    await page.keyboard.press("Tab");
    assert.equal(
      await list.evaluate((nav) => nav.contains(document.activeElement)),
      false,
      "Tab leaves the list at once",
    );
    await page.keyboard.press("Shift+Tab");
    assert.ok(await isFocused(item("batch.size")), "Shift+Tab comes back to the selected setting");

    await page.keyboard.press("ArrowUp");
    assert.equal((await details(ks)).name, "enable.idempotence");

    await page.keyboard.press("End");
    assert.ok(await isFocused(item("unclean.leader.election.enable")));
    shown = await details(ks);
    assert.equal(shown.name, "unclean.leader.election.enable");
    assert.equal(shown.kafkaDefault, "false");
    assert.equal(shown.librdkafka, null, "a topic setting has no client row");
    assert.match(shown.text, /topic setting/i);
    assert.match(shown.text, /change it with kafka-configs/);

    // The replication factor is each partition's replica list: reassignment changes it
    // (docs/ops.html, "Increasing replication factor"), not kafka-configs.
    await page.keyboard.press("ArrowUp");
    shown = await details(ks);
    assert.equal(shown.name, "replication.factor");
    assert.match(shown.text, /kafka-reassign-partitions/);
    assert.match(shown.text, /kafka-configs cannot/);
    await page.keyboard.press("ArrowDown");

    await page.keyboard.press("ArrowDown");
    assert.ok(await isFocused(item("acks")), "the list wraps around");
    await page.keyboard.press("Home");
    assert.equal((await details(ks)).name, "acks");

    await item("linger.ms").click();
    await visit.screenshots("key-settings", undefined, { selector: "#key-settings" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

// ---------- Throughput vs Durability ----------

const TRADEOFFS = "Throughput vs Durability";
const BATCH_SIZES = [0, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576];
const LINGER_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** The section's controls, by their Kafka names. */
function controls(page) {
  const s = section(page, TRADEOFFS);
  const control = (name) => s.getByLabel(name, { exact: true });
  return {
    acks: control("acks"),
    batchSize: control("batch.size"),
    lingerMs: control("linger.ms"),
    compressionType: control("compression.type"),
    enableIdempotence: control("enable.idempotence"),
  };
}

/**
 * Waits until the engine has measured the current settings (scores, figures and the
 * chart's sweep), then reads everything the section shows.
 */
async function measured(page, timeout = 120_000) {
  const root = page.locator("#throughput-vs-durability");
  await page.waitForFunction(
    () => {
      const s = document.querySelector("#throughput-vs-durability");
      return s?.dataset.state === "done" && s.querySelector(".tradeoffs__figure--stale") === null;
    },
    null,
    { timeout, polling: 100 },
  );
  const figure = async (id) => (await root.locator(`[data-figure="${id}"]`).innerText()).trim();
  const meter = async (id) => {
    const m = root.locator(`[role="meter"][data-score="${id}"]`);
    return {
      value: Number(await m.getAttribute("aria-valuenow")),
      // The fill's share of the bar, in percent.
      width: Number.parseFloat(await m.locator(".tradeoffs__meter-fill").evaluate((el) => el.style.width)),
    };
  };
  return {
    recordsPerSec: number(await figure("records-per-sec")),
    mbPerSec: number(await figure("mb-per-sec")),
    batchSizeAvg: number(await figure("steady-rate-batch-size-avg")),
    p99Ms: number(await figure("p99-ms")),
    compressionRate: number(await figure("full-speed-compression-rate")),
    replay: await figure("replay"),
    lost: number(await figure("replay")),
    throughput: await meter("throughput"),
    durability: await meter("durability"),
    latency: await meter("latency"),
    risk: await meter("risk"),
    doneMs: Number(await root.getAttribute("data-done-ms")),
    scoresMs: Number(await root.getAttribute("data-scores-ms")),
    maxSliceMs: Number(await root.getAttribute("data-max-slice-ms")),
    measuredIn: await root.getAttribute("data-measured-in"),
  };
}

/** A fingerprint of the chart's pixels (FNV-1a of its PNG data URL) and its size. */
const chartPixels = (page) =>
  page.locator("#throughput-vs-durability canvas").evaluate((canvas) => {
    const data = canvas.toDataURL();
    let hash = 0x811c9dc5;
    for (let i = 0; i < data.length; i++) {
      hash = Math.imul(hash ^ data.charCodeAt(i), 0x01000193) >>> 0;
    }
    return `${canvas.width}x${canvas.height}:${data.length}:${hash.toString(16)}`;
  });

/** The URL's `tradeoff.` settings, as an object. */
const urlTradeoffs = (page) =>
  page.evaluate(() =>
    Object.fromEntries([...new URLSearchParams(location.search)].filter(([k]) => k.startsWith("tradeoff."))),
  );

/** Clicks a range input at `fraction` of its width (0 = left end, 1 = right end). */
async function clickSlider(page, slider, fraction) {
  const box = await slider.boundingBox();
  const x = box.x + Math.min(box.width - 1, Math.max(1, fraction * box.width));
  await page.mouse.click(x, box.y + box.height / 2);
}

function log(what, m) {
  console.log(
    `${what}: ${m.recordsPerSec} records/s, ${m.mbPerSec} MB/s, batch-size-avg ${m.batchSizeAvg}, ` +
      `p99 ${m.p99Ms} ms, compression ${m.compressionRate}, replay "${m.replay}"; scores ` +
      `T${m.throughput.value} D${m.durability.value} L${m.latency.value} R${m.risk.value}; ` +
      `scores in ${m.scoresMs} ms (budget 300 ms), all in ${m.doneMs} ms, ` +
      `longest slice of main-thread work ${m.maxSliceMs} ms (budget 50 ms), measured in the ${m.measuredIn}`,
  );
}

test("Throughput vs Durability: every control by keyboard and by mouse moves the measured numbers, the bars and the chart; the settings survive a reload", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const s = section(page, TRADEOFFS);
    await s.scrollIntoViewIfNeeded();
    const c = controls(page);

    const defaults = await measured(page);
    log("Kafka's defaults", defaults);
    assert.equal(defaults.measuredIn, "worker", "the engine runs off the page's main thread");
    assert.equal(defaults.throughput.value, 50, "Kafka's defaults are the throughput reference");
    assert.ok(Math.abs(defaults.throughput.width - 50) < 0.5, "the bar is as long as the score");
    assert.equal(defaults.durability.value, 100, "acks=all loses nothing in the failure replays");
    assert.match(defaults.replay, /^0 lost/);
    assert.deepEqual(await urlTradeoffs(page), {}, "Kafka's defaults add nothing to the URL");
    const defaultChart = await chartPixels(page);

    // acks by keyboard: options 0, 1, all; from all, two steps up is 0.
    await c.acks.focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    assert.equal(await c.acks.inputValue(), "0");
    const acks0 = await measured(page);
    log("acks=0", acks0);
    assert.ok(acks0.recordsPerSec >= defaults.recordsPerSec, "acks=0 is no slower than acks=all");
    assert.ok(acks0.throughput.value >= defaults.throughput.value);
    assert.ok(acks0.durability.value < defaults.durability.value, "acks=0 is less durable");
    assert.ok(acks0.durability.width < defaults.durability.width, "the durability bar got shorter");
    assert.ok(acks0.risk.width > defaults.risk.width, "the risk bar got longer");
    assert.ok(acks0.risk.value > defaults.risk.value, "acks=0 is riskier");
    assert.ok(acks0.lost > 0, `records were lost in the replays (${acks0.replay})`);
    assert.notEqual(await chartPixels(page), defaultChart, "the chart was redrawn");
    assert.deepEqual(await urlTradeoffs(page), { "tradeoff.acks": "0" });

    // acks by mouse: pick 1 from the list.
    await c.acks.selectOption("1");
    const acks1 = await measured(page);
    log("acks=1", acks1);
    assert.deepEqual(await urlTradeoffs(page), { "tradeoff.acks": "1" });

    // linger.ms by keyboard: Home is 0 ms.
    await c.lingerMs.focus();
    await page.keyboard.press("Home");
    assert.equal(await c.lingerMs.getAttribute("aria-valuetext"), "0 ms");
    const linger0 = await measured(page);
    log("acks=1, linger.ms=0", linger0);
    // ... and ArrowRight steps through the presets.
    await page.keyboard.press("ArrowRight");
    assert.equal(await c.lingerMs.getAttribute("aria-valuetext"), `${LINGER_MS[1]} ms`);
    // linger.ms by mouse: the right end of the slider is the largest value.
    await clickSlider(page, c.lingerMs, 1);
    assert.equal(await c.lingerMs.getAttribute("aria-valuetext"), `${LINGER_MS.at(-1)} ms`);
    await s.locator("output[for='tradeoffs-linger-ms']").getByText(`${LINGER_MS.at(-1)} ms`).waitFor();
    const linger1000 = await measured(page);
    log("acks=1, linger.ms=1000", linger1000);
    assert.ok(linger1000.batchSizeAvg > linger0.batchSizeAvg, "waiting longer fills batches more");
    assert.ok(linger1000.p99Ms > linger0.p99Ms, "waiting longer raises p99 latency");
    assert.ok(linger1000.latency.value > linger0.latency.value, "the latency bar grows");
    assert.equal((await urlTradeoffs(page))["tradeoff.linger.ms"], "1000");

    // (The chart sweeps linger.ms with the other settings as chosen: a change of
    // linger.ms alone leaves it as it was; batch.size redraws it.)
    const lingerChart = await chartPixels(page);

    // batch.size by mouse: the left end is 0 (no batching) ...
    await clickSlider(page, c.batchSize, 0);
    assert.equal(await c.batchSize.getAttribute("aria-valuetext"), "0 bytes (no batching)");
    const batch0 = await measured(page);
    log("batch.size=0", batch0);
    // ... and by keyboard: End is 1 MiB, ArrowLeft one preset down.
    await c.batchSize.focus();
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    const batchSize = BATCH_SIZES.at(-2);
    assert.equal(await c.batchSize.getAttribute("aria-valuetext"), `${batchSize} bytes (${batchSize / 1024} KiB)`);
    const batchBig = await measured(page);
    log(`batch.size=${batchSize}`, batchBig);
    assert.ok(batchBig.batchSizeAvg > batch0.batchSizeAvg, "bigger batches when batching is on");
    assert.notEqual(await chartPixels(page), lingerChart, "the chart was redrawn");
    assert.equal((await urlTradeoffs(page))["tradeoff.batch.size"], String(batchSize));

    // compression.type by keyboard: from none, one down is gzip ...
    assert.equal(batchBig.compressionRate, 1, "no compression: ratio 1");
    await c.compressionType.focus();
    await page.keyboard.press("ArrowDown");
    assert.equal(await c.compressionType.inputValue(), "gzip");
    const gzip = await measured(page);
    log("gzip", gzip);
    assert.ok(gzip.compressionRate < 1, "gzip shrinks the batches");
    // ... and by mouse: zstd.
    await c.compressionType.selectOption("zstd");
    const zstd = await measured(page);
    log("zstd", zstd);
    assert.ok(zstd.compressionRate < 1, "zstd shrinks the batches");
    assert.equal((await urlTradeoffs(page))["tradeoff.compression.type"], "zstd");

    // enable.idempotence by keyboard: unset -> true, which Kafka refuses with acks=1.
    await c.enableIdempotence.focus();
    await page.keyboard.press("ArrowDown");
    assert.equal(await c.enableIdempotence.inputValue(), "true");
    const rule = s.getByRole("alert").filter({ hasText: "Must set acks to all" });
    await rule.waitFor();
    assert.equal(await s.getAttribute("data-state"), "invalid");
    await s.getByText("Kafka would refuse these settings").waitFor();
    // Export offers no configuration Kafka refuses, and says why; Copy is off.
    await s.getByTestId("export-refused").filter({ hasText: "refuses acks=1 with enable.idempotence=true" }).waitFor();
    assert.ok(await s.locator(".tradeoffs__copy").isHidden(), "nothing to copy");
    assert.ok(await s.locator("#tradeoffs-export-text").isHidden(), "no refused config shown");
    await visit.screenshots("tradeoffs-invalid", undefined, { selector: "#throughput-vs-durability" });
    // ... and by mouse: false is a combination Kafka takes.
    await c.enableIdempotence.selectOption("false");
    await rule.waitFor({ state: "detached" });
    const final = await measured(page);
    log("acks=1, batch.size=512K, linger.ms=1000, zstd, idempotence off", final);

    const chosen = {
      "tradeoff.acks": "1",
      "tradeoff.batch.size": String(batchSize),
      "tradeoff.linger.ms": "1000",
      "tradeoff.compression.type": "zstd",
      "tradeoff.enable.idempotence": "false",
    };
    assert.deepEqual(await urlTradeoffs(page), chosen, "every choice is in the URL");
    assert.equal(new URL(page.url()).searchParams.get("acks"), null, "the write path's acks is untouched");
    assert.equal(
      await section(page, "Write Path").getByLabel("acks", { exact: true }).inputValue(),
      "all",
      "the write path keeps its own acks",
    );

    // Export config: every format by mouse, then by arrow keys; Java has the settings.
    const tabs = s.getByRole("tablist");
    const text = s.locator("#tradeoffs-export-text");
    const exported = {};
    const names = ["Java", "Python", "Go", ".NET", "kafkajs", "sarama", "franz-go"];
    for (const name of names) {
      const tab = tabs.getByRole("tab", { name, exact: true });
      await tab.click();
      assert.equal(await tab.getAttribute("aria-selected"), "true");
      exported[name] = await text.inputValue();
      assert.ok(exported[name].trim().length > 0, `${name} export has text`);
    }
    assert.equal(new Set(Object.values(exported)).size, names.length, "each format gives its own text");
    const javaLines = exported.Java.split("\n").map((l) => l.trim());
    for (const line of [
      "acks=1",
      `batch.size=${batchSize}`,
      "linger.ms=1000",
      "compression.type=zstd",
      "enable.idempotence=false",
    ]) {
      assert.ok(javaLines.includes(line), `Java properties contain ${line}:\n${exported.Java}`);
    }
    assert.match(exported.Python, /'linger\.ms': 1000|"linger\.ms": 1000|linger\.ms/);
    assert.match(exported[".NET"], /LingerMs = 1000/);
    assert.match(exported.sarama, /config\.Producer\.Flush\.Frequency = 1000 \* time\.Millisecond/);
    assert.match(exported["franz-go"], /kgo\.ProducerLinger\(1000\*time\.Millisecond\)/);
    await tabs.getByRole("tab", { name: "franz-go" }).focus();
    await page.keyboard.press("ArrowRight");
    const java = tabs.getByRole("tab", { name: "Java", exact: true });
    assert.ok(await isFocused(java), "ArrowRight wraps to the first tab");
    assert.equal(await java.getAttribute("aria-selected"), "true");
    assert.equal(await text.inputValue(), exported.Java);
    await page.keyboard.press("ArrowRight");
    assert.equal(await text.inputValue(), exported.Python);
    await page.keyboard.press("End");
    assert.equal(await text.inputValue(), exported["franz-go"]);

    await visit.screenshots("tradeoffs", undefined, { selector: "#throughput-vs-durability" });

    // A reload restores every choice from the URL.
    await reload(page);
    const again = controls(page);
    assert.equal(await again.acks.inputValue(), "1");
    assert.equal(await again.batchSize.getAttribute("aria-valuetext"), `${batchSize} bytes (${batchSize / 1024} KiB)`);
    assert.equal(await again.lingerMs.getAttribute("aria-valuetext"), "1000 ms");
    assert.equal(await again.compressionType.inputValue(), "zstd");
    assert.equal(await again.enableIdempotence.inputValue(), "false");
    assert.equal(await section(page, TRADEOFFS).locator("#tradeoffs-export-text").inputValue(), exported.Java);
    const restored = await measured(page);
    assert.equal(restored.recordsPerSec, final.recordsPerSec, "the same settings measure the same (seeded)");
    assert.equal(restored.p99Ms, final.p99Ms);
    assert.equal(await page.getByRole("status").filter({ hasText: "could not be used" }).count(), 0, "no notice");
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("Throughput vs Durability: a shared link restores its settings, and hostile ones fall back with a notice", async () => {
  const shared = await app.open("/?acks=1&tradeoff.acks=0&tradeoff.linger.ms=20&tradeoff.compression.type=lz4");
  try {
    const { page } = shared;
    const c = controls(page);
    assert.equal(await c.acks.inputValue(), "0");
    assert.equal(await c.lingerMs.getAttribute("aria-valuetext"), "20 ms");
    assert.equal(await c.compressionType.inputValue(), "lz4");
    assert.equal(await c.enableIdempotence.inputValue(), "unset");
    assert.equal(await section(page, "Write Path").getByLabel("acks", { exact: true }).inputValue(), "1");
    shared.assertClean();
  } finally {
    await shared.close();
  }

  const hostile = await app.open(
    "/?tradeoff.acks=7&tradeoff.batch.size=%3Cscript%3E&tradeoff.linger.ms=99999999&tradeoff.partitions=6&tradeoff.compression.type=gzip",
  );
  try {
    const { page } = hostile;
    const notice = page.getByRole("status").filter({ hasText: "could not be used" });
    await notice.waitFor();
    assert.equal(await notice.locator("li").count(), 4, `one line per value ignored:\n${await notice.innerText()}`);
    assert.match(await notice.innerText(), /“<script>”/);
    const c = controls(page);
    assert.equal(await c.acks.inputValue(), "all", "Kafka's default acks");
    assert.equal(await c.batchSize.getAttribute("aria-valuetext"), "16384 bytes (16 KiB)");
    assert.equal(await c.lingerMs.getAttribute("aria-valuetext"), "5 ms");
    assert.equal(await c.compressionType.inputValue(), "gzip", "the good value is kept");
    assert.equal(await page.locator("main script").count(), 0, "nothing from the URL became HTML");
    hostile.assertClean();
  } finally {
    await hostile.close();
  }
});

test("Throughput vs Durability: without its worker the page measures by itself, to the same numbers", async () => {
  const path = "/?tradeoff.acks=1&tradeoff.linger.ms=20&tradeoff.compression.type=lz4";
  const figures = (m) => [m.recordsPerSec, m.p99Ms, m.compressionRate, m.replay, m.throughput.value, m.risk.value];
  let inWorker;
  const normal = await app.open(path);
  try {
    inWorker = await measured(normal.page);
    assert.equal(inWorker.measuredIn, "worker");
    normal.assertClean();
  } finally {
    await normal.close();
  }

  // A browser without workers.
  const noWorkers = await app.open(path, { init: () => delete window.Worker });
  try {
    const m = await measured(noWorkers.page);
    log("no Worker", m);
    assert.equal(m.measuredIn, "page");
    assert.deepEqual(figures(m), figures(inWorker), "the same settings measure the same (seeded)");
    noWorkers.assertClean();
  } finally {
    await noWorkers.close();
  }

  // A worker that fails to start: its first message names a module that is not there.
  const broken = await app.open(path, {
    init: () => {
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message, ...rest) {
        const [app, module] = Array.isArray(message) ? message : [];
        const first = typeof app === "string";
        return post.call(this, first ? [new URL("/not-the-app.js", app).href, module] : message, ...rest);
      };
    },
  });
  try {
    const m = await measured(broken.page);
    log("broken worker", m);
    assert.equal(m.measuredIn, "page");
    assert.deepEqual(figures(m), figures(inWorker));
    assert.deepEqual(broken.pageErrors, []);
    assert.ok(
      broken.failedRequests.length > 0 && broken.failedRequests.every((r) => r.includes("/not-the-app.js")),
      `only the missing module failed to load: ${broken.failedRequests}`,
    );
  } finally {
    await broken.close();
  }
});

// ---------- Test Yourself ----------

test("Test Yourself: every question answered by keyboard, the score, and a restart", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const quiz = section(page, "Test Yourself");
    await quiz.scrollIntoViewIfNeeded();
    const progress = quiz.locator(".quiz-progress");
    const total = Number(/of (\d+)/.exec(await progress.innerText())[1]);
    assert.ok(total >= 20, `at least 20 questions (${total})`);

    // Keyboard only from here: start at the question's heading.
    await quiz.locator("#quiz-prompt").focus();
    let right = 0;
    const prompts = [];
    for (let i = 0; i < total; i++) {
      assert.match(await progress.innerText(), new RegExp(`Question ${i + 1} of ${total}`));
      const prompt = quiz.locator("#quiz-prompt");
      assert.ok(await isFocused(prompt), `question ${i + 1} has the focus`);
      prompts.push(await prompt.innerText());
      const answers = quiz.locator(".quiz-answer");
      const n = await answers.count();
      assert.ok(n >= 2, "multiple choice");
      // Pick a different answer position each time: Tab (i % n) + 1 times.
      const pick = i % n;
      for (let t = 0; t <= pick; t++) await page.keyboard.press("Tab");
      assert.ok(await isFocused(answers.nth(pick)), `answer ${pick + 1} has the focus`);
      await page.keyboard.press("Enter");
      const verdict = quiz.locator(".quiz-verdict");
      await verdict.waitFor();
      const correct = (await verdict.innerText()).includes("Correct");
      if (correct) right++;
      assert.ok((await quiz.locator(".quiz-explanation").innerText()).trim().length > 0, "an explanation follows");
      assert.match(await quiz.locator(".quiz-score").innerText(), new RegExp(`Score: ${right} of ${i + 1} answered`));
      // A second press does not change the answer.
      await page.keyboard.press("Enter");
      assert.equal((await verdict.innerText()).includes("Correct"), correct);
      if (i === 0) await visit.screenshots("quiz-question", undefined, { selector: "#test-yourself" });

      const next = quiz.getByRole("button", { name: i + 1 === total ? "See your score" : "Next question" });
      assert.ok(await tabTo(page, next, n + 2), "the next button is reachable by Tab");
      await page.keyboard.press("Enter");
      if (i + 1 < total) {
        await page.waitForFunction(() => document.activeElement?.id === "quiz-prompt");
      }
    }
    assert.equal(new Set(prompts).size, total, "each question is asked once");

    const result = quiz.locator("#quiz-result");
    await page.waitForFunction(() => document.activeElement?.id === "quiz-result");
    assert.equal((await result.innerText()).trim(), `You scored ${right} of ${total}`);
    assert.ok((await quiz.locator(".quiz-breakdown tbody tr").count()) >= 4, "a score per topic");
    await visit.screenshots("quiz-result", undefined, { selector: "#test-yourself" });

    const restart = quiz.getByRole("button", { name: "Restart quiz" });
    assert.ok(await tabTo(page, restart, 30), "restart is reachable by Tab");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "quiz-prompt");
    assert.match(await progress.innerText(), new RegExp(`Question 1 of ${total}`));
    assert.match(await quiz.locator(".quiz-score").innerText(), /Score: 0 of 0 answered/);
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

// ---------- how the page looks ----------

test("screenshots of the top of the page and of each section, at 375 px and 1440 px", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    // The top of the page at a desktop width (hero and the first sections), for the README.
    await visit.setWidth(1440);
    await page.waitForTimeout(1500); // let the live flow show records on their way
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(SCREENSHOT_DIR, "readme-top-1440.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1440, height: 1500 },
    });
    for (const id of [
      "top",
      "how-producers-work",
      "partition-assignment",
      "write-path",
      "key-settings",
      "throughput-vs-durability",
      "test-yourself",
    ]) {
      await visit.screenshots(`section-${id}`, undefined, { selector: `#${id}` });
    }
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
