// kafkajs produces per send() call: with kafkajs picked, the client picker offers
// "Messages per send() call", by keyboard; the choice goes in the URL and the Write Path's
// application sends its records in calls of that many. Screenshots of the picker and the
// Write Path at 375 and 1440 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/harness.mjs";
import { reload, section } from "../lib/page.mjs";

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

test("kafkajs takes several messages per send() call, by keyboard, and the Write Path follows", async () => {
  const visit = await app.open("/");
  try {
    const { page } = visit;
    const picker = section(page, "Your client");
    const perSend = picker.getByLabel(/^Messages per send\(\) call/);
    assert.ok(await perSend.isHidden(), "only kafkajs takes several per call");
    const java = picker.getByRole("radio", { name: "Java (Kafka 4.x)" });
    await java.focus();
    // Java, librdkafka, kafkajs: two steps to the right.
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.ok(await picker.getByRole("radio", { name: /^kafkajs/ }).isChecked());
    assert.match(
      await picker.getByTestId("client-profile").innerText(),
      /each send\(\) call's messages go at once, a batch per partition/,
    );
    await page.keyboard.press("Tab");
    assert.ok(await perSend.evaluate((el) => el === document.activeElement), "the field is the next Tab stop");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("10");
    await page.keyboard.press("Enter");
    await perSend.blur();
    await page.waitForFunction(() => location.search.includes("workload.messages.per.send=10"));

    // The Write Path's records now leave in calls of 10: batches hold several records.
    const writePath = section(page, "Write Path");
    await writePath.scrollIntoViewIfNeeded();
    await writePath.getByRole("button", { name: "Skip 10 s" }).click();
    await page.waitForTimeout(500);
    await visit.screenshots("kafkajs-client", undefined, { selector: "#client" });
    await visit.screenshots("kafkajs-write-path", undefined, { selector: "#write-path" });

    // Out of range: refused with the reason.
    await perSend.focus();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("500");
    await page.keyboard.press("Enter");
    await picker.getByText(/between 1 and 100/).waitFor();

    // The choice survives a reload; back to Java, the field and the setting go.
    await reload(page);
    const again = section(page, "Your client");
    assert.equal(await again.getByLabel(/^Messages per send\(\) call/).inputValue(), "10");
    await again.getByRole("radio", { name: "Java (Kafka 4.x)" }).check();
    assert.ok(await again.getByLabel(/^Messages per send\(\) call/).isHidden());
    await page.waitForFunction(() => location.search.includes("client=java"));
    visit.assertClean();
  } finally {
    await visit.close();
  }
});
