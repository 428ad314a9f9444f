//! Browser tests of the client picker, the side-by-side placement of a key by every
//! client, and the mixed-producers demo, in headless Chromium.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::clients::Client;
use producer_sim::ui::clients::model::{mixed_producers, MIXED_KEYS};
use producer_sim::ui::clients::ClientPicker;
use producer_sim::ui::partition_assignment::PartitionAssignment;
use producer_sim::ui::settings::PageSettings;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{find, fresh_container, set_value};

async fn settle() {
    for _ in 0..6 {
        leptos::task::tick().await;
    }
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// The picker and Partition Assignment sharing one set of page settings.
fn mount() -> HtmlElement {
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), || {
        provide_context(PageSettings::defaults());
        view! {
            <ClientPicker/>
            <PartitionAssignment/>
        }
    })
    .forget();
    container
}

async fn pick(container: &HtmlElement, client: Client) {
    let radio: HtmlElement = find(
        container,
        &format!("[data-testid=client-{}]", client.name()),
    )
    .dyn_into()
    .unwrap();
    radio.click();
    settle().await;
}

async fn six_partitions(container: &HtmlElement) {
    set_value(&find(container, "#pa-partitions"), "6", "change");
    settle().await;
}

fn compared(container: &HtmlElement, client: Client) -> String {
    text(&find(
        container,
        &format!("[data-testid=compare-{}]", client.name()),
    ))
    .trim()
    .to_string()
}

#[wasm_bindgen_test]
async fn every_client_places_the_typed_key_side_by_side() {
    let c = mount();
    six_partitions(&c).await;
    set_value(&find(&c, "#pa-key"), "kafka", "input");
    settle().await;
    for (client, want) in [
        (Client::Java, "P4"),
        (Client::Librdkafka, "P5"),
        (Client::Kafkajs, "P4"),
        (Client::Sarama, "P5"),
        (Client::FranzGo, "P4"),
    ] {
        assert_eq!(compared(&c, client), want, "{client}");
    }
    assert!(
        text(&find(&c, "[data-testid=client-compare-summary]")).contains("2 different partitions")
    );
    // Each client's hash step is shown.
    let rd = text(&find(&c, "[data-client=librdkafka]"));
    assert!(rd.contains("CRC-32 = "), "{rd}");
    assert!(rd.contains("h % n, h unsigned with n = 6: 5"), "{rd}");
    // An empty key: librdkafka's default picks the partition itself.
    set_value(&find(&c, "#pa-key"), "", "input");
    settle().await;
    assert_eq!(compared(&c, Client::Librdkafka), "picks");
    assert_eq!(compared(&c, Client::Sarama), "P3");
}

#[wasm_bindgen_test]
async fn the_picker_changes_whose_producer_runs() {
    let c = mount();
    six_partitions(&c).await;
    assert!(text(&find(&c, "[data-testid=client-profile]")).contains("partitioner built-in"));
    pick(&c, Client::Librdkafka).await;
    let profile = text(&find(&c, "[data-testid=client-profile]"));
    assert!(profile.contains("idempotence off"), "{profile}");
    assert!(profile.contains("batch.size=1000000"), "{profile}");
    assert!(
        profile.contains("partitioner consistent_random"),
        "{profile}"
    );
    let chosen = find(&c, ".clients-compare__item--chosen");
    assert_eq!(
        chosen.get_attribute("data-client").as_deref(),
        Some("librdkafka")
    );
    // The demo's producer is now librdkafka's: "kafka" goes to partition 5, not 4.
    set_value(&find(&c, "#pa-key"), "kafka", "input");
    settle().await;
    let send: HtmlElement = find(&c, ".pa__controls button[type=submit]")
        .dyn_into()
        .unwrap();
    send.click();
    settle().await;
    assert_eq!(text(&find(&c, "[data-testid=pa-partition]")).trim(), "5");
    // kafkajs: batches per send() call, and its profile says where the simulation is
    // simpler than the client.
    pick(&c, Client::Kafkajs).await;
    let profile = text(&find(&c, "[data-testid=client-profile]"));
    assert!(
        profile.contains("each send() call's messages go at once, a batch per partition"),
        "{profile}"
    );
    assert!(!profile.contains("linger.ms=0"), "{profile}");
    assert!(
        profile.contains("Simpler here: a retried send() call keeps its partitions"),
        "{profile}"
    );
    // Back to Java: partition 4.
    pick(&c, Client::Java).await;
    let profile = text(&find(&c, "[data-testid=client-profile]"));
    assert!(profile.contains("partitioner built-in"), "{profile}");
    send.click();
    settle().await;
    assert_eq!(text(&find(&c, "[data-testid=pa-partition]")).trim(), "4");
}

/// The demo's key rows, as their `data-split` values.
fn split_flags(demo: &Element) -> Vec<bool> {
    let rows = demo.get_elements_by_tag_name("tr");
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|row| row.get_attribute("data-split"))
        .map(|flag| flag == "true")
        .collect()
}

#[wasm_bindgen_test]
async fn mixed_producers_show_which_keys_lose_their_order() {
    let c = mount();
    six_partitions(&c).await;
    let demo = find(&c, "[data-testid=mixed-producers]");
    let flags = split_flags(&demo);
    assert_eq!(flags.len(), MIXED_KEYS.len());
    let expected: Vec<bool> = mixed_producers(6).iter().map(|k| k.split()).collect();
    assert_eq!(flags, expected);
    let split = flags.iter().filter(|&&f| f).count();
    let summary = text(&find(&c, "[data-testid=mixed-summary]"));
    assert!(
        summary.contains(&format!("{split} of 8 keys split")),
        "{summary}"
    );
    // One partition: no key can split.
    set_value(&find(&c, "#pa-partitions"), "1", "change");
    settle().await;
    assert!(split_flags(&demo).iter().all(|&f| !f));
}

#[wasm_bindgen_test]
async fn kafkajs_sends_several_messages_per_call_and_the_others_one() {
    let container = fresh_container();
    let settings = PageSettings::defaults();
    leptos::mount::mount_to(container.clone(), move || {
        provide_context(settings);
        view! { <ClientPicker/> }
    })
    .forget();
    let field = "[data-testid=client-per-send]";
    let per_send = || settings.config().get_untracked().workload.messages_per_send;
    let hidden = |c: &HtmlElement| {
        let field = find(c, field).closest(".field").unwrap().unwrap();
        field.has_attribute("hidden")
    };
    assert!(hidden(&container));
    pick(&container, Client::Kafkajs).await;
    assert!(!hidden(&container));
    set_value(&find(&container, field), "4", "change");
    settle().await;
    assert_eq!(per_send(), 4);
    assert_eq!(
        settings.chosen("workload.messages.per.send").as_deref(),
        Some("4")
    );
    // Beyond the page's range: refused, with the reason, and nothing changes.
    set_value(&find(&container, field), "500", "change");
    settle().await;
    let error = text(&find(&container, ".client-picker .field__error"));
    assert!(error.contains("between 1 and 100"), "{error}");
    assert_eq!(per_send(), 4);
    // Java takes one record per send() call: the field goes, and so does the 4.
    pick(&container, Client::Java).await;
    assert!(hidden(&container));
    let config = settings.config().get_untracked();
    assert_eq!(config.producer.client, Client::Java);
    assert_eq!(config.workload.messages_per_send, 1);
    assert_eq!(text(&find(&container, ".client-picker .field__error")), "");
}
