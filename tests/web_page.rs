//! Component tests of the page's first half in headless Chromium: URL settings, the
//! event timeline behind the animations, the diagram layout, the partition demo, the
//! write path and the page shell.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test web_page` with
//! wasm-bindgen-test-runner and chromedriver (see scripts/test.sh).
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use leptos::prelude::*;
use producer_sim::engine::event::{Event, EventKind, KafkaError};
use producer_sim::engine::partitioner::key_partition;
use producer_sim::engine::time::{SimDuration, SimTime};
use producer_sim::ui::flow::{KeyTag, Stage, Timeline};
use producer_sim::ui::settings::{parse_query, read_query, write_query, MAX_QUERY_LEN};
use producer_sim::ui::write_path::layout::{Layout, Orientation};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

#[path = "support/web.rs"]
mod support;
use support::{button_starting_with, set_write_path_playing};

wasm_bindgen_test_configure!(run_in_browser);

// ---------- helpers ----------

/// A new, empty element in the page to mount into (the runner's page has its own text).
fn fresh_container() -> HtmlElement {
    let document = document();
    let container: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

/// Waits `ms` milliseconds of wall-clock time, letting effects and frames run.
async fn sleep(ms: u64) {
    struct Sleep {
        done: Rc<Cell<bool>>,
        waker: Rc<Cell<Option<Waker>>>,
    }
    impl Future for Sleep {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.done.get() {
                Poll::Ready(())
            } else {
                self.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
    let done = Rc::new(Cell::new(false));
    let waker: Rc<Cell<Option<Waker>>> = Rc::new(Cell::new(None));
    let (d, w) = (Rc::clone(&done), Rc::clone(&waker));
    set_timeout(
        move || {
            d.set(true);
            if let Some(w) = w.take() {
                w.wake();
            }
        },
        Duration::from_millis(ms),
    );
    Sleep { done, waker }.await
}

fn find(container: &HtmlElement, selector: &str) -> HtmlElement {
    container
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap()
}

/// Every element under `root` matching `selector` (`querySelectorAll`).
fn query_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let query: js_sys::Function = js_sys::Reflect::get(root, &"querySelectorAll".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let list = query.call1(root, &selector.into()).unwrap();
    js_sys::Array::from(&list)
        .iter()
        .map(|node| node.dyn_into().unwrap())
        .collect()
}

fn count(container: &HtmlElement, selector: &str) -> u32 {
    query_all(container, selector).len() as u32
}

fn text(container: &HtmlElement, selector: &str) -> String {
    find(container, selector).text_content().unwrap_or_default()
}

/// The button whose visible text is `name`.
fn button(container: &HtmlElement, name: &str) -> HtmlElement {
    let buttons = container.get_elements_by_tag_name("button");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name}"))
        .dyn_into()
        .unwrap()
}

fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn change(element: &web_sys::EventTarget) {
    element
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// A bubbling `keydown` event for `key`.
fn key_down(key: &str) -> web_sys::Event {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
    let constructor: js_sys::Function = js_sys::Reflect::get(&window(), &"KeyboardEvent".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let args = js_sys::Array::of2(&"keydown".into(), &init);
    js_sys::Reflect::construct(&constructor, &args)
        .unwrap()
        .unchecked_into()
}

fn mount_partition_demo() -> HtmlElement {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || {
        view! { <producer_sim::ui::partition_assignment::PartitionAssignment/> }
    });
    handle.forget();
    container
}

fn key_input(container: &HtmlElement) -> HtmlInputElement {
    find(container, "#pa-key").dyn_into().unwrap()
}

/// Lane record counts, by partition.
fn lane_counts(container: &HtmlElement) -> Vec<u32> {
    query_all(container, ".lane-card")
        .into_iter()
        .map(|lane| {
            lane.query_selector(".lane-card__count")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

// ---------- URL settings ----------

#[wasm_bindgen_test]
fn query_strings_are_decoded_like_forms() {
    assert_eq!(
        parse_query("?a=1&b=x+y&c=%3Cb%3E&d&=e&%zz=%4"),
        vec![
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "x y".to_string()),
            ("c".to_string(), "<b>".to_string()),
            ("d".to_string(), String::new()),
            (String::new(), "e".to_string()),
            ("%zz".to_string(), "%4".to_string()),
        ]
    );
    // Invalid UTF-8 never fails, it is replaced.
    assert_eq!(parse_query("k=%FF")[0].1, "\u{FFFD}");
}

#[wasm_bindgen_test]
fn hostile_queries_fall_back_to_defaults_with_a_notice() {
    let unknown = read_query("?evil=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert!(unknown.overrides.is_empty());
    assert_eq!(unknown.ignored.len(), 1);
    assert!(unknown.ignored[0].contains("not a setting this page shares"));

    let out_of_range = read_query("?partitions=1000");
    assert!(out_of_range.overrides.is_empty());
    assert!(out_of_range.ignored[0].contains("between 1 and 64"));

    let not_a_number = read_query("?partitions=six");
    assert!(not_a_number.overrides.is_empty());
    assert_eq!(not_a_number.ignored.len(), 1);

    let huge = format!("?partitions={}", "9".repeat(MAX_QUERY_LEN));
    let too_long = read_query(&huge);
    assert!(too_long.overrides.is_empty());
    assert_eq!(too_long.ignored.len(), 1);

    // A quoted value is shortened, so a notice never grows with the URL.
    let long_name = format!("?{}=1", "x".repeat(500));
    let noted = read_query(&long_name);
    assert!(noted.ignored[0].chars().count() < 200);
}

#[wasm_bindgen_test]
fn shared_settings_round_trip_through_the_url() {
    // Parsed by the engine's SimConfig::set.
    let read = read_query("?acks=1&partitions=6");
    assert!(read.ignored.is_empty(), "ignored: {:?}", read.ignored);
    assert_eq!(
        read.overrides,
        vec![
            ("partitions".to_string(), "6".to_string()),
            ("acks".to_string(), "1".to_string())
        ]
    );
    assert_eq!(write_query(&read.overrides), "?partitions=6&acks=1");
    assert_eq!(read_query(&write_query(&read.overrides)), read);
}

// ---------- the timeline behind the animations ----------

fn ev(us: u64, kind: EventKind) -> Event {
    Event {
        time: SimTime(us),
        kind,
    }
}

/// One batch of two keyed records on partition 1, led by broker 2, acknowledged.
fn one_batch_events(acks_response: bool) -> Vec<Event> {
    let mut events = vec![
        ev(
            0,
            EventKind::RecordAppended {
                record: 0,
                partition: 1,
                batch: 7,
                key: Some(b"kafka".to_vec()),
            },
        ),
        ev(
            100,
            EventKind::RecordAppended {
                record: 1,
                partition: 1,
                batch: 7,
                key: None,
            },
        ),
        ev(
            1_000,
            EventKind::BatchClosed {
                partition: 1,
                batch: 7,
                records: 2,
                size_in_bytes: 400,
                uncompressed_size: 400,
            },
        ),
        ev(
            1_000,
            EventKind::RequestSent {
                request: 3,
                broker: 2,
                batches: vec![(1, 7)],
                bytes: 400,
                arrives: Some(SimTime(2_000)),
            },
        ),
        ev(
            2_000,
            EventKind::AppendedOnLeader {
                broker: 2,
                partition: 1,
                batch: 7,
                base_offset: 10,
                records: 2,
            },
        ),
        ev(
            2_100,
            EventKind::FetchAnswered {
                partition: 1,
                leader: 2,
                follower: 0,
                records: 2,
                sent: SimTime(2_110),
                arrives: SimTime(2_600),
            },
        ),
        ev(
            2_600,
            EventKind::Replicated {
                broker: 0,
                partition: 1,
                log_end_offset: 12,
            },
        ),
        ev(
            3_000,
            EventKind::HighWatermark {
                partition: 1,
                high_watermark: 12,
            },
        ),
    ];
    if acks_response {
        events.push(ev(
            3_500,
            EventKind::ResponseSent {
                request: 3,
                broker: 2,
                error: None,
                arrives: SimTime(4_000),
            },
        ));
        events.push(ev(
            4_000,
            EventKind::Response {
                request: 3,
                broker: 2,
                error: None,
                answered: Some(SimTime(3_500)),
            },
        ));
        events.push(ev(
            4_000,
            EventKind::BatchAcked {
                partition: 1,
                batch: 7,
                records: 2,
                base_offset: Some(10),
            },
        ));
    } else {
        events.insert(
            4,
            ev(
                1_000,
                EventKind::BatchAcked {
                    partition: 1,
                    batch: 7,
                    records: 2,
                    base_offset: None,
                },
            ),
        );
    }
    events
}

#[wasm_bindgen_test]
fn a_batch_moves_through_the_write_path_between_its_event_times() {
    let mut timeline = Timeline::new(SimDuration(500));
    timeline.ingest(one_batch_events(true));
    let stage = |us: u64| {
        let scene = timeline.scene_at(SimTime(us), 3);
        scene.batches.first().map(|b| b.stage.clone())
    };
    assert_eq!(
        stage(50),
        Some(Stage::InAccumulator {
            records: 1,
            retrying: false
        })
    );
    assert_eq!(
        stage(1_500),
        Some(Stage::ToLeader {
            broker: 2,
            progress: 0.5
        })
    );
    assert_eq!(stage(2_500), Some(Stage::OnLeader { broker: 2 }));
    // The broker answers at 3 500 µs, and the answer arrives at 4 000 µs.
    assert_eq!(
        stage(3_750),
        Some(Stage::Response {
            broker: 2,
            progress: 0.5,
            error: None
        })
    );
    assert_eq!(stage(4_000), None, "acknowledged batches leave the drawing");

    let scene = timeline.scene_at(SimTime(2_300), 3);
    assert_eq!(scene.fetches.len(), 1, "the follower fetch is under way");
    assert_eq!(scene.fetches[0].leader, 2);
    assert_eq!(scene.fetches[0].follower, 0);
    let p1 = &scene.partitions[1];
    assert_eq!(p1.log_end_offset, 12);
    assert_eq!(p1.high_watermark, 0);
    assert!(p1.tail.iter().all(|e| !e.committed));

    let later = timeline.scene_at(SimTime(3_500), 3);
    let p1 = &later.partitions[1];
    assert_eq!(p1.high_watermark, 12);
    assert!(p1.follower_log_end_offsets.contains(&(0, 12)));
    assert_eq!(
        p1.tail
            .iter()
            .map(|e| (e.offset, e.committed))
            .collect::<Vec<_>>(),
        vec![(10, true), (11, true)]
    );
    assert_eq!(p1.tail[0].key, KeyTag::from_key(Some(b"kafka")));
    assert_eq!(p1.tail[1].key.label, None, "the null key stays null");

    let end = timeline.scene_at(SimTime(4_000), 3);
    assert_eq!(end.totals.records_sent, 2);
    assert_eq!(end.totals.records_acked, 2);
    assert_eq!(end.totals.requests, 1);
    assert_eq!(timeline.scene_at(SimTime(3_999), 3).totals.records_acked, 0);
}

#[wasm_bindgen_test]
fn with_acks_zero_no_response_is_drawn() {
    let mut timeline = Timeline::new(SimDuration(500));
    timeline.ingest(one_batch_events(false));
    for us in (1_000..6_000).step_by(100) {
        let scene = timeline.scene_at(SimTime(us), 3);
        assert!(
            scene
                .batches
                .iter()
                .all(|b| !matches!(b.stage, Stage::Response { .. })),
            "no response at {us} µs"
        );
    }
    assert!(timeline.scene_at(SimTime(2_000), 3).batches.is_empty());
}

#[wasm_bindgen_test]
fn a_refused_batch_returns_with_its_error_and_waits_to_be_retried() {
    let mut timeline = Timeline::new(SimDuration(500));
    timeline.ingest(vec![
        ev(
            0,
            EventKind::RecordAppended {
                record: 0,
                partition: 0,
                batch: 1,
                key: None,
            },
        ),
        ev(
            1_000,
            EventKind::RequestSent {
                request: 1,
                broker: 0,
                batches: vec![(0, 1)],
                bytes: 300,
                arrives: Some(SimTime(2_000)),
            },
        ),
        ev(
            2_500,
            EventKind::ResponseSent {
                request: 1,
                broker: 0,
                error: Some(KafkaError::NotEnoughReplicas),
                arrives: SimTime(3_000),
            },
        ),
        ev(
            3_000,
            EventKind::Response {
                request: 1,
                broker: 0,
                error: Some(KafkaError::NotEnoughReplicas),
                answered: Some(SimTime(2_500)),
            },
        ),
        ev(
            3_000,
            EventKind::Retry {
                partition: 0,
                batch: 1,
                attempt: 1,
                error: KafkaError::NotEnoughReplicas,
                backoff_ms: 100,
            },
        ),
    ]);
    let stage = |us: u64| timeline.scene_at(SimTime(us), 1).batches[0].stage.clone();
    assert_eq!(
        stage(1_500),
        Stage::ToLeader {
            broker: 0,
            progress: 0.5
        }
    );
    assert!(matches!(
        stage(2_750),
        Stage::Response {
            error: Some(KafkaError::NotEnoughReplicas),
            ..
        }
    ));
    assert_eq!(
        stage(3_100),
        Stage::InAccumulator {
            records: 1,
            retrying: true
        }
    );
    let scene = timeline.scene_at(SimTime(3_100), 1);
    assert_eq!(scene.totals.retries, 1);
    assert_eq!(
        scene.last_error,
        Some((SimTime(3_000), KafkaError::NotEnoughReplicas))
    );
}

#[wasm_bindgen_test]
fn pruning_forgets_finished_batches_but_keeps_totals() {
    let mut timeline = Timeline::new(SimDuration(500));
    timeline.ingest(one_batch_events(true));
    timeline.prune(SimTime(10_000));
    let scene = timeline.scene_at(SimTime(10_000), 3);
    assert!(scene.batches.is_empty());
    assert_eq!(scene.totals.records_acked, 2);
    assert_eq!(scene.partitions[1].high_watermark, 12);
}

// ---------- diagram layout ----------

#[wasm_bindgen_test]
fn the_diagram_layout_keeps_every_box_inside_and_apart() {
    for orientation in [Orientation::Wide, Orientation::Tall] {
        for brokers in 1..=5 {
            let l = Layout::new(orientation, brokers, 3);
            assert_eq!(l.brokers.len(), brokers);
            let inside = |r: &producer_sim::ui::write_path::layout::Rect| {
                r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= l.width && r.y + r.h <= l.height
            };
            assert!(inside(&l.app) && inside(&l.partitioner) && inside(&l.accumulator));
            for (b, broker) in l.brokers.iter().enumerate() {
                assert!(inside(broker), "{orientation:?} broker {b} of {brokers}");
                for slot in &l.replica_slots[b] {
                    assert!(slot.x >= broker.x && slot.x + slot.w <= broker.x + broker.w);
                    assert!(slot.y >= broker.y && slot.y + slot.h <= broker.y + broker.h);
                }
                if b > 0 {
                    let prev = l.brokers[b - 1];
                    let apart = prev.x + prev.w <= broker.x || prev.y + prev.h <= broker.y;
                    assert!(apart, "{orientation:?} brokers {} and {b} overlap", b - 1);
                }
            }
        }
    }
}

// ---------- Partition Assignment ----------

#[wasm_bindgen_test]
async fn a_keyed_send_shows_kafkas_partition_and_the_hash_steps() {
    let c = mount_partition_demo();
    type_into(&key_input(&c), "kafka");
    button(&c, "Send").click();
    sleep(0).await;

    let steps = key_partition(b"kafka", 3);
    assert_eq!(
        text(&c, "[data-testid=pa-partition]"),
        steps.partition.to_string()
    );
    assert_eq!(
        text(&c, "[data-testid=pa-murmur2]"),
        steps.murmur2.to_string()
    );
    assert_eq!(
        text(&c, "[data-testid=pa-positive]"),
        steps.positive.to_string()
    );
    assert_eq!(
        text(&c, "[data-testid=pa-modulo]"),
        format!("{} % 3 = {}", steps.positive, steps.partition)
    );
    // librdkafka's rdmurmur2.c unit test: murmur2("kafka") = 0xd067cf64, so Java's
    // producer sends it to 0x5067cf64 % 3 = partition 1.
    assert_eq!(
        text(&c, "[data-testid=pa-murmur2]"),
        (0xd067cf64_u32 as i32).to_string()
    );
    assert_eq!(text(&c, "[data-testid=pa-partition]"), "1");

    // The same key again: the same partition, now holding both records.
    button(&c, "Send").click();
    sleep(0).await;
    assert_eq!(
        text(&c, "[data-testid=pa-partition]"),
        steps.partition.to_string()
    );
    assert_eq!(lane_counts(&c)[steps.partition as usize], 2);
    assert_eq!(lane_counts(&c).iter().sum::<u32>(), 2);
}

#[wasm_bindgen_test]
async fn an_empty_key_is_a_key_and_a_null_key_is_sticky() {
    let c = mount_partition_demo();
    type_into(&key_input(&c), "");
    button(&c, "Send").click();
    sleep(0).await;
    assert!(text(&c, "[data-testid=pa-verdict]").starts_with("Key"));
    assert!(text(&c, ".steps").contains("0 bytes"));
    assert_eq!(
        text(&c, "[data-testid=pa-partition]"),
        key_partition(b"", 3).partition.to_string()
    );

    let no_key: HtmlInputElement = find(&c, "input[role=switch]").dyn_into().unwrap();
    no_key.click();
    sleep(0).await;
    assert!(
        key_input(&c).disabled(),
        "the key field is off for a null key"
    );
    let mut partitions = Vec::new();
    for _ in 0..5 {
        button(&c, "Send").click();
        sleep(0).await;
        assert!(text(&c, "[data-testid=pa-verdict]").starts_with("No key"));
        partitions.push(text(&c, "[data-testid=pa-partition]"));
    }
    // Five small records are far below batch.size: the sticky partition holds.
    assert!(
        partitions.windows(2).all(|w| w[0] == w[1]),
        "{partitions:?}"
    );
    assert!(text(&c, ".pa__sticky").starts_with("5 keyless records in a row"));
}

#[wasm_bindgen_test]
async fn keyless_bursts_stick_to_a_partition_then_switch() {
    let c = mount_partition_demo();
    button(&c, "Send 100 without key").click();
    sleep(0).await;
    let counts = lane_counts(&c);
    assert_eq!(counts.iter().sum::<u32>(), 100);
    // 100 values of 200 bytes (about 21 KB) stay below 2 x batch.size, and in a burst
    // the partition's batch is never full at batch.size: one partition takes them all.
    assert_eq!(counts.iter().filter(|&&n| n > 0).count(), 1, "{counts:?}");
    let first = counts.iter().position(|&n| n == 100).unwrap();

    button(&c, "Send 100 without key").click();
    sleep(0).await;
    let counts = lane_counts(&c);
    assert_eq!(counts.iter().sum::<u32>(), 200);
    let verdict = text(&c, "[data-testid=pa-verdict]");
    let runs: Vec<u32> = verdict
        .split('×')
        .skip(1)
        .map(|s| {
            s.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(runs.len() >= 2, "the sticky partition switched: {verdict}");
    assert!(verdict.contains(&format!("P{first} ×")), "{verdict}");
    // The first run spans both bursts: more than one batch's worth, at most two.
    let first_run = 100 + runs[0];
    assert!((100..200).contains(&first_run), "{verdict}");
    assert!(text(&c, ".pa__sticky").contains("switched"));
}

#[wasm_bindgen_test]
async fn changing_the_partition_count_rehashes_keys() {
    let c = mount_partition_demo();
    assert_eq!(count(&c, ".lane-card"), 3);
    let partitions: HtmlInputElement = find(&c, "#pa-partitions").dyn_into().unwrap();
    partitions.set_value("6");
    change(&partitions);
    sleep(0).await;
    assert_eq!(
        count(&c, ".lane-card"),
        6,
        "{}",
        text(&c, "#pa-partitions-error")
    );
    type_into(&key_input(&c), "kafka");
    button(&c, "Send").click();
    sleep(0).await;
    assert_eq!(
        text(&c, "[data-testid=pa-partition]"),
        key_partition(b"kafka", 6).partition.to_string()
    );

    // Out of the demo's range: refused next to the control, nothing changes.
    partitions.set_value("65");
    change(&partitions);
    sleep(0).await;
    assert_eq!(count(&c, ".lane-card"), 6);
    assert!(text(&c, "#pa-partitions-error").contains("between 1 and 64"));
    assert_eq!(
        partitions.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn keys_are_shown_as_text_never_as_html() {
    let c = mount_partition_demo();
    let hostile = "<img src=x onerror=alert(1)><b>bold</b>";
    type_into(&key_input(&c), hostile);
    button(&c, "Send").click();
    sleep(0).await;
    assert_eq!(count(&c, "img"), 0);
    assert_eq!(count(&c, ".pa__verdict b"), 0);
    assert!(text(&c, "[data-testid=pa-verdict]").contains(hostile));
}

// ---------- Write Path ----------

fn mount_write_path() -> HtmlElement {
    let container = fresh_container();
    let handle = leptos::mount::mount_to(container.clone(), || {
        view! { <producer_sim::ui::write_path::WritePath/> }
    });
    handle.forget();
    container
}

#[wasm_bindgen_test]
async fn the_write_path_draws_the_cluster_and_its_events() {
    let c = mount_write_path();
    sleep(50).await;
    // Three brokers, each a focusable button with an actions menu.
    assert_eq!(count(&c, "g.broker[role=button][tabindex='0']"), 3);
    // Every partition has one leader replica.
    assert_eq!(count(&c, ".replica--leader"), 3);
    assert_eq!(
        count(&c, ".wire--replication"),
        6,
        "two followers per partition"
    );

    // Play (reduced motion may have started it paused) and let simulated time pass.
    set_write_path_playing(&c, true);
    // The producer first connects to a bootstrap broker, learns the leaders and its
    // producer id, then connects to the leaders: at normal speed (2 simulated ms a
    // second) the first acknowledgements take a few seconds.
    let hw_moved = |c: &HtmlElement| {
        text(c, "[data-testid=wp-hw]")
            .split(" · ")
            .filter_map(|p| p.split(' ').nth(1)?.parse::<u64>().ok())
            .any(|hw| hw > 0)
    };
    for _ in 0..60 {
        sleep(250).await;
        if hw_moved(&c) && text(&c, "[data-testid=wp-acked]") != "0" {
            break;
        }
    }
    let sent: u64 = text(&c, "[data-testid=wp-sent]").parse().unwrap();
    let acked: u64 = text(&c, "[data-testid=wp-acked]").parse().unwrap();
    assert!(sent > 0, "records were sent");
    assert!(acked > 0 && acked <= sent, "acked {acked} of {sent}");
    let hw = text(&c, "[data-testid=wp-hw]");
    assert!(
        hw.split(" · ").any(|p| !p.ends_with(" 0")),
        "a high watermark moved: {hw}"
    );
}

#[wasm_bindgen_test]
async fn skip_while_paused_moves_the_diagram_and_the_counters_together() {
    let c = mount_write_path();
    sleep(50).await;
    // acks=1: every acknowledged record below a high watermark is acked and durable.
    let acks: HtmlSelectElement = find(&c, "#wp-acks").dyn_into().unwrap();
    acks.set_value("1");
    change(&acks);
    sleep(50).await;
    set_write_path_playing(&c, false);
    sleep(20).await;
    let step = find(&c, "[data-testid=wp-step]");
    assert_eq!(step.text_content().as_deref(), Some("Step to next event"));
    find(&c, "[data-testid=wp-skip]")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    sleep(50).await;
    let time: f64 = text(&c, "[data-testid=wp-time]")
        .trim_end_matches(" ms")
        .parse()
        .unwrap();
    assert!(time >= 10_000.0, "{time}");
    // The high watermarks the diagram's leaders print and the committed count are the
    // same instant's: every committed record is below a high watermark.
    let hw_total: u64 = text(&c, "[data-testid=wp-hw]")
        .split(" · ")
        .map(|p| p.split(' ').nth(1).unwrap().parse::<u64>().unwrap())
        .sum();
    let durable: u64 = text(&c, "[data-testid=wp-durable]").parse().unwrap();
    assert!(hw_total > 10_000, "{hw_total}");
    assert_eq!(durable, hw_total);
    let leaders: String = query_all(&c, ".replica--leader")
        .iter()
        .map(|g| g.text_content().unwrap_or_default())
        .collect();
    for p in text(&c, "[data-testid=wp-hw]").split(" · ") {
        let hw = p.split(' ').nth(1).unwrap();
        assert!(leaders.contains(&format!("HW {hw}")), "{leaders} / {p}");
    }
}

#[wasm_bindgen_test]
async fn the_acks_setting_changes_what_comes_back() {
    let c = mount_write_path();
    sleep(50).await;
    assert!(text(&c, "[data-testid=wp-acks-explanation]").starts_with("acks=all"));
    let acks: HtmlSelectElement = find(&c, "#wp-acks").dyn_into().unwrap();
    acks.set_value("0");
    change(&acks);
    sleep(50).await;
    assert_eq!(text(&c, "#wp-acks-error"), "");
    assert!(text(&c, "[data-testid=wp-acks-explanation]").starts_with("acks=0"));
    set_write_path_playing(&c, true);
    // With acks=0 no response ever travels back, however long it runs.
    for _ in 0..20 {
        sleep(60).await;
        assert_eq!(count(&c, ".token--ack"), 0);
    }
    let sent: u64 = text(&c, "[data-testid=wp-sent]").parse().unwrap();
    assert!(sent > 0);
}

#[wasm_bindgen_test]
async fn a_broker_opens_its_actions_menu_from_the_keyboard() {
    let c = mount_write_path();
    sleep(50).await;
    let broker = query_all(&c, "g.broker").remove(0);
    let id = broker.get_attribute("data-broker").unwrap();
    broker.dispatch_event(&key_down("Enter")).unwrap();
    sleep(20).await;
    let menu = find(&c, "[role=menu]");
    assert_eq!(
        menu.get_attribute("aria-label").unwrap(),
        format!("Broker {id} actions")
    );
    assert_eq!(
        broker.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(count(&c, "[role=menuitem]"), 5);
    let labels = text(&c, "[role=menu]");
    for action in [
        "Crash broker",
        "Restart broker",
        "Slow down broker",
        "Cut the producer's link to broker",
    ] {
        assert!(labels.contains(&format!("{action} {id}")), "{labels}");
    }
    menu.dispatch_event(&key_down("Escape")).unwrap();
    sleep(20).await;
    assert_eq!(count(&c, "[role=menu]"), 0);
    // Cutting the producer's link shows on the broker, and its menu offers the heal.
    broker.dispatch_event(&key_down("Enter")).unwrap();
    sleep(20).await;
    button_starting_with(&c, "Cut the producer's link").click();
    sleep(50).await;
    let shown = query_all(&c, "g.broker")
        .remove(0)
        .text_content()
        .unwrap_or_default();
    assert!(shown.contains("link cut"), "{shown}");
    broker.dispatch_event(&key_down("Enter")).unwrap();
    sleep(20).await;
    assert!(text(&c, "[role=menu]").contains(&format!("Heal the producer's link to broker {id}")));
}

#[wasm_bindgen_test]
async fn a_named_scenario_sets_its_settings_and_replays_its_faults() {
    let c = mount_write_path();
    sleep(50).await;
    let scenario: HtmlSelectElement = find(&c, "#wp-scenario").dyn_into().unwrap();
    scenario.set_value("acks1-leader-crash");
    change(&scenario);
    sleep(50).await;
    assert_eq!(text(&c, "#wp-scenario-error"), "");
    let acks: HtmlSelectElement = find(&c, "#wp-acks").dyn_into().unwrap();
    assert_eq!(acks.value(), "1", "the scenario's acks");
    let lesson = text(&c, "[data-testid=wp-scenario]");
    assert!(lesson.contains("1000 ms: Broker 0 crashed."), "{lesson}");

    // Jump to just before the crash, then play through it.
    button_starting_with(&c, "Skip to 1000 ms").click();
    sleep(20).await;
    set_write_path_playing(&c, true);
    let speed: HtmlSelectElement = find(&c, "#wp-speed").dyn_into().unwrap();
    speed.set_value("fast");
    change(&speed);
    for _ in 0..100 {
        if count(&c, ".wp__incident-list") > 0
            && text(&c, ".wp__incident-list").contains("Broker 0 crashed.")
            && count(&c, "g.broker--down[data-broker='0']") == 1
        {
            break;
        }
        sleep(50).await;
    }
    assert!(text(&c, ".wp__incident-list").contains("Broker 0 crashed."));
    assert_eq!(count(&c, "g.broker--down[data-broker='0']"), 1);

    // Back to no scenario: the settings stay, the faults go.
    scenario.set_value("");
    change(&scenario);
    sleep(50).await;
    assert_eq!(count(&c, "[data-testid=wp-scenario]"), 0);
    assert_eq!(acks.value(), "1");
}

#[wasm_bindgen_test]
fn scenario_names_in_urls_are_checked() {
    let known = read_query("?scenario=acks1-leader-crash");
    assert!(known.ignored.is_empty());
    let unknown = read_query("?scenario=drop-all-tables");
    assert!(unknown.overrides.is_empty());
    assert!(unknown.ignored[0].contains("not a scenario"));
}

// ---------- the page ----------

#[wasm_bindgen_test]
async fn the_page_has_every_section_in_order() {
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), producer_sim::ui::App).forget();
    sleep(0).await;
    assert_eq!(count(&container, "h1"), 1);
    assert_eq!(text(&container, "h1"), "Build Reliable Event Pipelines");
    let titles: Vec<String> = query_all(&container, "h2")
        .iter()
        .map(|h| h.text_content().unwrap().trim().to_string())
        .collect();
    let expected = [
        "How Producers Work",
        "Partition Assignment",
        "Write Path",
        "Key Settings",
    ];
    for (i, title) in expected.iter().enumerate() {
        assert_eq!(
            titles.get(i).map(String::as_str),
            Some(*title),
            "{titles:?}"
        );
    }
    assert_eq!(count(&container, ".card"), 6);
    // Each card links to a section that exists on the page.
    for link in query_all(&container, ".card__link") {
        let href = link.get_attribute("href").unwrap();
        assert!(
            container.query_selector(&href).unwrap().is_some(),
            "{href} exists"
        );
    }
}

#[wasm_bindgen_test]
async fn a_hostile_url_shows_a_notice_and_the_page() {
    let history = window().history().unwrap();
    let original = window().location().href().unwrap();
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("?partitions=%3Cscript%3Ealert(1)%3C/script%3E&__proto__=1"),
        )
        .unwrap();
    let container = fresh_container();
    leptos::mount::mount_to(container.clone(), producer_sim::ui::App).forget();
    sleep(0).await;
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&original))
        .unwrap();

    let notice = text(&container, ".notice");
    assert!(notice.contains("could not be used"), "{notice}");
    assert!(
        notice.contains("“<script>alert(1)</script>”"),
        "quoted as text: {notice}"
    );
    assert_eq!(count(&container, ".notice script"), 0);
    assert_eq!(count(&container, ".notice li"), 2);
    // The page is all there, on its defaults.
    assert_eq!(count(&container, ".lane-card"), 3);
    button(&container, "Dismiss").click();
    sleep(0).await;
    assert_eq!(count(&container, ".notice"), 0);
}

#[wasm_bindgen_test]
fn the_error_banner_offers_a_reload() {
    producer_sim::ui::error_banner::show_error_banner("Test failure.");
    producer_sim::ui::error_banner::show_error_banner("A second one is not added.");
    let document = document();
    let body = document.body().unwrap();
    assert_eq!(query_all(&body, "#app-error").len(), 1);
    let banner: HtmlElement = document
        .get_element_by_id("app-error")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    assert!(banner.text_content().unwrap().starts_with("Test failure."));
    let reload = banner.query_selector("a[role=button]").unwrap().unwrap();
    assert_eq!(reload.text_content().as_deref(), Some("Reload"));
    let location = window().location();
    assert_eq!(
        reload.get_attribute("href").unwrap(),
        format!(
            "{}{}",
            location.pathname().unwrap(),
            location.search().unwrap()
        )
    );
    banner.remove();
}
