//! Browser tests of the write path's live counters: sampled many times as a reader's
//! page moves (Step to next event, Skip 10 s, Skip to a scheduled fault), they never
//! count a record lost that Kafka has not lost, they all describe the same instant, and
//! the "At risk now" card says which records are not yet safe and why.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test web_live_counters`.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{
    click, counter, find, fresh_container, set_value, set_write_path_playing, sleep, text,
};

fn mount_write_path() -> HtmlElement {
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), || {
        view! { <producer_sim::ui::write_path::WritePath/> }
    })
    .forget();
    container
}

fn time_ms(root: &Element) -> f64 {
    text(root, "[data-testid=wp-time]")
        .trim_end_matches(" ms")
        .parse()
        .unwrap()
}

/// Pauses the animation so only the reader's buttons move time.
async fn pause(c: &Element) {
    set_write_path_playing(c, false);
    sleep(20).await;
}

/// What the counters show at one instant.
#[derive(Debug)]
struct Sample {
    time: f64,
    acked: u64,
    durable: u64,
    lost: u64,
    uncommitted: u64,
    duplicated: u64,
    reordered: u64,
    one_replica: u64,
    at_risk: String,
}

fn sample(c: &Element) -> Sample {
    let s = Sample {
        time: time_ms(c),
        acked: counter(c, "wp-acked"),
        durable: counter(c, "wp-durable"),
        lost: counter(c, "wp-lost"),
        uncommitted: counter(c, "wp-uncommitted"),
        duplicated: counter(c, "wp-duplicated"),
        reordered: counter(c, "wp-reordered"),
        one_replica: counter(c, "wp-one-replica"),
        at_risk: text(c, "[data-testid=wp-at-risk]"),
    };
    // The acknowledged count and the fates it splits into are the same instant's.
    assert_eq!(
        s.acked,
        s.durable + s.lost + s.uncommitted + s.duplicated + s.reordered,
        "{s:?}"
    );
    s
}

/// Clicks Step to next event `n` times, sampling after each.
async fn step_and_sample(c: &Element, n: usize, samples: &mut Vec<Sample>) {
    for _ in 0..n {
        click(c, "[data-testid=wp-step]");
        sleep(0).await;
        samples.push(sample(c));
    }
}

#[wasm_bindgen_test]
async fn a_simulated_minute_at_acks_1_on_a_healthy_cluster_never_counts_a_record_lost() {
    let c = mount_write_path();
    sleep(50).await;
    set_value(&find(&c, "#wp-acks"), "1", "change");
    sleep(50).await;
    pause(&c).await;
    assert_eq!(
        text(&c, "[data-testid=wp-step]"),
        "Step to next event",
        "the button says how far it moves"
    );
    let mut samples = Vec::new();
    // The first seconds (where followers are one fetch behind), then each of six
    // 10-second skips followed by a run of single events.
    step_and_sample(&c, 300, &mut samples).await;
    for _ in 0..6 {
        click(&c, "[data-testid=wp-skip]");
        sleep(0).await;
        samples.push(sample(&c));
        step_and_sample(&c, 60, &mut samples).await;
    }
    let last = samples.last().unwrap();
    assert!(last.time >= 60_000.0, "a simulated minute: {last:?}");
    assert!(last.durable > 90_000, "{last:?}");
    for s in &samples {
        assert_eq!(s.lost, 0, "a record counted lost: {s:?}");
        assert_eq!(s.one_replica, 0, "{s:?}");
    }
    // Records waiting for followers are acknowledged, not yet committed, and the card
    // says so.
    let waiting = samples.iter().filter(|s| s.uncommitted > 0).count();
    assert!(waiting > 0);
    let s = samples.iter().find(|s| s.uncommitted > 0).unwrap();
    assert!(
        s.at_risk.contains("records above the high watermark")
            && s.at_risk.contains("already acknowledged"),
        "{s:?}"
    );
    assert_eq!(
        count(&c, ".stats__item--error [data-testid=wp-lost]"),
        0,
        "the lost counter is not flagged"
    );
}

fn count(c: &Element, selector: &str) -> u32 {
    c.query_selector_all(selector).unwrap().length()
}

/// Chooses a scenario and samples the counters through each of its faults: Skip to
/// the fault, then `steps` single events, until no fault is left, then `after_ms` more.
async fn sample_scenario(name: &str, steps: usize, after_ms: u64) -> (Element, Vec<Sample>) {
    let c: Element = mount_write_path().into();
    sleep(50).await;
    set_value(&find(&c, "#wp-scenario"), name, "change");
    sleep(50).await;
    assert_eq!(text(&c, "#wp-scenario-error"), "");
    pause(&c).await;
    let mut samples = vec![sample(&c)];
    let skip_to = |c: &Element| {
        let buttons = c.query_selector_all("button").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .filter_map(|b| b.dyn_into::<HtmlElement>().ok())
            .find(|b| b.text_content().unwrap_or_default().starts_with("Skip to "))
    };
    while let Some(button) = skip_to(&c) {
        button.click();
        sleep(0).await;
        samples.push(sample(&c));
        step_and_sample(&c, steps, &mut samples).await;
    }
    let end = time_ms(&c) + after_ms as f64;
    while time_ms(&c) < end {
        // Skip 10 s at a time is too coarse here: step through, sampling every event.
        step_and_sample(&c, 200, &mut samples).await;
        if time_ms(&c) < end {
            click(&c, "[data-testid=wp-skip]");
            sleep(0).await;
            samples.push(sample(&c));
        }
    }
    (c, samples)
}

#[wasm_bindgen_test]
async fn the_unclean_election_off_scenario_never_shows_a_lost_record() {
    let (_, samples) = sample_scenario("unclean-election-off", 150, 20_000).await;
    for s in &samples {
        assert_eq!(s.lost, 0, "a record counted lost: {s:?}");
    }
    // The lone leader's acknowledged records wait, not committed, and the card says why.
    let s = samples
        .iter()
        .filter(|s| s.uncommitted > 0)
        .max_by_key(|s| s.uncommitted)
        .expect("records wait above a stopped high watermark");
    assert!(
        s.at_risk.contains("high watermark cannot move") || s.at_risk.contains("offline"),
        "{s:?}"
    );
}

#[wasm_bindgen_test]
async fn records_only_the_lone_leader_has_are_at_risk_until_the_unclean_election() {
    let (c, samples) = sample_scenario("min-isr-1-lone-leader", 100, 12_000).await;
    // Before the unclean election nothing is lost, yet records sit on broker 0 alone.
    let before: Vec<&Sample> = samples.iter().filter(|s| s.time < 1_500.0).collect();
    assert!(before.iter().all(|s| s.lost == 0), "{before:?}");
    let risky = before
        .iter()
        .find(|s| s.one_replica > 0)
        .unwrap_or_else(|| panic!("no record on one replica only: {before:?}"));
    assert!(
        risky
            .at_risk
            .contains("committed records exist only on broker 0"),
        "{risky:?}"
    );
    // Lost appears only once the election truncated them, and never goes back.
    let first_lost = samples.iter().position(|s| s.lost > 0).expect("the lesson");
    assert!(
        samples[first_lost].time > 1_500.0,
        "{:?}",
        samples[first_lost]
    );
    for w in samples[first_lost..].windows(2) {
        assert!(w[1].lost >= w[0].lost, "{:?} -> {:?}", w[0], w[1]);
    }
    assert!(text(&c, ".wp__incident-list").contains("unclean"));
}
