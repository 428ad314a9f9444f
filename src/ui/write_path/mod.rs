//! "Write Path": the journey of a batch, drawn from the engine's events: the
//! producer's accumulator, the request to the partition leader, follower fetches, the
//! high watermark, and the response coming back when `acks` allows.

pub mod broker_menu;
pub mod layout;
pub mod model;
pub mod scenario;

use super::flow::describe_fault;
use super::flow::{BatchMark, FetchMark, Stage};
use super::hero::{key_class, key_style};
use super::hooks::{use_animation, use_media_query};
use super::settings::use_settings;
use crate::engine::config::Acks;
use crate::engine::fates::{at_risk, PartitionRisk, Uncommitted};
use crate::engine::fault::ScheduledFault;
use crate::engine::scenario::find as find_scenario;
use crate::engine::sim::{BrokerView, ClusterView};
use crate::engine::SimConfig;
use broker_menu::{BrokerAction, BrokerMenu};
use layout::{along_path, path_d, Layout, Orientation, Point};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use model::{Speed, WritePathModel, SKIP};
pub use model::{WriteFrame, PARTITIONS};
use scenario::{ScenarioCallout, ScenarioPicker};

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
        let fresh = WritePathModel::new(&config.get(), scenario.get().and_then(find_scenario));
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
                <ScenarioPicker settings=settings />
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
                <ScenarioCallout settings=settings />
                <p class="wp__acks" data-testid="wp-acks-explanation">
                    {move || config.with(|c| acks_explanation(c.producer.acks, c.topic.min_insync_replicas))}
                </p>
                <Stats
                    frame=frame
                    rules=Signal::derive(move || config.with(RiskRules::of))
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
fn Stats(frame: RwSignal<WriteFrame>, rules: Signal<RiskRules>) -> impl IntoView {
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
    let risks = Memo::new(move |_| {
        let rules = rules.get();
        frame.with(|f| {
            f.view
                .as_ref()
                .map(|v| at_risk(v, rules.min_isr))
                .unwrap_or_default()
        })
    });
    let risk_lines = Memo::new(move |_| {
        let rules = rules.get();
        risks.with(|r| {
            r.iter()
                .flat_map(|r| risk_lines(r, rules))
                .collect::<Vec<_>>()
        })
    });
    let on_one_replica =
        Memo::new(move |_| risks.with(|r| r.iter().map(|r| r.on_one_replica).sum::<u64>()));
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
                <dt>"Acked, not yet committed"</dt>
                <dd data-testid="wp-uncommitted">{move || fates.get().acked_uncommitted}</dd>
            </div>
            <div class="stats__item">
                <dt>"Committed on one replica only"</dt>
                <dd data-testid="wp-one-replica">{move || on_one_replica.get()}</dd>
            </div>
            <div class="stats__item">
                <dt>"Duplicated"</dt>
                <dd data-testid="wp-duplicated">{move || fates.get().duplicated}</dd>
            </div>
            <div class="stats__item">
                <dt>"Reordered"</dt>
                <dd data-testid="wp-reordered">{move || fates.get().reordered}</dd>
            </div>
            <Show when=move || last_error.with(Option::is_some)>
                <div class="stats__item stats__item--wide stats__item--error">
                    <dt>"Latest error"</dt>
                    <dd>{move || last_error.get()}</dd>
                </div>
            </Show>
        </dl>
        // A card of its own under the counters: a paragraph would stretch their grid.
        // Always there and of a fixed height (its lines scroll), so the page below does
        // not jump as records come and go.
        <div class="wp__at-risk" role="note" aria-labelledby="wp-at-risk-title">
            <h3 class="wp__at-risk-title" id="wp-at-risk-title">"At risk now"</h3>
            <div class="wp__at-risk-lines" data-testid="wp-at-risk" tabindex="0">
                {move || {
                    let mut lines = risk_lines.get();
                    if lines.is_empty() {
                        lines.push(NOTHING_AT_RISK.to_string());
                    }
                    lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()
                }}
            </div>
        </div>
    }
}

const NOTHING_AT_RISK: &str =
    "Nothing: every record in every log is committed and on at least two replicas.";

/// The settings the at-risk lines depend on.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RiskRules {
    acks: Acks,
    min_isr: u32,
    unclean_election: bool,
}

impl RiskRules {
    fn of(c: &SimConfig) -> Self {
        RiskRules {
            acks: c.producer.acks,
            min_isr: c.topic.min_insync_replicas,
            unclean_election: c.topic.unclean_leader_election_enable,
        }
    }
}

/// "broker 1" / "brokers 1, 2".
fn brokers(word: &str, ids: &[u32]) -> String {
    let list: Vec<String> = ids.iter().map(u32::to_string).collect();
    let plural = if ids.len() == 1 { "" } else { "s" };
    format!("{word}{plural} {}", list.join(", "))
}

/// "broker 1 is out of the ISR" / "brokers 1, 2 are out of the ISR".
fn out_of_isr(ids: &[u32]) -> String {
    let verb = if ids.len() == 1 { "is" } else { "are" };
    format!("{} {verb} out of the ISR", brokers("broker", ids))
}

/// One partition's at-risk records in words, from the engine's reading (`at_risk`).
fn risk_lines(r: &PartitionRisk, rules: RiskRules) -> Vec<String> {
    let (p, h) = (r.partition, r.holder);
    let mut lines = Vec::new();
    let n = r.above_high_watermark;
    if n > 0 {
        let whose = match rules.acks {
            Acks::All => "not yet acknowledged: acks=all waits for the high watermark",
            Acks::Zero | Acks::One => "already acknowledged to the producer",
        };
        let why = match &r.uncommitted {
            Uncommitted::WaitingForFollowers { followers } if followers.is_empty() => {
                "the followers have them; the leader moves the high watermark when they next fetch".to_string()
            }
            Uncommitted::WaitingForFollowers { followers } => {
                format!("they wait for {} to fetch them", brokers("follower", followers))
            }
            Uncommitted::HighWatermarkStopped { isr, min_isr } => {
                let isr: Vec<String> = isr.iter().map(u32::to_string).collect();
                format!(
                    "{}, and with the ISR [{}] below min.insync.replicas={min_isr} the high watermark cannot move (Kafka 3.7+)",
                    out_of_isr(&r.out_of_isr),
                    isr.join(", ")
                )
            }
            Uncommitted::Offline => format!(
                "P{p} has no leader (offline) and broker {h}, which has them, is down; they wait for it to return"
            ),
        };
        lines.push(format!(
            "P{p}: {n} records above the high watermark on broker {h} ({whose}): {why}."
        ));
    }
    let m = r.on_one_replica;
    if m > 0 {
        let then = if rules.unclean_election {
            "an unclean election of another replica loses them".to_string()
        } else {
            format!("P{p} stays offline until it returns")
        };
        lines.push(format!(
            "P{p}: {m} committed records exist only on broker {h}: {}, and min.insync.replicas={} lets the high watermark move with the leader alone. If broker {h} fails, {then}.",
            out_of_isr(&r.out_of_isr),
            rules.min_isr
        ));
    }
    lines
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
    use super::{compact, risk_lines, RiskRules};
    use crate::engine::config::Acks;
    use crate::engine::fates::{PartitionRisk, Uncommitted};

    const RULES: RiskRules = RiskRules {
        acks: Acks::One,
        min_isr: 2,
        unclean_election: false,
    };

    fn risk(above: u64, uncommitted: Uncommitted, on_one_replica: u64) -> PartitionRisk {
        PartitionRisk {
            partition: 0,
            holder: 0,
            above_high_watermark: above,
            uncommitted,
            on_one_replica,
            out_of_isr: vec![1, 2],
        }
    }

    #[test]
    fn at_risk_lines_say_how_many_records_where_and_why() {
        let stopped = Uncommitted::HighWatermarkStopped {
            isr: vec![0],
            min_isr: 2,
        };
        assert_eq!(
            risk_lines(&risk(412, stopped, 0), RULES),
            vec!["P0: 412 records above the high watermark on broker 0 (already acknowledged to the producer): brokers 1, 2 are out of the ISR, and with the ISR [0] below min.insync.replicas=2 the high watermark cannot move (Kafka 3.7+)."]
        );
        let waiting = Uncommitted::WaitingForFollowers { followers: vec![2] };
        let all = RiskRules {
            acks: Acks::All,
            ..RULES
        };
        assert_eq!(
            risk_lines(&risk(5, waiting, 0), all),
            vec!["P0: 5 records above the high watermark on broker 0 (not yet acknowledged: acks=all waits for the high watermark): they wait for follower 2 to fetch them."]
        );
        let lone = RiskRules {
            min_isr: 1,
            unclean_election: true,
            ..RULES
        };
        let none = Uncommitted::WaitingForFollowers { followers: vec![] };
        assert_eq!(
            risk_lines(&risk(0, none, 540), lone),
            vec!["P0: 540 committed records exist only on broker 0: brokers 1, 2 are out of the ISR, and min.insync.replicas=1 lets the high watermark move with the leader alone. If broker 0 fails, an unclean election of another replica loses them."]
        );
        assert!(risk_lines(&risk(3, Uncommitted::Offline, 0), RULES)[0]
            .contains("has no leader (offline)"));
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
