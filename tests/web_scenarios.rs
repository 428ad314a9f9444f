//! Every named scenario on the page, as a reader runs it: pick it in the write path,
//! skip to its end, and read the counters. Each must show the scenario's lesson and the
//! numbers of the command line's run (`producer-sim simulate --scenario NAME`, the same
//! engine, settings and seed).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::scenario::{self, find as find_scenario};
use producer_sim::engine::sim::Fates;
use producer_sim::ui::settings::{read_query, PageSettings};
use producer_sim::ui::write_path::WritePath;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web.rs"]
mod support;
use support::{counter, find, fresh_container, set_value, sleep, text};

fn mount() -> HtmlElement {
    mount_with(PageSettings::defaults)
}

fn mount_with(settings: fn() -> PageSettings) -> HtmlElement {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        provide_context(settings());
        view! { <WritePath/> }
    });
    handle.forget();
    container
}

fn button(root: &Element, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.dyn_into::<HtmlElement>().unwrap())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name}"))
}

/// What the page's counters show.
#[derive(Debug, PartialEq)]
struct Shown {
    sent: u64,
    acked: u64,
    failed: u64,
    fates: Fates,
}

fn shown(c: &Element) -> Shown {
    Shown {
        sent: counter(c, "wp-sent"),
        acked: counter(c, "wp-acked"),
        failed: counter(c, "wp-failed"),
        fates: Fates {
            acked_durable: counter(c, "wp-durable"),
            acked_lost: counter(c, "wp-lost"),
            acked_uncommitted: counter(c, "wp-uncommitted"),
            failed: counter(c, "wp-failed"),
            duplicated: counter(c, "wp-duplicated"),
            reordered: counter(c, "wp-reordered"),
            in_flight: 0,
        },
    }
}

/// Picks `name` in the write path, pauses, skips 20 s of simulated time (past every
/// scenario's last fault and delivery) and returns what the page shows then, after
/// checking it against the engine's own run of the scenario.
async fn run_on_the_page(name: &str) -> Shown {
    let c = mount();
    sleep(30).await;
    set_value(&find(&c, "#wp-scenario"), name, "change");
    sleep(30).await;
    assert_eq!(text(&c, "#wp-scenario-error"), "");
    button(&c, "Pause write path").click();
    sleep(20).await;
    // The callout lists every setting the scenario changes and names the same run.
    let s = find_scenario(name).expect("a scenario");
    let settings = text(&c, "[data-testid=wp-scenario-settings]");
    for (key, value) in s.changes() {
        assert!(settings.contains(&format!("{key} = {value}")), "{settings}");
    }
    assert_eq!(
        text(&c, "[data-testid=wp-scenario-command]"),
        format!("producer-sim simulate --scenario {name}")
    );
    assert!(c
        .query_selector("[data-testid=wp-scenario-departed]")
        .unwrap()
        .is_none());
    let skip = button(&c, "Skip 10 s");
    skip.click();
    sleep(20).await;
    skip.click();
    sleep(30).await;
    let page = shown(&c);
    let cli = s
        .run(&s.config().expect("valid"), scenario::SEED)
        .expect("runs");
    let expected = Shown {
        sent: cli.records_sent,
        acked: cli.records_acked,
        failed: cli.records_failed,
        fates: Fates {
            in_flight: 0,
            ..cli.fates
        },
    };
    assert_eq!(page, expected, "{name}");
    assert_eq!(cli.fates.in_flight, 0, "{name} ends with nothing in flight");
    c.remove();
    page
}

#[wasm_bindgen_test]
async fn acks1_leader_crash_loses_acknowledged_records() {
    let p = run_on_the_page("acks1-leader-crash").await;
    assert!(p.fates.acked_lost > 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn acks_all_broker_crash_loses_nothing() {
    let p = run_on_the_page("acks-all-broker-crash").await;
    assert_eq!((p.fates.acked_lost, p.failed), (0, 0), "{p:?}");
    assert_eq!(p.fates.acked_durable, p.sent);
}

#[wasm_bindgen_test]
async fn min_isr_1_lone_leader_loses_records_despite_acks_all() {
    let p = run_on_the_page("min-isr-1-lone-leader").await;
    assert!(p.fates.acked_lost > 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn min_isr_2_two_brokers_down_fails_writes_but_loses_nothing() {
    let p = run_on_the_page("min-isr-2-two-brokers-down").await;
    assert!(p.failed > 0, "{p:?}");
    assert_eq!(p.fates.acked_lost, 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn timeout_retry_duplicates_writes_records_twice() {
    let p = run_on_the_page("timeout-retry-duplicates").await;
    assert!(p.fates.duplicated > 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn timeout_retry_idempotent_writes_each_record_once() {
    let p = run_on_the_page("timeout-retry-idempotent").await;
    assert_eq!((p.fates.duplicated, p.failed), (0, 0), "{p:?}");
    assert_eq!(p.fates.acked_durable, p.sent);
}

#[wasm_bindgen_test]
async fn retries_reorder_reorders_records() {
    let p = run_on_the_page("retries-reorder").await;
    assert!(p.fates.reordered > 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn retries_idempotent_order_keeps_the_order() {
    let p = run_on_the_page("retries-idempotent-order").await;
    assert_eq!(
        (p.fates.reordered, p.fates.duplicated, p.failed),
        (0, 0, 0),
        "{p:?}"
    );
    assert_eq!(p.fates.acked_durable, p.sent);
}

#[wasm_bindgen_test]
async fn unclean_election_off_loses_availability_not_data() {
    let p = run_on_the_page("unclean-election-off").await;
    assert!(p.failed > 0, "{p:?}");
    // The old leader returned: everything acknowledged is committed, nothing lost.
    assert_eq!(
        (p.fates.acked_lost, p.fates.acked_uncommitted),
        (0, 0),
        "{p:?}"
    );
    assert_eq!(p.fates.acked_durable, p.acked);
}

#[wasm_bindgen_test]
async fn unclean_election_on_loses_acknowledged_records() {
    let p = run_on_the_page("unclean-election-on").await;
    assert!(p.fates.acked_lost > 0, "{p:?}");
    assert_eq!(p.failed, 0, "{p:?}");
}

#[wasm_bindgen_test]
async fn changing_acks_says_the_scenario_no_longer_applies_and_restores_it() {
    let c = mount();
    sleep(30).await;
    set_value(&find(&c, "#wp-scenario"), "unclean-election-on", "change");
    sleep(30).await;
    assert!(c
        .query_selector("[data-testid=wp-scenario-departed]")
        .unwrap()
        .is_none());
    set_value(&find(&c, "#wp-acks"), "all", "change");
    sleep(30).await;
    let notice = text(&c, "[data-testid=wp-scenario-departed]");
    assert!(notice.contains("no longer applies"), "{notice}");
    assert!(
        notice.contains("acks: all here, 1 in the scenario"),
        "{notice}"
    );
    assert_eq!(
        text(&c, "[data-testid=wp-scenario-command]"),
        "producer-sim simulate --scenario unclean-election-on --set acks=all"
    );
    button(&c, "Restore the scenario's settings").click();
    sleep(30).await;
    assert!(c
        .query_selector("[data-testid=wp-scenario-departed]")
        .unwrap()
        .is_none());
    assert_eq!(support::value_of(&find(&c, "#wp-acks")), "1");
    c.remove();
}

#[wasm_bindgen_test]
async fn a_link_naming_only_the_scenario_runs_it() {
    let c = mount_with(|| {
        PageSettings::from_url_settings(read_query("?scenario=unclean-election-on"), false)
    });
    sleep(30).await;
    assert!(c
        .query_selector("[data-testid=wp-scenario-departed]")
        .unwrap()
        .is_none());
    assert_eq!(
        text(&c, "[data-testid=wp-scenario-command]"),
        "producer-sim simulate --scenario unclean-election-on"
    );
    // Back to no scenario: the scenario's settings stay.
    set_value(&find(&c, "#wp-scenario"), "", "change");
    sleep(30).await;
    assert!(c
        .query_selector("[data-testid=wp-scenario]")
        .unwrap()
        .is_none());
    assert_eq!(support::value_of(&find(&c, "#wp-acks")), "1");
    c.remove();
}
