//! "Write Path": the journey of a batch, drawn from the engine's events: the
//! producer's accumulator, the request to the partition leader, follower fetches, the
//! high watermark, and the response coming back when `acks` allows.

pub mod broker_menu;
pub mod layout;
pub mod model;

use super::flow::describe_fault;
use super::flow::{BatchMark, FetchMark, Stage};
use super::hero::{key_class, key_style};
use super::hooks::{use_animation, use_media_query};
use super::settings::use_settings;
use crate::engine::config::Acks;
use crate::engine::fault::ScheduledFault;
use crate::engine::scenario::{find as find_scenario, SCENARIOS};
use crate::engine::sim::{BrokerView, ClusterView, PartitionView};
use broker_menu::{BrokerAction, BrokerMenu};
use layout::{along_path, path_d, Layout, Orientation, Point};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use model::{Speed, WritePathModel, SKIP};
pub use model::{WriteFrame, PARTITIONS};

/// A broker's state as the diagram draws it (no per-frame numbers, so it rarely changes).
#[derive(Clone, Debug, PartialEq)]
struct BrokerShape {
    id: u32,
    alive: bool,
    /// A short note on anything unusual: down, fenced, slow, cut off.
    status: Option<String>,
}

impl BrokerShape {
    fn from_view(b: &BrokerView) -> Self {
        let mut notes = Vec::new();
        if !b.alive {
            notes.push("down".to_string());
        } else if b.fenced {
            notes.push("fenced".to_string());
        }
        if b.alive && b.slow_ms > 0.0 {
            notes.push(format!("+{} ms", b.slow_ms));
        }
        if b.producer_link_cut {
            notes.push("link cut".to_string());
        }
        if b.replication_cut {
            notes.push("not fetching".to_string());
        }
        BrokerShape {
            id: b.id,
            alive: b.alive,
            status: (!notes.is_empty()).then(|| notes.join(", ")),
        }
    }
}

/// The cluster's shape: which brokers exist and where each partition's replicas are.
#[derive(Clone, Debug, Default, PartialEq)]
struct Topology {
    brokers: Vec<BrokerShape>,
    /// Per partition: leader, replicas, ISR.
    partitions: Vec<(Option<u32>, Vec<u32>, Vec<u32>)>,
}

impl Topology {
    fn from_view(view: Option<&ClusterView>) -> Self {
        let Some(view) = view else {
            return Topology::default();
        };
        Topology {
            brokers: view.brokers.iter().map(BrokerShape::from_view).collect(),
            partitions: view
                .partitions
                .iter()
                .map(|p| (p.leader, p.replicas.clone(), p.isr.clone()))
                .collect(),
        }
    }
    fn broker_index(&self, id: u32) -> Option<usize> {
        self.brokers.iter().position(|b| b.id == id)
    }
}

fn acks_value(acks: Acks) -> &'static str {
    match acks {
        Acks::Zero => "0",
        Acks::One => "1",
        Acks::All => "all",
    }
}

fn acks_explanation(acks: Acks, min_isr: u32) -> String {
    match acks {
        Acks::Zero => "acks=0: the producer does not wait for an answer, so no response comes back and no offset is known. Fastest, and a lost request is lost silently.".to_string(),
        Acks::One => format!("acks=1: the leader answers as soon as the batch is in its own log; followers copy it afterwards. If the leader dies before they do, an acknowledged record is gone. While fewer than min.insync.replicas={min_isr} replicas are in sync the high watermark stops (Kafka 3.7+): acknowledged records then wait on the leader, not committed."),
        Acks::All => format!("acks=all: the leader answers once every replica in the ISR has the batch, that is when the high watermark passes it. With min.insync.replicas={min_isr}, the leader refuses writes (NOT_ENOUGH_REPLICAS) while fewer replicas are in sync, and the high watermark stops, so writes it already took wait until they time out."),
    }
}

#[component]
pub fn WritePath() -> impl IntoView {
    let settings = use_settings();
    let page_config = settings.config();
    let config = Memo::new(move |_| page_config.get());
    let narrow = use_media_query("(max-width: 640px)");

    let model: StoredValue<Option<WritePathModel>, LocalStorage> = StoredValue::new_local(None);
    let frame = RwSignal::new(WriteFrame::default());
    let engine_error = RwSignal::new(None::<String>);
    let speed = RwSignal::new(Speed::Normal);
    let control_error = RwSignal::new(None::<(String, String)>);
    let open_menu = RwSignal::new(None::<u32>);
    let fault_message = RwSignal::new(None::<String>);

    let scenario = Memo::new(move |_| settings.scenario().map(|s| s.name));
    let scenario_faults = Memo::new(move |_| {
        scenario
            .get()
            .and_then(find_scenario)
            .and_then(|s| s.faults().ok())
            .unwrap_or_default()
    });
    let scenario_error = RwSignal::new(None::<String>);
    let choose_scenario = move |name: String| {
        let chosen = (!name.is_empty()).then_some(name.as_str());
        match settings.choose_scenario(chosen) {
            Ok(()) => scenario_error.set(None),
            Err(e) => scenario_error.set(Some(e.to_string())),
        }
    };
    // The next scheduled fault the picture has not reached yet (read after each change).
    let next_fault = RwSignal::new(None::<ScheduledFault>);

    // Every change to the world goes through here, then the frame is published.
    let update = move |change: &dyn Fn(&mut WritePathModel)| {
        model.update_value(|m| {
            if let Some(m) = m {
                change(m);
                frame.set(m.frame());
                let next = m.next_fault();
                if next_fault.get_untracked() != next {
                    next_fault.set(next);
                }
            }
        });
    };

    // A new world whenever the settings or the scenario change.
    Effect::new(move |_| {
        let fresh = WritePathModel::new(&config.get(), scenario_faults.get());
        engine_error.set(fresh.error().map(str::to_string));
        model.set_value(Some(fresh));
        update(&|_| {});
    });

    let animation = use_animation(
        move |f| {
            let speed = speed.get_untracked();
            update(&|m| m.play(f.delta_ms, speed));
        },
        true,
    );
    let playing = animation.is_active();

    let set_setting = move |key: &'static str, value: String| match settings.set(key, &value) {
        Ok(()) => control_error.set(None),
        Err(e) => control_error.set(Some((key.to_string(), e.message))),
    };
    let error_for = move |key: &'static str| {
        move || control_error.with(|e| e.as_ref().filter(|(k, _)| k == key).map(|(_, m)| m.clone()))
    };

    let topology = Memo::new(move |_| frame.with(|f| Topology::from_view(f.view.as_ref())));
    let layout = Memo::new(move |_| {
        let orientation = if narrow.get() {
            Orientation::Tall
        } else {
            Orientation::Wide
        };
        let brokers = topology.with(|t| t.brokers.len());
        Layout::new(orientation, brokers, PARTITIONS as usize)
    });

    let close_menu = move || {
        if let Some(id) = open_menu.get_untracked() {
            open_menu.set(None);
            if let Some(el) = document()
                .query_selector(&format!("[data-broker='{id}']"))
                .ok()
                .flatten()
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::SvgElement>(e).ok())
            {
                let _ = el.focus();
            }
        }
    };

    let on_action = move |action: BrokerAction| {
        let Some(broker) = open_menu.get_untracked() else {
            return;
        };
        let message = std::cell::RefCell::new(None);
        update(&|m| *message.borrow_mut() = Some(m.broker_action(action, broker)));
        fault_message.set(message.into_inner());
        close_menu();
    };
    view! {
        <section id="write-path" class="section" aria-labelledby="write-path-title">
            <div class="section__head">
                <h2 id="write-path-title">"Write Path"</h2>
                <p class="section__lede">
                    "Follow batches from the producer to each partition's leader and on to the "
                    "followers on other brokers. Solid lines carry writes, dashed lines carry "
                    "replication; the response flows back when acks allows. Select a broker for "
                    "its actions."
                </p>
            </div>
            <div class="wp__controls panel">
                <div class="field field--wide">
                    <label class="field__label" for="wp-scenario">"Scenario"</label>
                    <select
                        id="wp-scenario"
                        class="input"
                        prop:value=move || scenario.get().unwrap_or_default()
                        on:change=move |ev| choose_scenario(event_target_value(&ev))
                        aria-describedby="wp-scenario-error"
                    >
                        <option value="">"None: the cluster runs until you break it"</option>
                        {SCENARIOS
                            .iter()
                            .map(|s| view! { <option value=s.name>{s.title}</option> })
                            .collect_view()}
                    </select>
                    <p id="wp-scenario-error" class="field__error" role="alert">{move || scenario_error.get()}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="wp-acks">"acks"</label>
                    <select
                        id="wp-acks"
                        class="input"
                        prop:value=move || config.with(|c| acks_value(c.producer.acks))
                        on:change=move |ev| set_setting("acks", event_target_value(&ev))
                        aria-describedby="wp-acks-error"
                    >
                        <option value="0" selected=move || config.with(|c| acks_value(c.producer.acks) == "0")>"0"</option>
                        <option value="1" selected=move || config.with(|c| acks_value(c.producer.acks) == "1")>"1"</option>
                        <option value="all" selected=move || config.with(|c| acks_value(c.producer.acks) == "all")>"all"</option>
                    </select>
                    <p id="wp-acks-error" class="field__error" role="alert">{error_for("acks")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="wp-min-isr">"min.insync.replicas"</label>
                    <select
                        id="wp-min-isr"
                        class="input"
                        prop:value=move || config.with(|c| c.topic.min_insync_replicas.to_string())
                        on:change=move |ev| set_setting("min.insync.replicas", event_target_value(&ev))
                        aria-describedby="wp-min-isr-error"
                    >
                        {move || {
                            let rf = config.with(|c| c.topic.replication_factor.max(1));
                            (1..=rf)
                                .map(|n| {
                                    let selected = config.with(|c| c.topic.min_insync_replicas == n);
                                    view! { <option value=n.to_string() selected=selected>{n}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id="wp-min-isr-error" class="field__error" role="alert">
                        {error_for("min.insync.replicas")}
                    </p>
                </div>
                <div class="field">
                    <label class="field__label" for="wp-speed">"Speed"</label>
                    <select
                        id="wp-speed"
                        class="input"
                        prop:value=move || speed.get().as_str()
                        on:change=move |ev| speed.set(Speed::parse(&event_target_value(&ev)))
                    >
                        {Speed::ALL
                            .into_iter()
                            .map(|s| view! { <option value=s.as_str() selected=move || speed.get() == s>{s.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="wp__buttons">
                    <button
                        type="button"
                        class="btn"
                        aria-pressed=move || if playing.get() { "false" } else { "true" }
                        on:click=move |_| {
                            if playing.get_untracked() { animation.pause() } else { animation.resume() }
                        }
                    >
                        {move || if playing.get() { "Pause write path" } else { "Play write path" }}
                    </button>
                    <button
                        type="button"
                        class="btn btn--quiet"
                        data-testid="wp-step"
                        title="Move simulated time to the next thing that happens: a send(), a request or response arriving, a fetch, a timer."
                        on:click=move |_| update(&WritePathModel::step)
                        prop:disabled=move || playing.get()
                    >
                        "Step to next event"
                    </button>
                    <button type="button" class="btn" data-testid="wp-skip" on:click=move |_| update(&|m| m.advance(SKIP))>
                        "Skip 10 s"
                    </button>
                    {move || {
                        next_fault.get().map(|fault| {
                            let label = format!("Skip to {:.0} ms", fault.at.as_ms_f64());
                            view! {
                                <button
                                    type="button"
                                    class="btn"
                                    title=describe_fault(&fault.fault)
                                    on:click=move |_| update(&WritePathModel::skip_to_next_fault)
                                >
                                    {label}
                                </button>
                            }
                        })
                    }}
                </div>
            </div>
            <figure class="wp__figure">
                <svg
                    class="wp__svg"
                    role="group"
                    aria-label="Write path diagram"
                    viewBox=move || layout.with(|l| format!("0 0 {:.0} {:.0}", l.width, l.height))
                >
                    <defs>
                        <marker id="wp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0 L10 5 L0 10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    <ProducerSide layout=layout frame=frame />
                    <Brokers layout=layout topology=topology frame=frame open_menu=open_menu />
                    <Tokens layout=layout topology=topology frame=frame />
                </svg>
                {move || {
                    open_menu.get().and_then(|id| {
                        let index = topology.with(|t| t.broker_index(id))?;
                        let broker = frame.with_untracked(|f| {
                            f.view.as_ref()?.brokers.iter().find(|b| b.id == id).cloned()
                        })?;
                        let (left, top) = layout.with(|l| {
                            let r = l.brokers[index.min(l.brokers.len() - 1)];
                            ((r.x + 8.0) / l.width * 100.0, (r.y + 30.0) / l.height * 100.0)
                        });
                        Some(view! { <BrokerMenu broker=broker left=left top=top on_action=on_action on_close=close_menu /> })
                    })
                }}
                <figcaption class="wp__legend">
                    <span class="legend legend--write">"write (produce request)"</span>
                    <span class="legend legend--replication">"replication (follower fetch)"</span>
                    <span class="legend legend--ack">"response / ack"</span>
                    <span class="legend legend--committed">"committed (below the high watermark)"</span>
                    <span class="legend legend--pending">"on the leader, not committed (above the high watermark)"</span>
                </figcaption>
            </figure>
            <div class="wp__status panel" aria-live="off">
                {move || engine_error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
                {move || fault_message.get().map(|m| view! { <p class="wp__fault" role="status">{m}</p> })}
                {move || {
                    scenario.get().and_then(find_scenario).map(|s| {
                        let schedule: Vec<String> = s
                            .faults()
                            .unwrap_or_default()
                            .iter()
                            .map(|f| format!("{:.0} ms: {}", f.at.as_ms_f64(), describe_fault(&f.fault)))
                            .collect();
                        view! {
                            <div class="wp__scenario" data-testid="wp-scenario">
                                <h3 class="wp__scenario-title">{s.title}</h3>
                                <p>{s.lesson}</p>
                                <ul class="wp__schedule">
                                    {schedule.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                    })
                }}
                <p class="wp__acks" data-testid="wp-acks-explanation">
                    {move || config.with(|c| acks_explanation(c.producer.acks, c.topic.min_insync_replicas))}
                </p>
                <Stats
                    frame=frame
                    min_isr=Signal::derive(move || config.with(|c| c.topic.min_insync_replicas))
                />
                <Incidents frame=frame />
            </div>
        </section>
    }
}

/// What happened to the cluster lately, newest first.
#[component]
fn Incidents(frame: RwSignal<WriteFrame>) -> impl IntoView {
    let incidents = Memo::new(move |_| frame.with(|f| f.scene.incidents.clone()));
    view! {
        <Show when=move || incidents.with(|i| !i.is_empty())>
            <div class="wp__incidents">
                <h3 class="wp__incidents-title">"Cluster events"</h3>
                <ol class="wp__incident-list" aria-live="polite">
                    {move || {
                        incidents
                            .get()
                            .into_iter()
                            .rev()
                            .map(|(t, text)| {
                                view! {
                                    <li>
                                        <span class="wp__incident-time">{format!("{:.2} ms", t.as_ms_f64())}</span>
                                        {text}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </div>
        </Show>
    }
}

/// The running numbers under the diagram.
#[component]
fn Stats(frame: RwSignal<WriteFrame>, min_isr: Signal<u32>) -> impl IntoView {
    let totals = Memo::new(move |_| frame.with(|f| f.scene.totals));
    let in_flight = Memo::new(move |_| {
        frame.with(|f| {
            f.view.as_ref().map_or(0, |v| {
                v.brokers.iter().map(|b| b.in_flight_requests).sum::<u32>()
            })
        })
    });
    let queued = Memo::new(move |_| {
        frame.with(|f| {
            f.view.as_ref().map_or(0, |v| {
                v.partitions.iter().map(|p| p.queued_batches).sum::<u32>()
            })
        })
    });
    let watermarks = Memo::new(move |_| {
        frame.with(|f| {
            f.view
                .as_ref()
                .map(|v| {
                    v.partitions
                        .iter()
                        .map(|p| format!("P{} {}", p.partition, p.high_watermark))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default()
        })
    });
    let last_error = Memo::new(move |_| {
        frame.with(|f| {
            f.scene
                .last_error
                .map(|(t, e)| format!("{} at {:.2} ms", e.name(), t.as_ms_f64()))
        })
    });
    let hw_stopped = Memo::new(move |_| {
        let min_isr = min_isr.get();
        frame.with(|f| {
            f.view
                .as_ref()
                .map(|v| hw_stopped_lines(&v.partitions, min_isr))
                .unwrap_or_default()
        })
    });
    let now = Memo::new(move |_| frame.with(|f| f.scene.now.as_ms_f64()));
    let fates =
        Memo::new(move |_| frame.with(|f| f.view.as_ref().map(|v| v.fates).unwrap_or_default()));
    let lost_class = move || {
        if fates.get().acked_lost > 0 {
            "stats__item stats__item--error"
        } else {
            "stats__item"
        }
    };
    view! {
        <dl class="stats">
            <div class="stats__item">
                <dt>"Simulated time"</dt>
                <dd data-testid="wp-time">{move || format!("{:.2} ms", now.get())}</dd>
            </div>
            <div class="stats__item">
                <dt>"Records sent"</dt>
                <dd data-testid="wp-sent">{move || totals.get().records_sent}</dd>
            </div>
            <div class="stats__item">
                <dt>"Acknowledged"</dt>
                <dd data-testid="wp-acked">{move || totals.get().records_acked}</dd>
            </div>
            <div class="stats__item">
                <dt>"Failed"</dt>
                <dd data-testid="wp-failed">{move || totals.get().records_failed}</dd>
            </div>
            <div class="stats__item">
                <dt>"Retries"</dt>
                <dd>{move || totals.get().retries}</dd>
            </div>
            <div class="stats__item">
                <dt>"Requests in flight"</dt>
                <dd data-testid="wp-in-flight">{move || in_flight.get()}</dd>
            </div>
            <div class="stats__item">
                <dt>"Batches in the accumulator"</dt>
                <dd>{move || queued.get()}</dd>
            </div>
            <div class="stats__item stats__item--wide">
                <dt>"High watermark"</dt>
                <dd data-testid="wp-hw">{move || watermarks.get()}</dd>
            </div>
            <div class="stats__item">
                <dt>"Acked, durable"</dt>
                <dd data-testid="wp-durable">{move || fates.get().acked_durable}</dd>
            </div>
            <div class=lost_class>
                <dt>"Acked, then lost"</dt>
                <dd data-testid="wp-lost">{move || fates.get().acked_lost}</dd>
            </div>
            <div class="stats__item">
                <dt>"Acked, not committed"</dt>
                <dd data-testid="wp-uncommitted">{move || fates.get().acked_uncommitted}</dd>
            </div>
            <div class="stats__item">
                <dt>"Duplicated"</dt>
                <dd>{move || fates.get().duplicated}</dd>
            </div>
            <div class="stats__item">
                <dt>"Reordered"</dt>
                <dd>{move || fates.get().reordered}</dd>
            </div>
            <Show when=move || last_error.with(Option::is_some)>
                <div class="stats__item stats__item--wide stats__item--error">
                    <dt>"Latest error"</dt>
                    <dd>{move || last_error.get()}</dd>
                </div>
            </Show>
        </dl>
        // A card of its own under the counters: a paragraph would stretch their grid.
        <Show when=move || hw_stopped.with(|t| !t.is_empty())>
            <div class="wp__hw-stopped" role="note">
                <h3 class="wp__hw-stopped-title">"High watermark stopped"</h3>
                <div data-testid="wp-hw-stopped">
                    {move || hw_stopped.get().into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                    <p>{HW_STOPPED_MEANS}</p>
                </div>
            </div>
        </Show>
    }
}

/// What a stopped high watermark means, said once under the partitions' lines.
const HW_STOPPED_MEANS: &str = "Records above the high watermark are not committed: consumers cannot read them, acks=all writes wait, acks=0/1 writes are acknowledged anyway.";

/// Why a partition's high watermark no longer moves: its leader's ISR is below the
/// effective min ISR (`Partition.maybeIncrementLeaderHW`, Kafka 3.7+). One line per
/// such partition; empty when none is.
fn hw_stopped_lines(partitions: &[PartitionView], min_isr: u32) -> Vec<String> {
    partitions
        .iter()
        .filter(|p| p.leader.is_some())
        .filter(|p| p.isr.len() < (min_isr as usize).min(p.replicas.len()))
        .map(|p| {
            let leo = p
                .leader
                .and_then(|l| p.replicas.iter().position(|&r| r == l))
                .and_then(|i| p.log_end_offsets.get(i).copied())
                .unwrap_or(0);
            let isr: Vec<String> = p.isr.iter().map(u32::to_string).collect();
            format!(
                "P{}: the ISR [{}] is below min.insync.replicas={min_isr}, so the high watermark stays at {} while the leader's log ends at {leo}.",
                p.partition,
                isr.join(", "),
                p.high_watermark
            )
        })
        .collect()
}

fn line_d((a, b): (Point, Point)) -> String {
    format!("M{:.1} {:.1} L{:.1} {:.1}", a.0, a.1, b.0, b.1)
}

/// Application, partitioner and the accumulator's per-partition slots.
#[component]
fn ProducerSide(layout: Memo<Layout>, frame: RwSignal<WriteFrame>) -> impl IntoView {
    move || {
        let l = layout.get();
        let (app, part, acc) = (l.app, l.partitioner, l.accumulator);
        let to_partitioner = match l.orientation {
            Orientation::Wide => (app.right_mid(), part.left_mid()),
            Orientation::Tall => (app.right_mid(), part.left_mid()),
        };
        let fan = l
            .batch_slots
            .iter()
            .enumerate()
            .map(|(p, slot)| {
                let line = match l.orientation {
                    Orientation::Wide => (part.right_mid(), slot.left_mid()),
                    Orientation::Tall => (part.bottom_mid(), slot.top_mid()),
                };
                let queued = Memo::new(move |_| {
                    frame.with(|f| {
                        f.view
                            .as_ref()
                            .and_then(|v| v.partitions.get(p))
                            .map_or(0, |pv| pv.queued_batches)
                    })
                });
                let (tx, ty) = l.slot_label(p).unwrap_or_else(|| slot.top_mid());
                view! {
                    <path class="wire wire--write" d=line_d(line) marker-end="url(#wp-arrow)" />
                    <rect class="slot" x=slot.x y=slot.y width=slot.w height=slot.h rx=6 />
                    <text class="label label--small" x=tx y=ty>
                        {move || format!("P{p} · {} queued", queued.get())}
                    </text>
                }
            })
            .collect_view();
        let (acc_label_x, acc_label_y) = l.accumulator_label();
        view! {
            <g class="wp-producer">
                <rect class="node node--producer" x=acc.x y=acc.y width=acc.w height=acc.h rx=10 />
                <text class="node__sub" x=acc_label_x y=acc_label_y>"RecordAccumulator"</text>
                <rect class="node" x=app.x y=app.y width=app.w height=app.h rx=10 />
                <text class="node__title" x=app.center().0 y=app.center().1 - 4.0 text-anchor="middle">"Application"</text>
                <text class="node__sub" x=app.center().0 y=app.center().1 + 14.0 text-anchor="middle">"send()"</text>
                <path class="wire wire--write" d=line_d(to_partitioner) marker-end="url(#wp-arrow)" />
                <rect class="node" x=part.x y=part.y width=part.w height=part.h rx=10 />
                <text class="node__title" x=part.center().0 y=part.center().1 - 4.0 text-anchor="middle">"Partitioner"</text>
                <text class="node__sub" x=part.center().0 y=part.center().1 + 14.0 text-anchor="middle">"key → partition"</text>
                {fan}
            </g>
        }
    }
}

/// Brokers with their replicas, write lines to leaders and replication curves.
#[component]
fn Brokers(
    layout: Memo<Layout>,
    topology: Memo<Topology>,
    frame: RwSignal<WriteFrame>,
    open_menu: RwSignal<Option<u32>>,
) -> impl IntoView {
    move || {
        let l = layout.get();
        let t = topology.get();
        if t.brokers.is_empty() {
            let (x, y) = (l.width - 16.0, l.accumulator.center().1);
            return view! {
                <text class="caption" x=x y=y text-anchor="end">"The engine reports no brokers yet."</text>
            }
            .into_any();
        }
        let mut wires = Vec::new();
        for (p, (leader, replicas, _)) in t.partitions.iter().enumerate().take(PARTITIONS as usize)
        {
            let Some(li) = leader.and_then(|id| t.broker_index(id)) else {
                continue;
            };
            if let Some(route) = l.write_route(p, li) {
                wires.push(view! { <path class="wire wire--write" d=path_d(&route) marker-end="url(#wp-arrow)" /> }.into_any());
            }
            for follower in replicas.iter().filter(|r| Some(**r) != *leader) {
                if let Some(route) = t
                    .broker_index(*follower)
                    .and_then(|fi| l.replication_route(p, li, fi))
                {
                    wires.push(
                        view! { <path class="wire wire--replication" d=path_d(&route) /> }
                            .into_any(),
                    );
                }
            }
        }
        let tall = l.orientation == Orientation::Tall;
        let brokers = t
            .brokers
            .iter()
            .enumerate()
            .map(|(bi, shape)| {
                let (id, alive, status) = (shape.id, shape.alive, shape.status.clone());
                let r = l.brokers[bi];
                let in_flight = Memo::new(move |_| {
                    frame.with(|f| {
                        f.view
                            .as_ref()
                            .and_then(|v| v.brokers.iter().find(|b| b.id == id))
                            .map_or(0, |b| b.in_flight_requests)
                    })
                });
                let wide_status = if tall { None } else { status.clone() };
                let open = move || open_menu.set(Some(id));
                let slots = (0..PARTITIONS as usize)
                    .map(|p| {
                        let slot = l.replica_slots[bi][p];
                        view! { <ReplicaSlot broker=id partition=p as u32 rect=slot tall=tall frame=frame /> }
                    })
                    .collect_view();
                view! {
                    <g
                        class=if alive { "broker" } else { "broker broker--down" }
                        role="button"
                        tabindex="0"
                        data-broker=id
                        aria-haspopup="menu"
                        aria-expanded=move || if open_menu.get() == Some(id) { "true" } else { "false" }
                        // No aria-label: the button is named by what it shows (its title,
                        // status and each replica's role, LEO and HW), so the spoken name
                        // and the visible text agree (WCAG 2.5.3, label in name).
                        on:click=move |_| open()
                        on:keydown=move |ev: KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                open();
                            }
                        }
                    >
                        <rect class="broker__focus" x=r.x - 4.0 y=r.y - 4.0 width=r.w + 8.0 height=r.h + 8.0 rx=14 />
                        <rect class="node broker__box" x=r.x y=r.y width=r.w height=r.h rx=10 />
                        <text class="node__title" x=r.x + 12.0 y=r.y + 20.0>{format!("Broker {id}")}</text>
                        // Requests in flight on the title line; anything unusual on a line of
                        // its own when the box is narrow, so neither runs over the title.
                        <text class="node__sub broker__in-flight" x=r.x + r.w - 12.0 y=r.y + 20.0 text-anchor="end">
                            {move || match (&status, alive, tall) {
                                (Some(s), false, _) if tall => s.clone(),
                                (_, false, _) => String::new(),
                                (Some(s), true, true) => format!("{s} · {} in flight", in_flight.get()),
                                _ => format!("{} in flight", in_flight.get()),
                            }}
                        </text>
                        {wide_status.map(|s| {
                            let fit = (s.chars().count() > 24).then(|| format!("{:.0}", r.w - 24.0));
                            view! {
                                <text class="node__sub broker__status" x=r.x + 12.0 y=r.y + 34.0
                                    textLength=fit lengthAdjust="spacingAndGlyphs">{s}</text>
                            }
                        })}
                        {slots}
                    </g>
                }
            })
            .collect_view();
        view! {
            <g class="brokers">{brokers}</g>
            <g class="wires">{wires}</g>
        }
        .into_any()
    }
}

/// An offset as the diagram prints it: exact up to 99,999 (a replica's LEO and the HW
/// often differ in the last digits), then in thousands or millions.
fn compact(n: u64) -> String {
    match n {
        0..=99_999 => n.to_string(),
        100_000..=9_999_999 => format!("{}k", n / 1000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// How many recent offsets a replica slot draws.
const SLOT_CELLS: u64 = 8;

/// One replica of one partition on one broker: its role, log end offset and the
/// partition's high watermark.
#[component]
fn ReplicaSlot(
    broker: u32,
    partition: u32,
    rect: layout::Rect,
    /// Drawn in a narrow column (stacked brokers).
    tall: bool,
    frame: RwSignal<WriteFrame>,
) -> impl IntoView {
    #[derive(Clone, PartialEq)]
    struct Replica {
        role: &'static str,
        in_isr: bool,
        leo: u64,
        leader_leo: u64,
        hw: u64,
    }
    let replica = Memo::new(move |_| {
        frame.with(|f| {
            let view = f.view.as_ref()?;
            let alive = view.brokers.iter().any(|b| b.id == broker && b.alive);
            let pv = view.partitions.iter().find(|p| p.partition == partition)?;
            let index = pv.replicas.iter().position(|r| *r == broker)?;
            let leader_index = pv
                .leader
                .and_then(|l| pv.replicas.iter().position(|r| *r == l));
            let leo = pv.log_end_offsets.get(index).copied().unwrap_or(0);
            let leader_leo = leader_index
                .and_then(|i| pv.log_end_offsets.get(i).copied())
                .unwrap_or(leo);
            Some(Replica {
                // A replica on a crashed broker is neither leader nor follower; a
                // partition without a leader is offline on every broker.
                role: match pv.leader {
                    _ if !alive => "down",
                    None => "offline",
                    Some(l) if l == broker => "leader",
                    Some(_) => "follower",
                },
                in_isr: pv.isr.contains(&broker),
                leo,
                leader_leo,
                hw: pv.high_watermark,
            })
        })
    });
    // The slot's elements stay put; only their classes and text follow the numbers, so
    // a frame changes attributes instead of rebuilding nodes.
    let hosted = Memo::new(move |_| replica.with(Option::is_some));
    let class = Memo::new(move |_| {
        replica.with(|r| match r {
            Some(r) => format!(
                "replica replica--{}{}",
                r.role,
                if r.in_isr {
                    ""
                } else {
                    " replica--out-of-sync"
                }
            ),
            None => "replica replica--none".to_string(),
        })
    });
    let title = Memo::new(move |_| {
        replica.with(|r| {
            // A narrow slot has room for a word after the partition.
            r.as_ref().map_or(String::new(), |r| match (r.role, tall) {
                ("down", true) => format!("P{partition} down"),
                ("down", false) => format!("P{partition} · broker down"),
                ("offline", true) => format!("P{partition} offline"),
                ("offline", false) => format!("P{partition} offline: no leader"),
                (role, _) => format!("P{partition} {role}"),
            })
        })
    });
    // Wide slots fit "LEO · HW" on one line; a narrow one puts HW on a line of its own.
    let numbers = Memo::new(move |_| {
        replica.with(|r| match r {
            Some(r) if r.role == "leader" && !tall => {
                format!("LEO {} · HW {}", compact(r.leo), compact(r.hw))
            }
            Some(r) => format!("LEO {}", compact(r.leo)),
            None => String::new(),
        })
    });
    let second = Memo::new(move |_| {
        replica.with(|r| match r {
            Some(r) if r.role == "leader" && tall => format!("HW {}", compact(r.hw)),
            _ => String::new(),
        })
    });
    // Out of the ISR: a dashed red border, and in words with an icon, so colour is never
    // the only sign. Wide: at the right of the numbers line; tall: a line of its own.
    let out_of_isr = Memo::new(move |_| {
        replica.with(|r| r.as_ref().is_some_and(|r| !r.in_isr && r.role != "offline"))
    });
    let (icon_x, tag_y) = if tall {
        (rect.x + 8.0, rect.y + 43.0)
    } else {
        (rect.x + rect.w - 76.0, rect.y + 29.0)
    };
    let (tag_x, icon_y) = (icon_x + 12.0, tag_y - 8.0);
    let cell_w = (rect.w - 16.0) / SLOT_CELLS as f64;
    let cells = (0..SLOT_CELLS)
        .map(|i| {
            let state = Memo::new(move |_| {
                replica.with(|r| {
                    let Some(r) = r else {
                        return "offset offset--empty";
                    };
                    let offset = r.leader_leo.saturating_sub(SLOT_CELLS) + i;
                    if offset >= r.leader_leo || offset >= r.leo {
                        "offset offset--empty"
                    } else if offset < r.hw {
                        "offset offset--committed"
                    } else {
                        "offset offset--pending"
                    }
                })
            });
            view! {
                <rect class=move || state.get() x=rect.x + 8.0 + i as f64 * cell_w
                    y=rect.y + rect.h - 16.0 width=cell_w - 2.0 height=9 rx=2 />
            }
        })
        .collect_view();
    view! {
        <g class=move || class.get()>
            <rect class="replica__box" x=rect.x y=rect.y width=rect.w height=rect.h rx=6 />
            <Show when=move || hosted.get()>
                <text class="replica__title" x=rect.x + 8.0 y=rect.y + 15.0>{move || title.get()}</text>
                <text class="replica__numbers" x=rect.x + 8.0 y=rect.y + 29.0>{move || numbers.get()}</text>
                <text class="replica__numbers" x=rect.x + 8.0 y=rect.y + 43.0>{move || second.get()}</text>
            </Show>
            <Show when=move || out_of_isr.get()>
                <g class="replica__isr-tag">
                    <path class="replica__isr-icon" d=format!("M{:.1} {:.1} l8 8 m0 -8 l-8 8", icon_x, icon_y) />
                    <text class="replica__isr-text" x=tag_x y=tag_y>"out of ISR"</text>
                </g>
            </Show>
            <g class=move || if hosted.get() { "" } else { "replica__cells--hidden" }>{cells}</g>
        </g>
    }
}

/// Where a batch token is, or `None` when it has no place in the drawing.
fn batch_point(l: &Layout, t: &Topology, mark: &BatchMark) -> Option<Point> {
    let p = mark.partition as usize;
    // A batch travels up to the route's last corner, beside its leader's replica, so it
    // never covers the replica's offsets or numbers.
    let route_to = |broker: u32| {
        t.broker_index(broker)
            .and_then(|bi| l.write_route(p, bi))
            .map(|mut r| {
                if r.len() > 2 {
                    r.pop();
                }
                r
            })
    };
    match mark.stage {
        Stage::InAccumulator { .. } => l.slot_token(p),
        Stage::ToLeader { broker, progress } => route_to(broker).map(|r| along_path(&r, progress)),
        Stage::OnLeader { broker } => route_to(broker).map(|r| along_path(&r, 1.0)),
        Stage::Response {
            broker, progress, ..
        } => route_to(broker).map(|r| along_path(&r, 1.0 - progress)),
    }
}

fn fetch_point(l: &Layout, t: &Topology, f: &FetchMark) -> Option<Point> {
    let li = t.broker_index(f.leader)?;
    let fi = t.broker_index(f.follower)?;
    l.replication_route(f.partition as usize, li, fi)
        .map(|r| along_path(&r, f.progress))
}

/// Batches, responses and follower fetches in motion.
#[component]
fn Tokens(
    layout: Memo<Layout>,
    topology: Memo<Topology>,
    frame: RwSignal<WriteFrame>,
) -> impl IntoView {
    let batch_ids = Memo::new(move |_| {
        frame.with(|f| {
            f.scene
                .batches
                .iter()
                .map(|b| (b.partition, b.batch))
                .collect::<Vec<_>>()
        })
    });
    let fetch_ids = Memo::new(move |_| {
        frame.with(|f| {
            f.scene
                .fetches
                .iter()
                .map(|x| (x.partition, x.follower, x.at.0))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="tokens">
            <For
                each=move || fetch_ids.get()
                key=|id| *id
                children=move |id| {
                    let point = Memo::new(move |_| {
                        let l = layout.get();
                        let t = topology.get();
                        frame.with(|f| {
                            f.scene
                                .fetches
                                .iter()
                                .find(|x| (x.partition, x.follower, x.at.0) == id)
                                .and_then(|x| fetch_point(&l, &t, x))
                        })
                    });
                    view! {
                        <circle class="fetch" r=5
                            cx=move || point.get().map_or(-100.0, |p| p.0)
                            cy=move || point.get().map_or(-100.0, |p| p.1) />
                    }
                }
            />
            <For
                each=move || batch_ids.get()
                key=|id| *id
                children=move |id| {
                    let mark = Memo::new(move |_| {
                        frame.with(|f| f.scene.batches.iter().find(|b| (b.partition, b.batch) == id).cloned())
                    });
                    let point = Memo::new(move |_| {
                        let l = layout.get();
                        let t = topology.get();
                        mark.with(|m| m.as_ref().and_then(|m| batch_point(&l, &t, m)))
                    });
                    let kind = Memo::new(move |_| {
                        mark.with(|m| match m.as_ref().map(|m| &m.stage) {
                            Some(Stage::Response { error: None, .. }) => "ack",
                            Some(Stage::Response { error: Some(_), .. }) => "nack",
                            Some(Stage::InAccumulator { retrying: true, .. }) => "retrying",
                            Some(Stage::InAccumulator { .. }) => "waiting",
                            _ => "moving",
                        })
                    });
                    let keys = Memo::new(move |_| mark.with(|m| m.as_ref().map(|m| m.keys.clone()).unwrap_or_default()));
                    // Small enough to rest in the gap beside a replica.
                    let scale = move || layout.with(|l| if l.orientation == Orientation::Tall { 0.6 } else { 0.75 });
                    let transform = move || {
                        point.get().map_or("translate(-100 -100)".to_string(), |(x, y)| format!("translate({x:.1} {y:.1}) scale({})", scale()))
                    };
                    view! {
                        <g class=move || format!("token token--{}", kind.get()) transform=transform>
                            {move || match kind.get() {
                                "ack" => view! {
                                    <circle class="token__ack" r=8 />
                                    <path class="token__mark" d="M-4 0 L-1 3 L4 -3" />
                                }.into_any(),
                                "nack" => view! {
                                    <circle class="token__nack" r=8 />
                                    <path class="token__mark" d="M-3 -3 L3 3 M3 -3 L-3 3" />
                                }.into_any(),
                                _ => {
                                    let k = keys.get();
                                    let n = k.len();
                                    let dots = k.iter().take(8).enumerate().map(|(i, key)| {
                                        let dx = -10.5 + (i % 4) as f64 * 7.0;
                                        let dy = if i < 4 { -3.5 } else { 3.5 };
                                        view! { <circle class=key_class(key, "dot") style=key_style(key) cx=dx cy=dy r=3 /> }
                                    }).collect_view();
                                    view! {
                                        <rect class="token__batch" x=-16 y=-9 width=32 height=18 rx=4 />
                                        {dots}
                                        <title>{format!("batch of {n} record{}", if n == 1 { "" } else { "s" })}</title>
                                    }.into_any()
                                }
                            }}
                        </g>
                    }
                }
            />
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::{compact, hw_stopped_lines};
    use crate::engine::sim::PartitionView;

    fn partition(isr: Vec<u32>, high_watermark: u64) -> PartitionView {
        PartitionView {
            partition: 0,
            leader: Some(0),
            leader_epoch: 0,
            replicas: vec![0, 1, 2],
            isr,
            high_watermark,
            log_end_offsets: vec![900, 148, 148],
            queued_batches: 0,
        }
    }

    #[test]
    fn a_lone_leader_below_min_isr_says_why_its_high_watermark_stopped() {
        assert_eq!(
            hw_stopped_lines(&[partition(vec![0], 148)], 2),
            vec!["P0: the ISR [0] is below min.insync.replicas=2, so the high watermark stays at 148 while the leader's log ends at 900."]
        );
        assert!(hw_stopped_lines(&[partition(vec![0, 1], 148)], 2).is_empty());
        // min.insync.replicas=1, or a minimum above the replica count (capped at 3).
        assert!(hw_stopped_lines(&[partition(vec![0], 148)], 1).is_empty());
        assert!(hw_stopped_lines(&[partition(vec![0, 1, 2], 900)], 5).is_empty());
    }

    #[test]
    fn offsets_print_exactly_up_to_five_digits() {
        assert_eq!(compact(0), "0");
        assert_eq!(compact(4170), "4170");
        assert_eq!(compact(99_999), "99999");
        assert_eq!(compact(123_456), "123k");
        assert_eq!(compact(12_345_678), "12.3M");
    }
}
