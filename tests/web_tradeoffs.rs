//! Browser tests of the "Throughput vs Durability" section: it measures the engine on
//! the chosen settings, changing acks changes the numbers the way Kafka would, Kafka's
//! rule shows for a refused combination, and the exported Java properties read back to
//! the same settings.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::config::{Acks, SimConfig};
use producer_sim::engine::tradeoff::TradeoffSettings;
use producer_sim::ui::tradeoffs::ThroughputVsDurability;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{find, fresh_container, number, set_value, sleep, text, value_of};

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    find(root, selector).get_attribute(name)
}

fn score(root: &Element, name: &str) -> f64 {
    attr(root, &format!("[data-score=\"{name}\"]"), "aria-valuenow")
        .unwrap_or_else(|| panic!("no {name} score yet"))
        .parse()
        .unwrap()
}

/// Waits until the section has all four scores for the current settings.
async fn scores_measured(section: &Element) -> f64 {
    for _ in 0..1200 {
        if let Some(ms) = section.get_attribute("data-scores-ms") {
            return ms.parse().unwrap();
        }
        sleep(50).await;
    }
    panic!("no scores within a minute");
}

/// Waits until the chart's sweep is done too.
async fn all_measured(section: &Element) -> f64 {
    for _ in 0..2400 {
        if let Some(ms) = section.get_attribute("data-done-ms") {
            return ms.parse().unwrap();
        }
        sleep(50).await;
    }
    panic!("the sweep did not finish within two minutes");
}

fn report(section: &Element, what: &str) {
    console_log!(
        "{what}: first numbers {:?} ms, all four scores {:?} ms, chart done {:?} ms, longest slice {:?} ms",
        section.get_attribute("data-first-numbers-ms"),
        section.get_attribute("data-scores-ms"),
        section.get_attribute("data-done-ms"),
        section.get_attribute("data-max-slice-ms"),
    );
}

/// The section, mounted; dropping it unmounts the section.
struct Mounted {
    _handle: Box<dyn std::any::Any>,
    settings: RwSignal<TradeoffSettings>,
    root: Element,
    section: Element,
}

fn mount_section(initial: TradeoffSettings) -> Mounted {
    let container = fresh_container();
    let settings = RwSignal::new(initial);
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <ThroughputVsDurability settings=settings/> }
    });
    let root: Element = container.into();
    let section = find(&root, "#throughput-vs-durability");
    Mounted {
        _handle: Box::new(handle),
        settings,
        root,
        section,
    }
}

#[wasm_bindgen_test]
async fn changing_acks_changes_the_measured_numbers_the_way_kafka_would() {
    let mounted = mount_section(TradeoffSettings::default());
    let (settings, root, section) = (
        mounted.settings,
        mounted.root.clone(),
        mounted.section.clone(),
    );

    // Labelled by Kafka's names.
    for (id, name) in [
        ("tradeoffs-acks", "acks"),
        ("tradeoffs-batch-size", "batch.size"),
        ("tradeoffs-linger-ms", "linger.ms"),
        ("tradeoffs-compression-type", "compression.type"),
        ("tradeoffs-enable-idempotence", "enable.idempotence"),
    ] {
        assert_eq!(text(&root, &format!("label[for=\"{id}\"]")).trim(), name);
    }

    scores_measured(&section).await;
    all_measured(&section).await;
    report(&section, "Kafka's defaults");
    // The test page has no Trunk-built module for a worker to load: the page measures
    // by itself, in slices (the end-to-end tests cover the worker).
    assert_eq!(
        section.get_attribute("data-measured-in").as_deref(),
        Some("page")
    );
    let all_rps = number(&text(&root, "[data-figure=\"records-per-sec\"]"));
    let all_durability = score(&root, "durability");
    let all_risk = score(&root, "risk");
    assert_eq!(
        score(&root, "throughput"),
        50.0,
        "the defaults are the reference"
    );
    assert_eq!(
        all_durability, 100.0,
        "acks=all loses nothing in the replays"
    );
    // The chart's data table has one row per linger.ms value.
    assert_eq!(
        find(&root, ".tradeoffs__chart-data tbody").child_element_count(),
        8
    );

    set_value(&find(&root, "#tradeoffs-acks"), "0", "change");
    sleep(0).await;
    assert_eq!(settings.get_untracked().acks, Acks::Zero);
    let ms = scores_measured(&section).await;
    report(&section, "acks=0");
    assert!(ms > 0.0);
    let zero_rps = number(&text(&root, "[data-figure=\"records-per-sec\"]"));
    assert!(
        zero_rps >= all_rps,
        "acks=0 {zero_rps} vs acks=all {all_rps} records/s"
    );
    assert!(score(&root, "throughput") >= 50.0);
    assert!(score(&root, "durability") < all_durability);
    assert!(score(&root, "risk") > all_risk);
    assert!(
        number(&text(&root, "[data-figure=\"replay\"]")) > 0.0,
        "records lost"
    );

    // linger.ms moves the latency numbers (p99 at a steady rate grows with it).
    let p99_before = number(&text(&root, "[data-figure=\"p99-ms\"]"));
    let linger_index = producer_sim::ui::tradeoffs::LINGER_MS
        .iter()
        .position(|&l| l == 100)
        .unwrap();
    set_value(
        &find(&root, "#tradeoffs-linger-ms"),
        &linger_index.to_string(),
        "input",
    );
    sleep(0).await;
    assert_eq!(settings.get_untracked().linger_ms, 100);
    scores_measured(&section).await;
    report(&section, "acks=0, linger.ms=100");
    let p99_after = number(&text(&root, "[data-figure=\"p99-ms\"]"));
    assert!(p99_after > p99_before, "p99 {p99_after} vs {p99_before}");
}

#[wasm_bindgen_test]
async fn exported_java_properties_read_back_to_the_same_settings() {
    let mounted = mount_section(TradeoffSettings {
        acks: Acks::One,
        batch_size: 65_536,
        linger_ms: 20,
        compression_type: producer_sim::engine::config::CompressionType::Zstd,
        enable_idempotence: Some(false),
    });
    let (settings, root) = (mounted.settings, mounted.root.clone());
    sleep(0).await;

    let textarea = find(&root, "#tradeoffs-export-text");
    assert_eq!(
        textarea.get_attribute("data-format").as_deref(),
        Some("java")
    );
    let java = value_of(&textarea);
    let back = SimConfig::from_properties(&java).expect("the engine reads its export");
    assert_eq!(
        TradeoffSettings::from_config(&back),
        settings.get_untracked()
    );

    // A change of settings shows in the export at once.
    set_value(&find(&root, "#tradeoffs-compression-type"), "lz4", "change");
    sleep(0).await;
    let java = value_of(&textarea);
    assert!(java.lines().any(|l| l == "compression.type=lz4"), "{java}");
    let back = SimConfig::from_properties(&java).unwrap();
    assert_eq!(
        TradeoffSettings::from_config(&back),
        settings.get_untracked()
    );

    // The other formats, by tab.
    find(&root, "#tradeoffs-export-tab-go")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    sleep(0).await;
    assert_eq!(textarea.get_attribute("data-format").as_deref(), Some("go"));
    let go = value_of(&textarea);
    assert!(go.contains("kafka.ConfigMap{"), "{go}");
    assert!(go.contains("\"compression.type\":   \"lz4\","), "{go}");
    assert_eq!(
        attr(&root, "#tradeoffs-export-tab-go", "aria-selected").as_deref(),
        Some("true")
    );
    find(&root, "#tradeoffs-export-tab-dotnet")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    sleep(0).await;
    let cs = value_of(&textarea);
    assert!(cs.contains("Acks = Acks.Leader,"), "{cs}");
    assert!(
        cs.contains("CompressionType = CompressionType.Lz4,"),
        "{cs}"
    );
}

#[wasm_bindgen_test]
async fn a_combination_kafka_refuses_shows_kafkas_rule() {
    let mounted = mount_section(TradeoffSettings::default());
    let (root, section) = (mounted.root.clone(), mounted.section.clone());
    sleep(0).await;
    set_value(
        &find(&root, "#tradeoffs-enable-idempotence"),
        "true",
        "change",
    );
    set_value(&find(&root, "#tradeoffs-acks"), "1", "change");
    sleep(0).await;
    assert_eq!(
        section.get_attribute("data-state").as_deref(),
        Some("invalid")
    );
    let rule = text(&root, "#tradeoffs-rule-acks");
    assert!(rule.contains("Must set acks to all"), "{rule}");
    assert_eq!(
        attr(&root, "#tradeoffs-rule-acks", "role").as_deref(),
        Some("alert")
    );
    // Shown next to enable.idempotence too.
    assert!(text(&root, "#tradeoffs-rule-enable-idempotence").contains("idempotent"));
    // Back to a valid combination: measuring again, the rule gone.
    set_value(&find(&root, "#tradeoffs-acks"), "all", "change");
    sleep(0).await;
    assert!(root
        .query_selector("#tradeoffs-rule-acks")
        .unwrap()
        .is_none());
    scores_measured(&section).await;
}

/// Picks `codec`, waits until everything is measured, prints the timings, and returns the
/// longest slice of main-thread work measuring took.
async fn measure_with(root: &Element, section: &Element, codec: &str, what: &str) -> f64 {
    set_value(&find(root, "#tradeoffs-compression-type"), codec, "change");
    sleep(0).await;
    scores_measured(section).await;
    all_measured(section).await;
    report(section, what);
    section
        .get_attribute("data-max-slice-ms")
        .unwrap()
        .parse()
        .unwrap()
}

/// Prints how long each codec takes to measure (run with `--release -- --nocapture` for
/// the numbers that matter) and checks that no slice of measuring holds the main thread
/// for 50 ms or more in a release build.
#[wasm_bindgen_test]
async fn measuring_each_codec_stays_in_short_slices() {
    let mounted = mount_section(TradeoffSettings::default());
    let (root, section) = (&mounted.root, &mounted.section);
    all_measured(section).await;
    report(section, "none");
    let mut longest: f64 = 0.0;
    for codec in ["gzip", "snappy", "lz4", "zstd", "none"] {
        longest = longest.max(measure_with(root, section, codec, codec).await);
        let rate = number(&text(root, "[data-figure=\"full-speed-compression-rate\"]"));
        if codec == "none" {
            assert_eq!(rate, 1.0);
        } else {
            assert!(rate < 1.0, "{codec} compresses JSON: {rate}");
        }
    }
    console_log!("longest slice over all codecs: {longest} ms");
    if cfg!(not(debug_assertions)) {
        assert!(longest < 50.0, "a slice took {longest} ms");
    }
}

/// The heaviest case for one slice: batches of up to 1 MiB compressed with the slowest
/// codecs. No slice may hold the main thread for 50 ms (in a release build).
#[wasm_bindgen_test]
async fn the_largest_batches_with_gzip_and_zstd_stay_in_short_slices() {
    let mounted = mount_section(TradeoffSettings::default());
    let (settings, root, section) = (mounted.settings, &mounted.root, &mounted.section);
    scores_measured(section).await;
    let largest = producer_sim::ui::tradeoffs::BATCH_SIZES.len() - 1;
    set_value(
        &find(root, "#tradeoffs-batch-size"),
        &largest.to_string(),
        "input",
    );
    let mut longest: f64 = 0.0;
    for codec in ["gzip", "zstd"] {
        let what = format!("{codec}, batch.size 1 MiB");
        longest = longest.max(measure_with(root, section, codec, &what).await);
    }
    assert_eq!(settings.get_untracked().batch_size, 1 << 20);
    if cfg!(not(debug_assertions)) {
        assert!(longest < 50.0, "a slice took {longest} ms");
    }
}
