//! Browser tests of "Your records" in Throughput vs Durability: pasted values become the
//! runs' values, and the codec table measures them as their bytes dictate (random text
//! stays near its entropy, log lines compress); bad input gets a clear message.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::ui::tradeoffs::ThroughputVsDurability;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{click, find, fresh_container, set_value, sleep, text};

fn mount() -> (Box<dyn std::any::Any>, Element) {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || view! { <ThroughputVsDurability/> });
    (Box::new(handle), container.into())
}

/// Waits until `selector` matches something whose text contains `part`, and gives its text.
async fn shows(root: &Element, selector: &str, part: &str) -> String {
    for _ in 0..300 {
        if let Ok(Some(el)) = root.query_selector(selector) {
            let t = el.text_content().unwrap_or_default();
            if t.contains(part) {
                return t;
            }
        }
        sleep(20).await;
    }
    panic!("{selector} did not show {part:?}");
}

const CODECS: [&str; 5] = ["none", "gzip", "snappy", "lz4", "zstd"];

/// Waits for the codec table of the latest measurement, then reads each codec's ratio.
async fn ratios(root: &Element) -> Vec<(&'static str, f64)> {
    for _ in 0..2400 {
        let table = find(root, "[data-testid=codec-table]");
        if table.get_attribute("aria-busy").as_deref() == Some("false") {
            return CODECS
                .iter()
                .map(|&codec| {
                    // The ratio is the row's second number cell.
                    let selector = format!("tr[data-codec={codec}] td:nth-of-type(2)");
                    (codec, text(&table, &selector).parse().unwrap())
                })
                .collect();
        }
        sleep(50).await;
    }
    panic!("no codec table within two minutes");
}

/// Lines of printable ASCII from a xorshift generator: no repeats for a codec to find.
fn random_lines() -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..400)
        .map(|_| {
            (0..200)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    char::from(b'!' + (x % 94) as u8)
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn log_lines() -> String {
    (0..400)
        .map(|i| {
            format!(
                "2026-12-01T16:{:02}:{:02}Z INFO [exec-{}] OrderService - order {} accepted for customer-{}",
                i / 60 % 60,
                i % 60,
                i % 8,
                100_000 + i,
                i % 97
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[wasm_bindgen_test]
async fn your_values_compress_as_their_bytes_dictate() {
    let (_handle, root) = mount();
    set_value(&find(&root, "#your-records-text"), &random_lines(), "input");
    click(&root, "#your-records-submit");
    shows(
        &root,
        "[data-testid=your-records-summary]",
        "400 records, values of 200 bytes on average.",
    )
    .await;
    let random = ratios(&root).await;
    assert_eq!(random[0].1, 1.0);
    // 94 equally likely characters carry log2(94) = 6.55 bits a byte: no codec can go
    // below 6.55 / 8 = 0.82 of them (the entropy coders, gzip and zstd, get close), and the
    // byte-matching ones (snappy, lz4) find nothing.
    let floor = 94f64.log2() / 8.0;
    for (codec, ratio) in &random[1..] {
        assert!(
            (floor - 0.01..=1.05).contains(ratio),
            "random text, {codec}: {ratio}"
        );
        if ["snappy", "lz4"].contains(codec) {
            assert!(*ratio > 0.95, "random text, {codec}: {ratio}");
        }
    }

    set_value(&find(&root, "#your-records-text"), &log_lines(), "input");
    click(&root, "#your-records-submit");
    // The table of the random values goes as soon as the new records are measured.
    for _ in 0..200 {
        let table = find(&root, "[data-testid=codec-table]");
        if table.get_attribute("aria-busy").as_deref() == Some("true") {
            break;
        }
        sleep(10).await;
    }
    let logs = ratios(&root).await;
    for (codec, ratio) in &logs[1..] {
        assert!(*ratio < 0.5, "log lines, {codec}: {ratio}");
    }
}

#[wasm_bindgen_test]
async fn bad_records_get_a_clear_message() {
    let (_handle, root) = mount();
    click(&root, "#your-records-submit");
    let empty = shows(&root, "[data-testid=your-records-error]", "empty").await;
    assert_eq!(empty, "the input is empty: there are no lines to read");
    click(&root, "#your-records-kv");
    set_value(&find(&root, "#your-records-text"), "k\tv\nno tab", "input");
    click(&root, "#your-records-submit");
    shows(
        &root,
        "[data-testid=your-records-error]",
        "line 2 has no TAB",
    )
    .await;
    let long = "v".repeat(1_048_576);
    click(&root, "#your-records-kv");
    set_value(&find(&root, "#your-records-text"), &long, "input");
    click(&root, "#your-records-submit");
    let too_large = shows(&root, "[data-testid=your-records-error]", "RecordTooLarge").await;
    assert!(
        too_large.starts_with("line 1: RecordTooLargeException: The message is"),
        "{too_large}"
    );
    assert!(root
        .query_selector("[data-testid=your-records-summary]")
        .unwrap()
        .is_none());
}
