//! Browser tests of how the "Throughput vs Durability" section's settings live in the URL:
//! under `tradeoff.` keys, apart from the write path's own `acks`, restored from a link,
//! written back on every change, and hostile values dropped with a notice.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test web_tradeoff_url` with
//! wasm-bindgen-test-runner and chromedriver (see scripts/test.sh).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::config::{Acks, CompressionType};
use producer_sim::engine::tradeoff::TradeoffSettings;
use producer_sim::ui::settings::{
    read_query, tradeoff_key, tradeoff_overrides, use_tradeoff_settings, write_query, PageSettings,
};
use producer_sim::ui::tradeoffs::{ThroughputVsDurability, LINGER_MS};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{find, fresh_container, set_value, sleep, value_of};

// ---------- helpers ----------

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Mounts the section the way the page does: settings from `page`, through the URL hook.
fn mount_section(page: PageSettings) -> Element {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        provide_context(page);
        view! { <ThroughputVsDurability settings=use_tradeoff_settings()/> }
    });
    handle.forget();
    container.into()
}

// ---------- reading and writing the query string ----------

#[wasm_bindgen_test]
fn tradeoff_keys_are_kafka_names_under_a_prefix() {
    assert_eq!(tradeoff_key("tradeoff.acks"), Some("acks"));
    assert_eq!(
        tradeoff_key("tradeoff.enable.idempotence"),
        Some("enable.idempotence")
    );
    // Only the section's five settings.
    assert_eq!(tradeoff_key("tradeoff.partitions"), None);
    assert_eq!(tradeoff_key("tradeoff.min.insync.replicas"), None);
    assert_eq!(tradeoff_key("acks"), None);
}

#[wasm_bindgen_test]
fn a_link_keeps_both_sections_acks_apart() {
    let read = read_query("?tradeoff.linger.ms=20&acks=1&tradeoff.acks=0&partitions=6");
    assert!(read.ignored.is_empty(), "ignored: {:?}", read.ignored);
    // The page's settings first, then the section's, each in their own order.
    assert_eq!(
        read.overrides,
        pairs(&[
            ("partitions", "6"),
            ("acks", "1"),
            ("tradeoff.acks", "0"),
            ("tradeoff.linger.ms", "20"),
        ])
    );
    assert_eq!(
        write_query(&read.overrides),
        "?partitions=6&acks=1&tradeoff.acks=0&tradeoff.linger.ms=20"
    );
    assert_eq!(read_query(&write_query(&read.overrides)), read);

    let page = PageSettings::from_url_settings(read, false);
    assert_eq!(page.config().get_untracked().producer.acks, Acks::One);
    assert_eq!(page.config().get_untracked().producer.linger_ms, 5);
    let section = page.tradeoff();
    assert_eq!(section.acks, Acks::Zero);
    assert_eq!(section.linger_ms, 20);
    assert_eq!(section.batch_size, TradeoffSettings::default().batch_size);
}

#[wasm_bindgen_test]
fn hostile_tradeoff_values_fall_back_with_a_notice() {
    let read = read_query(
        "?tradeoff.acks=7&tradeoff.batch.size=%3Cscript%3E&tradeoff.linger.ms=99999999\
         &tradeoff.partitions=6&tradeoff.compression.type=gzip",
    );
    assert_eq!(
        read.overrides,
        pairs(&[("tradeoff.compression.type", "gzip")])
    );
    assert_eq!(read.ignored.len(), 4, "{:?}", read.ignored);
    assert!(read.ignored[1].contains("“<script>”"), "{:?}", read.ignored);
    assert!(
        read.ignored[2].contains("between 0 and 10000"),
        "{:?}",
        read.ignored
    );
    assert!(read.ignored[3].contains("not a setting this page shares"));

    let page = PageSettings::from_url_settings(read, false);
    let section = page.tradeoff();
    assert_eq!(
        section,
        TradeoffSettings {
            compression_type: CompressionType::Gzip,
            ..TradeoffSettings::default()
        }
    );
}

#[wasm_bindgen_test]
fn a_combination_kafka_refuses_is_dropped_for_the_page_but_kept_for_the_section() {
    // The page's own settings must run the write path: a refused combination is dropped.
    let page = read_query("?enable.idempotence=true&acks=1&tradeoff.linger.ms=50");
    assert_eq!(page.overrides, pairs(&[("tradeoff.linger.ms", "50")]));
    assert_eq!(page.ignored.len(), 1);
    assert!(
        page.ignored[0].starts_with("the combination"),
        "{:?}",
        page.ignored
    );

    // The section shows Kafka's refusal itself, so a link restores what was shared.
    let section = read_query("?tradeoff.enable.idempotence=true&tradeoff.acks=1");
    assert!(section.ignored.is_empty(), "{:?}", section.ignored);
    let settings = PageSettings::from_url_settings(section, false).tradeoff();
    assert_eq!(settings.enable_idempotence, Some(true));
    assert_eq!(settings.acks, Acks::One);
    let refused = settings.validate().unwrap_err();
    assert!(
        refused.message.contains("Must set acks to all"),
        "{refused}"
    );
}

#[wasm_bindgen_test]
fn only_settings_that_differ_from_kafkas_defaults_go_in_the_url() {
    assert!(tradeoff_overrides(&TradeoffSettings::default()).is_empty());
    let chosen = TradeoffSettings {
        acks: Acks::Zero,
        batch_size: 65_536,
        linger_ms: 5,
        compression_type: CompressionType::Zstd,
        enable_idempotence: Some(false),
    };
    assert_eq!(
        tradeoff_overrides(&chosen),
        pairs(&[
            ("tradeoff.acks", "0"),
            ("tradeoff.batch.size", "65536"),
            ("tradeoff.compression.type", "zstd"),
            ("tradeoff.enable.idempotence", "false"),
        ])
    );
    // Read back, they give the same settings.
    let read = read_query(&write_query(&tradeoff_overrides(&chosen)));
    assert!(read.ignored.is_empty());
    assert_eq!(
        PageSettings::from_url_settings(read, false).tradeoff(),
        chosen
    );
}

#[wasm_bindgen_test]
fn a_scenario_leaves_the_tradeoff_settings_alone() {
    let page = PageSettings::from_url_settings(
        read_query("?partitions=6&linger.ms=50&tradeoff.acks=0"),
        false,
    );
    page.choose_scenario(Some("acks1-leader-crash")).unwrap();
    assert_eq!(page.chosen("tradeoff.acks").as_deref(), Some("0"));
    assert_eq!(page.chosen("partitions").as_deref(), Some("6"));
    // The scenario's settings replace the page's own (linger.ms back to its default).
    assert_eq!(page.chosen("linger.ms"), None);
    assert_eq!(page.chosen("acks").as_deref(), Some("1"));
    assert_eq!(page.tradeoff().acks, Acks::Zero);
}

// ---------- the section, wired to the page's settings ----------

#[wasm_bindgen_test]
async fn the_section_starts_from_the_link_and_writes_its_changes_back() {
    let page = PageSettings::from_url_settings(
        read_query("?acks=1&tradeoff.acks=0&tradeoff.compression.type=lz4"),
        false,
    );
    let root = mount_section(page);
    sleep(0).await;

    // Restored from the link.
    assert_eq!(value_of(&find(&root, "#tradeoffs-acks")), "0");
    assert_eq!(value_of(&find(&root, "#tradeoffs-compression-type")), "lz4");
    assert_eq!(
        find(&root, "#tradeoffs-linger-ms")
            .get_attribute("aria-valuetext")
            .as_deref(),
        Some("5 ms")
    );
    // Opening the link changed nothing.
    assert_eq!(
        page.chosen("tradeoff.compression.type").as_deref(),
        Some("lz4")
    );
    assert_eq!(page.chosen("tradeoff.linger.ms"), None);

    // A change of linger.ms goes to the URL's settings ...
    let index = LINGER_MS.iter().position(|&l| l == 20).unwrap();
    set_value(
        &find(&root, "#tradeoffs-linger-ms"),
        &index.to_string(),
        "input",
    );
    sleep(0).await;
    assert_eq!(page.chosen("tradeoff.linger.ms").as_deref(), Some("20"));
    assert_eq!(page.tradeoff().linger_ms, 20);
    // ... and only the section's: the write path keeps its acks and linger.ms.
    let config = page.config().get_untracked();
    assert_eq!(config.producer.acks, Acks::One);
    assert_eq!(config.producer.linger_ms, 5);

    // Back to Kafka's default: the key leaves the URL.
    set_value(&find(&root, "#tradeoffs-acks"), "all", "change");
    sleep(0).await;
    assert_eq!(page.chosen("tradeoff.acks"), None);
    assert_eq!(page.chosen("acks").as_deref(), Some("1"));

    // A combination Kafka refuses is kept too (the section shows the rule).
    set_value(&find(&root, "#tradeoffs-acks"), "1", "change");
    set_value(
        &find(&root, "#tradeoffs-enable-idempotence"),
        "true",
        "change",
    );
    sleep(0).await;
    assert_eq!(page.chosen("tradeoff.acks").as_deref(), Some("1"));
    assert_eq!(
        page.chosen("tradeoff.enable.idempotence").as_deref(),
        Some("true")
    );
    assert!(find(&root, "#tradeoffs-rule-acks")
        .text_content()
        .unwrap_or_default()
        .contains("Must set acks to all"));
}

#[wasm_bindgen_test]
async fn changes_reach_the_address_bar() {
    let window = web_sys::window().unwrap();
    let location = window.location();
    let history = window.history().unwrap();
    let original = format!(
        "{}{}{}",
        location.pathname().unwrap(),
        location.search().unwrap(),
        location.hash().unwrap()
    );

    let page = PageSettings::from_url_settings(read_query("?partitions=6"), true);
    let root = mount_section(page);
    sleep(0).await;
    let before = location.search().unwrap();
    set_value(
        &find(&root, "#tradeoffs-compression-type"),
        "zstd",
        "change",
    );
    sleep(0).await;
    let after = location.search().unwrap();

    // Put the runner's page back as it was before asserting.
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&original))
        .unwrap();
    assert!(
        !before.contains("tradeoff."),
        "mounting alone writes nothing: {before}"
    );
    assert_eq!(after, "?partitions=6&tradeoff.compression.type=zstd");
}
