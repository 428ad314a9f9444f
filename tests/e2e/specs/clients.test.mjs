// The client picker, the side-by-side placement of a key by every client and the
// mixed-producers demo, against the release build in headless Chromium, by keyboard.
// Expected partitions are the clients' own (tests/client_oracles.rs checks the engine
// against librdkafka, kafkajs and sarama): "kafka" in 6 partitions is 4 with murmur2
// (Java, kafkajs, franz-go) and 5 with librdkafka's CRC-32 and sarama's FNV-1a.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/harness.mjs";
import { reload } from "../lib/page.mjs";

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const section = (page, name) => page.getByRole("region", { name, exact: true });

test("the client picker works from the keyboard and every section follows it", async () => {
  const visit = await app.open("/?partitions=6");
  try {
    const { page } = visit;
    const picker = section(page, "Your client");
    const java = picker.getByRole("radio", { name: "Java (Kafka 4.x)" });
    await java.focus();
    assert.ok(await java.isChecked());
    // Arrow keys move through a radio group and choose as they go.
    await page.keyboard.press("ArrowRight");
    const librdkafka = picker.getByRole("radio", { name: /^librdkafka/ });
    assert.ok(await librdkafka.isChecked());
    assert.match(await picker.getByTestId("client-profile").innerText(), /partitioner consistent_random/);
    await page.waitForFunction(() => location.search.includes("client=librdkafka"));

    // Partition Assignment now runs librdkafka's producer: "kafka" goes to partition 5.
    const demo = section(page, "Partition Assignment");
    const key = demo.getByLabel("Message key");
    await key.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("kafka");
    await page.keyboard.press("Enter");
    assert.equal(await demo.getByTestId("pa-partition").innerText(), "5");

    // The choice survives a reload.
    await reload(page);
    await section(page, "Your client").getByRole("radio", { name: /^librdkafka/ }).waitFor();
    assert.ok(await section(page, "Your client").getByRole("radio", { name: /^librdkafka/ }).isChecked());
    visit.assertClean();
  } finally {
    await visit.close();
  }
});

test("every client's partition for the typed key, side by side, and the mixed producers", async () => {
  const visit = await app.open("/?partitions=6");
  try {
    const { page } = visit;
    const demo = section(page, "Partition Assignment");
    const key = demo.getByLabel("Message key");
    await key.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("kafka");
    const compare = demo.getByTestId("client-compare");
    const expected = { java: "P4", librdkafka: "P5", kafkajs: "P4", sarama: "P5", "franz-go": "P4" };
    for (const [client, partition] of Object.entries(expected)) {
      assert.equal(await compare.getByTestId(`compare-${client}`).innerText(), partition, client);
    }
    assert.match(await compare.innerText(), /CRC-32 = /);
    assert.match(await compare.innerText(), /FNV-1a = /);

    const mixed = demo.getByTestId("mixed-producers");
    assert.equal(await mixed.locator("tbody tr").count(), 8);
    const split = await mixed.locator("tbody tr[data-split=true]").count();
    assert.ok(split >= 4, `${split} keys split`);
    assert.match(await mixed.getByTestId("mixed-summary").innerText(), new RegExp(`^${split} of 8 keys split`));

    await visit.screenshots("clients", undefined, { selector: "#partition-assignment" });
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
