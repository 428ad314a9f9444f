//! Browser tests of "Your keys": pasted keys are counted in slices and shown as the
//! engine's key spread (summary, skew, chart's text alternative, hottest keys), a second
//! partition count shows the keys and records that move, and empty input gets a clear
//! message.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::keys::{self, KeyEncoding, LineForm};
use producer_sim::ui::your_data::keys_job::thousands;
use producer_sim::ui::your_data::YourKeys;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{click, find, fresh_container, set_value, sleep, text};

/// Waits until `selector` matches something.
async fn appears(root: &Element, selector: &str) -> Element {
    for _ in 0..600 {
        if let Ok(Some(el)) = root.query_selector(selector) {
            return el;
        }
        sleep(20).await;
    }
    panic!("{selector} did not appear");
}

fn mount() -> (Box<dyn std::any::Any>, Element) {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || view! { <YourKeys/> });
    (Box::new(handle), container.into())
}

#[wasm_bindgen_test]
async fn pasted_keys_show_the_engines_spread_and_what_moves() {
    let (_handle, root) = mount();
    let lines: Vec<String> = (0..5000)
        .map(|i| match i % 4 {
            0 => "hot".to_string(),
            _ => format!("user-{}", i % 700),
        })
        .collect();
    let pasted = lines.join("\n");
    set_value(&find(&root, "#your-keys-text"), &pasted, "input");
    click(&root, "#your-keys-submit");
    let summary = appears(&root, "[data-testid=your-keys-summary]").await;

    // The page's default topic has 3 partitions; the second count defaults to twice that.
    let counts = keys::count_keys(
        pasted.as_bytes(),
        KeyEncoding::Text,
        LineForm::Key,
        1_048_576,
    )
    .unwrap();
    let expected = keys::spread(&counts, 3, Some(6), 10, keys::java_partition);
    assert_eq!(
        summary.text_content().unwrap(),
        format!(
            "5,000 records, {} distinct keys over 3 partitions.",
            expected.distinct_keys
        )
    );
    assert_eq!(
        text(&root, "[data-testid=your-keys-skew]"),
        format!("{:.2}", expected.shares.max_over_mean)
    );
    let label = find(&root, ".your-keys__canvas")
        .get_attribute("aria-label")
        .unwrap();
    for (p, &records) in expected.shares.records.iter().enumerate() {
        let share = format!("P{p} {:.1}%", 100.0 * records as f64 / 5000.0);
        assert!(label.contains(&share), "{label} lacks {share}");
    }
    let first_row = text(&root, ".your-keys__hottest tbody tr");
    assert!(first_row.starts_with("hot1,250"), "{first_row}");
    let moved = expected.repartition.unwrap();
    let moves = text(&root, "[data-testid=your-keys-moves]");
    assert!(
        moves.contains(&format!(
            "{} of {} distinct keys",
            moved.moved_keys, expected.distinct_keys
        )),
        "{moves}"
    );

    // Another second count places the same keys again.
    set_value(&find(&root, "#your-keys-to"), "4", "input");
    for _ in 0..300 {
        if text(&root, "[data-testid=your-keys-moves]").contains("From 3 to 4 partitions") {
            break;
        }
        sleep(20).await;
    }
    let again = keys::spread(&counts, 3, Some(4), 10, keys::java_partition);
    let moves = text(&root, "[data-testid=your-keys-moves]");
    let r = again.repartition.unwrap();
    assert!(moves.contains("From 3 to 4 partitions"), "{moves}");
    assert!(
        moves.contains(&format!("{} of 5,000 records", thousands(r.moved_records))),
        "{moves}"
    );
    // Timings for the page's own measurements.
    assert!(find(&root, ".your-keys")
        .get_attribute("data-done-ms")
        .is_some());
}

#[wasm_bindgen_test]
async fn empty_input_gets_a_clear_message() {
    let (_handle, root) = mount();
    click(&root, "#your-keys-submit");
    let error = appears(&root, "[data-testid=your-keys-error]").await;
    assert_eq!(
        error.text_content().unwrap(),
        "the input is empty: there are no lines to read"
    );
    assert!(find(&root, ".your-keys__result").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn another_clients_partitioner_places_the_same_keys_again() {
    let (_handle, root) = mount();
    set_value(
        &find(&root, "#your-keys-text"),
        "kafka\nfoobar\n\nkafka",
        "input",
    );
    click(&root, "#your-keys-submit");
    appears(&root, "[data-testid=your-keys-summary]").await;
    assert!(root
        .query_selector("[data-testid=your-keys-unplaced]")
        .unwrap()
        .is_none());

    // librdkafka's default sends the empty key where it sends a null one.
    set_value(
        &find(&root, "#your-keys-partitioner"),
        "librdkafka/consistent_random",
        "change",
    );
    let unplaced = appears(&root, "[data-testid=your-keys-unplaced]").await;
    assert_eq!(
        unplaced.text_content().unwrap(),
        "1 records are not placed by their key: librdkafka (consistent_random) picks their \
         partition itself: sticky: a new random partition every sticky.partitioning.linger.ms \
         (10 ms)."
    );
    assert!(text(&root, "#your-keys-partitioner-help").contains("partitioner"));

    // sarama's default hashes every key with FNV-1a: the client notes' table at 6
    // partitions puts "" on 3, "kafka" on 5 and "foobar" on 0 (3 partitions: 0, 2, 0).
    set_value(
        &find(&root, "#your-keys-partitioner"),
        "sarama/hash",
        "change",
    );
    for _ in 0..300 {
        if root
            .query_selector("[data-testid=your-keys-unplaced]")
            .unwrap()
            .is_none()
        {
            break;
        }
        sleep(20).await;
    }
    let label = find(&root, ".your-keys__canvas")
        .get_attribute("aria-label")
        .unwrap();
    assert_eq!(
        label,
        "Share of records per partition: P0 50.0%, P1 0.0%, P2 50.0%"
    );
}
