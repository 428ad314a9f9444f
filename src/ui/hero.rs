//! The hero: the page's promise, and a live message flow from the engine running with
//! Kafka's default producer settings at a gentle pace.

use super::flow::{BatchMark, KeyTag, Scene, Stage};
use super::hooks::use_animation;
use super::live_sim::{LiveSim, SendPlan};
use crate::engine::time::SimDuration;
use crate::engine::SimConfig;
use leptos::prelude::*;

/// Simulated milliseconds shown per wall-clock second: slow enough to follow a batch.
const SIM_MS_PER_SECOND: f64 = 4.0;
/// The longest frame gap that is played back (a stalled tab does not fast-forward).
const MAX_FRAME_MS: f64 = 100.0;
const SEED: u64 = 2024;
const PARTITIONS: u32 = 3;
/// How many of each partition's newest records are drawn.
const CELLS: usize = 10;

/// The hero's world: Kafka's defaults with three partitions.
fn hero_config() -> SimConfig {
    let mut config = SimConfig::default();
    config.topic.partitions = PARTITIONS;
    config
}

fn hero_plan() -> SendPlan {
    SendPlan {
        interval: SimDuration::from_ms_f64(1.1),
        keys: [
            "user-42", "order-7", "user-17", "cart-3", "user-99", "order-12",
        ]
        .into_iter()
        .map(|k| Some(k.to_string()))
        .collect(),
    }
}

/// Wall-clock milliseconds to simulated time at the hero's pace.
fn sim_step(wall_ms: f64) -> SimDuration {
    SimDuration::from_ms_f64(wall_ms.min(MAX_FRAME_MS) * SIM_MS_PER_SECOND / 1000.0)
}

#[component]
pub fn Hero() -> impl IntoView {
    view! {
        <header class="hero" id="top">
            <div class="hero__text">
                <p class="eyebrow">"Apache Kafka® producer deep dive"</p>
                <h1>"Build Reliable Event Pipelines"</h1>
                <p class="lede">
                    "Every record your service sends goes on a journey: a partitioner picks its "
                    "partition, it waits in a batch, travels to the partition's leader and is "
                    "copied to followers before the producer hears back. This page runs a "
                    "faithful simulation of Kafka's Java producer and a small cluster, so what "
                    "you see below is what the engine computes, not a canned animation."
                </p>
                <div class="hero__actions">
                    <a class="btn btn--primary" href="#partition-assignment">
                        "Try the partitioner"
                    </a>
                    <a class="btn" href="#write-path">"Follow a write"</a>
                </div>
            </div>
            <LiveFlow/>
        </header>
    }
}

// Geometry of the flow drawing (SVG user units).
const VIEW_W: f64 = 560.0;
const VIEW_H: f64 = 250.0;
const PRODUCER_X: f64 = 16.0;
const PRODUCER_W: f64 = 104.0;
const BATCH_X: f64 = 168.0;
const LANE_X: f64 = 240.0;
const CELL_W: f64 = 24.0;
const CELL_GAP: f64 = 2.0;

fn lane_y(partition: u32) -> f64 {
    40.0 + f64::from(partition) * 70.0
}

fn lane_entry_x() -> f64 {
    LANE_X + 44.0
}

/// Where a batch stops when it reaches its partition: over the start of the lane.
fn arrival_x() -> f64 {
    lane_entry_x() + 16.0
}

/// Where a batch is drawn, or `None` when it is not drawn as a token.
fn batch_position(mark: &BatchMark) -> Option<(f64, f64)> {
    let y = lane_y(mark.partition) + 18.0;
    match mark.stage {
        Stage::InAccumulator { .. } => Some((BATCH_X, y)),
        Stage::ToLeader { progress, .. } => Some((BATCH_X + (arrival_x() - BATCH_X) * progress, y)),
        Stage::OnLeader { .. } => Some((arrival_x(), y)),
        Stage::Response { progress, .. } => {
            Some((arrival_x() - (arrival_x() - BATCH_X) * progress, y))
        }
    }
}

/// The CSS colour variable for a key (null keys get their own neutral tone).
pub fn key_style(key: &KeyTag) -> String {
    match key.hue {
        Some(h) => format!("--key-hue:{h}"),
        None => String::new(),
    }
}

pub fn key_class(key: &KeyTag, base: &str) -> String {
    if key.hue.is_some() {
        format!("{base} {base}--keyed")
    } else {
        format!("{base} {base}--null")
    }
}

#[component]
fn LiveFlow() -> impl IntoView {
    let live = StoredValue::new_local(LiveSim::new(hero_config(), SEED, hero_plan()).ok());
    let engine_ok = live.with_value(|l| l.is_some());
    // A still picture to start from: the first moments of the run.
    live.update_value(|l| {
        if let Some(l) = l {
            l.advance(SimDuration::from_ms(14));
        }
    });
    let scene =
        RwSignal::new(live.with_value(|l| l.as_ref().map(LiveSim::scene).unwrap_or_default()));

    let animation = use_animation(
        move |frame| {
            live.update_value(|l| {
                if let Some(l) = l {
                    l.advance(sim_step(frame.delta_ms));
                    scene.set(l.scene());
                }
            });
        },
        engine_ok,
    );
    let playing = animation.is_active();

    view! {
        <figure class="live-flow" aria-labelledby="live-flow-caption">
            <svg
                class="live-flow__svg"
                viewBox=format!("0 0 {VIEW_W} {VIEW_H}")
                role="img"
                aria-label="Live message flow: records leave a producer in batches and are appended to three partitions"
            >
                <FlowStatic/>
                <FlowLogs scene=scene/>
                <FlowBatches scene=scene/>
            </svg>
            <figcaption id="live-flow-caption" class="live-flow__caption">
                <button
                    class="btn btn--small"
                    aria-pressed=move || if playing.get() { "false" } else { "true" }
                    on:click=move |_| {
                        if playing.get_untracked() { animation.pause() } else { animation.resume() }
                    }
                >
                    {move || if playing.get() { "Pause live flow" } else { "Play live flow" }}
                </button>
                <span class="live-flow__stats">
                    {move || {
                        scene.with(|s| format!(
                            "{} sent · {} acknowledged · {:.1} ms simulated",
                            s.totals.records_sent,
                            s.totals.records_acked,
                            s.now.as_ms_f64(),
                        ))
                    }}
                </span>
            </figcaption>
        </figure>
    }
}

/// The parts that never move: producer, accumulator slots, partition lanes.
#[component]
fn FlowStatic() -> impl IntoView {
    let lanes = (0..PARTITIONS)
        .map(|p| {
            let y = lane_y(p);
            view! {
                <g class="lane">
                    <line class="wire" x1=PRODUCER_X + PRODUCER_W x2=BATCH_X - 14.0
                        y1=VIEW_H / 2.0 y2=y + 18.0 />
                    <line class="wire" x1=BATCH_X + 14.0 x2=lane_entry_x() y1=y + 18.0 y2=y + 18.0 />
                    <rect class="slot" x=BATCH_X - 14.0 y=y + 4.0 width=28 height=28 rx=5 />
                    <text class="label" x=LANE_X y=y + 22.0>{format!("P{p}")}</text>
                    <rect class="lane__track" x=lane_entry_x() y=y + 2.0
                        width=VIEW_W - lane_entry_x() - 8.0 height=32 rx=6 />
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="flow-static">
            <rect class="node" x=PRODUCER_X y=VIEW_H / 2.0 - 36.0 width=PRODUCER_W height=72 rx=10 />
            <text class="node__title" x=PRODUCER_X + PRODUCER_W / 2.0 y=VIEW_H / 2.0 - 4.0
                text-anchor="middle">"Producer"</text>
            <text class="node__sub" x=PRODUCER_X + PRODUCER_W / 2.0 y=VIEW_H / 2.0 + 16.0
                text-anchor="middle">"send()"</text>
            <text class="caption" x=BATCH_X y=22 text-anchor="middle">"batches"</text>
            <text class="caption" x=lane_entry_x() y=22>"partition logs (newest first)"</text>
            {lanes}
        </g>
    }
}

/// The newest records of each partition's log, newest at the left. The cells stay put;
/// their colour, style and title follow the log, so a frame changes only attributes.
#[component]
fn FlowLogs(scene: RwSignal<Scene>) -> impl IntoView {
    (0..PARTITIONS)
        .map(|p| {
            let y = lane_y(p) + 6.0;
            (0..CELLS)
                .map(|i| {
                    let entry = Memo::new(move |_| {
                        scene.with(|s| {
                            s.partitions
                                .get(p as usize)
                                .and_then(|m| m.tail.iter().rev().nth(i).cloned())
                        })
                    });
                    let x = lane_entry_x() + 4.0 + i as f64 * (CELL_W + CELL_GAP);
                    let class = move || {
                        entry.with(|e| match e {
                            Some(e) => {
                                key_class(&e.key, "cell")
                                    + if e.committed {
                                        " cell--committed"
                                    } else {
                                        " cell--pending"
                                    }
                            }
                            None => "cell cell--empty".to_string(),
                        })
                    };
                    let style = move || {
                        entry.with(|e| e.as_ref().map(|e| key_style(&e.key)).unwrap_or_default())
                    };
                    let title = move || {
                        entry.with(|e| {
                            e.as_ref().map_or(String::new(), |e| {
                                format!(
                                    "offset {} · key {} · {}",
                                    e.offset,
                                    e.key.label.clone().unwrap_or_else(|| "null".into()),
                                    if e.committed {
                                        "committed"
                                    } else {
                                        "not yet committed"
                                    },
                                )
                            })
                        })
                    };
                    view! {
                        <rect class=class style=style x=x y=y width=CELL_W height=24 rx=3>
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view()
        })
        .collect_view()
}

/// Batches waiting, travelling to their leader, and the response coming back.
#[component]
fn FlowBatches(scene: RwSignal<Scene>) -> impl IntoView {
    let ids = Memo::new(move |_| {
        scene.with(|s| {
            s.batches
                .iter()
                .map(|b| (b.partition, b.batch))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="tokens">
            <For
                each=move || ids.get()
                key=|id| *id
                children=move |id| {
                    let mark = Memo::new(move |_| {
                        scene.with(|s| s.batches.iter().find(|b| (b.partition, b.batch) == id).cloned())
                    });
                    let pos = Memo::new(move |_| mark.with(|m| m.as_ref().and_then(batch_position)));
                    let is_response = Memo::new(move |_| {
                        mark.with(|m| matches!(m.as_ref().map(|m| &m.stage), Some(Stage::Response { .. })))
                    });
                    let is_error = Memo::new(move |_| {
                        mark.with(|m| {
                            matches!(m.as_ref().map(|m| &m.stage), Some(Stage::Response { error: Some(_), .. }))
                        })
                    });
                    let transform = move || {
                        pos.get().map(|(x, y)| format!("translate({x:.1} {y:.1})")).unwrap_or_default()
                    };
                    view! {
                        <g transform=transform class=move || if is_response.get() { "ack" } else { "batch" }>
                            <Show
                                when=move || is_response.get()
                                fallback=move || {
                                    let keys = Memo::new(move |_| mark.with(|m| m.as_ref().map(|m| m.keys.clone()).unwrap_or_default()));
                                    view! {
                                        <rect class="batch__box" x=-15 y=-11 width=30 height=22 rx=5 />
                                        {move || {
                                            keys.get()
                                                .into_iter()
                                                .take(6)
                                                .enumerate()
                                                .map(|(i, k)| {
                                                    let dx = -9.0 + (i % 3) as f64 * 9.0;
                                                    let dy = if i < 3 { -5.0 } else { 5.0 };
                                                    view! {
                                                        <circle class=key_class(&k, "dot") style=key_style(&k)
                                                            cx=dx cy=dy r=4 />
                                                    }
                                                })
                                                .collect_view()
                                        }}
                                    }
                                }
                            >
                                {move || {
                                    if is_error.get() {
                                        view! { <path class="ack__mark ack__mark--error" d="M -4 -4 L 4 4 M 4 -4 L -4 4" /> }
                                    } else {
                                        view! { <path class="ack__mark" d="M -6 0 L -2 4 L 6 -5" /> }
                                    }
                                }}
                            </Show>
                        </g>
                    }
                }
            />
        </g>
    }
}
