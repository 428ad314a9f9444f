//! "Partition Assignment": send records with or without a key and see where the
//! producer's partitioner puts them, and why, with the numbers Kafka computes.

use super::clients::{ClientComparison, MixedProducers};
use super::flow::{key_hue, short_label, KeyTag};
use super::hero::{key_class, key_style};
use super::settings::use_settings;
use crate::engine::config::PartitionerClass;
use crate::engine::event::KafkaError;
use crate::engine::partitioner::{key_partition, KeyHashSteps, PartitionChoice};
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::{SimConfig, Simulation};
use leptos::prelude::*;

/// The fewest and most partitions the demo draws.
pub const MIN_PARTITIONS: u32 = 1;
pub const MAX_PARTITIONS: u32 = 64;
/// Above this many partitions the lanes are drawn smaller.
const DENSE_ABOVE: u32 = 12;
/// Records shown per lane (the count covers all of them).
const CHIPS_PER_LANE: usize = 40;
/// The longest key accepted, in bytes.
const MAX_KEY_BYTES: usize = 256;
const SEED: u64 = 480;
/// Simulated time between two clicks on Send, and between the records of a burst.
const CLICK_GAP: SimDuration = SimDuration(1_000);
const BURST_GAP: SimDuration = SimDuration(10);

/// One record the reader sent.
#[derive(Clone, Debug, PartialEq)]
pub struct SentRecord {
    pub seq: u64,
    pub key: KeyTag,
    pub partition: u32,
    /// The topic's partition count when it was sent.
    pub partitions: u32,
}

/// What the explanation panel says about the latest send.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Keyed {
        key: String,
        bytes: Vec<u8>,
        steps: KeyHashSteps,
        landed: u32,
        choice: PartitionChoice,
    },
    Keyless {
        partition: u32,
        choice: PartitionChoice,
        run: usize,
        switched_from: Option<u32>,
    },
    Burst {
        runs: Vec<(u32, usize)>,
        /// Keyless records in a row on the current sticky partition, across sends.
        current_run: usize,
    },
    Error(String),
}

/// The demo's own producer: a simulation with the page's settings.
struct DemoWorld {
    sim: Simulation,
    config: SimConfig,
    clock: SimTime,
}

impl DemoWorld {
    fn send(
        &mut self,
        key: Option<&[u8]>,
        gap: SimDuration,
    ) -> Result<PartitionChoice, KafkaError> {
        self.clock += gap;
        self.sim.advance_to(self.clock);
        let value_len = self.config.workload.value_size;
        self.sim.send(key, value_len)
    }
}

/// The partition sequence of the keyless records, as runs of (partition, count).
fn keyless_runs<'a>(records: impl Iterator<Item = &'a SentRecord>) -> Vec<(u32, usize)> {
    let mut runs: Vec<(u32, usize)> = Vec::new();
    for r in records.filter(|r| r.key.label.is_none()) {
        match runs.last_mut() {
            Some((p, n)) if *p == r.partition => *n += 1,
            _ => runs.push((r.partition, 1)),
        }
    }
    runs
}

fn hex_bytes(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 16 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

#[component]
pub fn PartitionAssignment() -> impl IntoView {
    let settings = use_settings();
    let config = settings.config();
    let partitions = Memo::new(move |_| config.with(|c| c.topic.partitions));

    let key_text = RwSignal::new("kafka".to_string());
    let no_key = RwSignal::new(false);
    let records: RwSignal<Vec<SentRecord>> = RwSignal::new(Vec::new());
    let outcome: RwSignal<Option<Outcome>> = RwSignal::new(None);
    let partitions_error: RwSignal<Option<String>> = RwSignal::new(None);
    let partitions_draft = RwSignal::new(None::<String>);
    let next_seq = StoredValue::new(0u64);
    let world: StoredValue<Option<DemoWorld>, LocalStorage> = StoredValue::new_local(None);

    // Runs `f` on a world built with the current settings (rebuilt when they changed).
    let with_world = move |f: &mut dyn FnMut(&mut DemoWorld)| -> Result<(), String> {
        let current = config.get_untracked();
        world.update_value(|w| {
            if w.as_ref().is_none_or(|w| w.config != current) {
                *w = Simulation::new(current.clone(), SEED)
                    .ok()
                    .map(|sim| DemoWorld {
                        sim,
                        config: current.clone(),
                        clock: SimTime::ZERO,
                    });
            }
        });
        let mut result = Err("The engine refused these settings.".to_string());
        world.update_value(|w| {
            if let Some(w) = w {
                f(w);
                result = Ok(());
            }
        });
        if result.is_err() {
            if let Err(e) = Simulation::new(current, SEED) {
                result = Err(e.to_string());
            }
        }
        result
    };

    let record = move |key: Option<&[u8]>, partition: u32| {
        let seq = next_seq.get_value();
        next_seq.set_value(seq + 1);
        let sent = SentRecord {
            seq,
            key: KeyTag::from_key(key),
            partition,
            partitions: partitions.get_untracked(),
        };
        records.update(|r| r.push(sent));
    };

    let send_one = move || {
        let key: Option<Vec<u8>> = if no_key.get_untracked() {
            None
        } else {
            Some(key_text.get_untracked().into_bytes())
        };
        if key.as_ref().is_some_and(|k| k.len() > MAX_KEY_BYTES) {
            outcome.set(Some(Outcome::Error(format!(
                "Keys here are limited to {MAX_KEY_BYTES} bytes."
            ))));
            return;
        }
        let mut sent = None;
        let ran = with_world(&mut |w| sent = Some(w.send(key.as_deref(), CLICK_GAP)));
        let choice = match sent {
            Some(Ok(choice)) => choice,
            Some(Err(e)) => {
                outcome.set(Some(Outcome::Error(format!("send() failed: {}", e.name()))));
                return;
            }
            None => {
                outcome.set(Some(Outcome::Error(ran.err().unwrap_or_default())));
                return;
            }
        };
        let landed = choice.partition();
        let previous_keyless = records.with_untracked(|r| {
            r.iter()
                .rev()
                .find(|r| r.key.label.is_none() && r.partitions == partitions.get_untracked())
                .map(|r| r.partition)
        });
        record(key.as_deref(), landed);
        let new_outcome = match key {
            Some(bytes) => Outcome::Keyed {
                key: String::from_utf8_lossy(&bytes).into_owned(),
                steps: key_partition(&bytes, partitions.get_untracked()),
                bytes,
                landed,
                choice,
            },
            None => {
                let run = records.with_untracked(|r| {
                    keyless_runs(
                        r.iter()
                            .filter(|r| r.partitions == partitions.get_untracked()),
                    )
                    .last()
                    .map_or(1, |(_, n)| *n)
                });
                Outcome::Keyless {
                    partition: landed,
                    choice,
                    run,
                    switched_from: previous_keyless.filter(|p| *p != landed),
                }
            }
        };
        outcome.set(Some(new_outcome));
    };

    let send_burst = move || {
        let mut landed = Vec::with_capacity(100);
        let mut refused = None;
        let ran = with_world(&mut |w| {
            for i in 0..100 {
                let gap = if i == 0 { CLICK_GAP } else { BURST_GAP };
                match w.send(None, gap) {
                    Ok(choice) => landed.push(choice.partition()),
                    Err(e) => refused = Some(e),
                }
            }
        });
        if let Err(e) = ran {
            outcome.set(Some(Outcome::Error(e)));
            return;
        }
        if let Some(e) = refused {
            outcome.set(Some(Outcome::Error(format!("send() failed: {}", e.name()))));
            return;
        }
        let n = partitions.get_untracked();
        let seq0 = next_seq.get_value();
        next_seq.set_value(seq0 + landed.len() as u64);
        records.update(|r| {
            r.extend(landed.iter().enumerate().map(|(i, &p)| SentRecord {
                seq: seq0 + i as u64,
                key: KeyTag::from_key(None),
                partition: p,
                partitions: n,
            }))
        });
        let burst: Vec<SentRecord> = landed
            .iter()
            .map(|&p| SentRecord {
                seq: 0,
                key: KeyTag::from_key(None),
                partition: p,
                partitions: n,
            })
            .collect();
        let current_run = records.with_untracked(|r| {
            keyless_runs(r.iter().filter(|r| r.partitions == n))
                .last()
                .map_or(0, |(_, k)| *k)
        });
        outcome.set(Some(Outcome::Burst {
            runs: keyless_runs(burst.iter()),
            current_run,
        }));
    };

    let clear = move || {
        records.set(Vec::new());
        outcome.set(None);
        world.set_value(None);
    };

    let apply_partitions = move |value: String| match settings.set("partitions", &value) {
        Ok(()) => {
            partitions_error.set(None);
            partitions_draft.set(None);
            clear();
        }
        Err(e) => {
            partitions_error.set(Some(e.message));
            partitions_draft.set(Some(value));
        }
    };

    // The records of the current topic shape, per lane.
    let lanes = Memo::new(move |_| {
        let n = partitions.get();
        let mut lanes: Vec<Vec<SentRecord>> = vec![Vec::new(); n as usize];
        records.with(|all| {
            for r in all.iter().filter(|r| r.partitions == n) {
                if let Some(lane) = lanes.get_mut(r.partition as usize) {
                    lane.push(r.clone());
                }
            }
        });
        lanes
    });
    let lanes_class = move || {
        if partitions.get() > DENSE_ABOVE {
            "pa__lanes pa__lanes--dense"
        } else {
            "pa__lanes"
        }
    };
    let last_partition = Memo::new(move |_| {
        records.with(|r| {
            r.last()
                .filter(|r| r.partitions == partitions.get())
                .map(|r| r.partition)
        })
    });

    view! {
        <section id="partition-assignment" class="section" aria-labelledby="partition-assignment-title">
            <div class="section__head">
                <h2 id="partition-assignment-title">"Partition Assignment"</h2>
                <p class="section__lede">
                    "The producer picks a partition for every record before it is batched. "
                    "With a key, Kafka hashes the key's bytes; without one, the built-in "
                    "partitioner sticks to one partition for a while. Try the same key twice."
                </p>
            </div>
            <div class="pa">
                <form
                    class="pa__controls panel"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        send_one();
                    }
                >
                    <div class="field">
                        <label class="field__label" for="pa-key">"Message key"</label>
                        <input
                            id="pa-key"
                            class="input input--mono"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            maxlength=MAX_KEY_BYTES
                            prop:value=move || key_text.get()
                            prop:disabled=move || no_key.get()
                            on:input=move |ev| key_text.set(event_target_value(&ev))
                            aria-describedby="pa-key-help"
                        />
                        <p id="pa-key-help" class="field__help">
                            "An empty field is an empty key, which Kafka hashes like any other. "
                            "Turn on “No key” for a null key."
                        </p>
                    </div>
                    <label class="switch">
                        <input
                            type="checkbox"
                            role="switch"
                            prop:checked=move || no_key.get()
                            on:change=move |ev| no_key.set(event_target_checked(&ev))
                        />
                        <span class="switch__track" aria-hidden="true"></span>
                        <span>"No key"</span>
                    </label>
                    <div class="field">
                        <label class="field__label" for="pa-partitions">
                            "Partitions" <span class="field__kafka">" (1–64)"</span>
                        </label>
                        <input
                            id="pa-partitions"
                            class="input input--narrow"
                            type="number"
                            inputmode="numeric"
                            min=MIN_PARTITIONS
                            max=MAX_PARTITIONS
                            prop:value=move || {
                                partitions_draft.get().unwrap_or_else(|| partitions.get().to_string())
                            }
                            on:change=move |ev| apply_partitions(event_target_value(&ev))
                            aria-invalid=move || if partitions_error.with(Option::is_some) { "true" } else { "false" }
                            aria-describedby="pa-partitions-error"
                        />
                        <p id="pa-partitions-error" class="field__error" role="alert">
                            {move || partitions_error.get()}
                        </p>
                    </div>
                    <div class="pa__buttons">
                        <button type="submit" class="btn btn--primary">"Send"</button>
                        <button type="button" class="btn" on:click=move |_| send_burst()>
                            "Send 100 without key"
                        </button>
                        <button type="button" class="btn btn--quiet" on:click=move |_| clear()>
                            "Clear"
                        </button>
                    </div>
                </form>
                <div class="pa__result panel" aria-live="polite" aria-atomic="true">
                    <Explanation outcome=outcome config=config />
                </div>
            </div>
            <ClientComparison key_text=key_text no_key=no_key partitions=partitions />
            <MixedProducers partitions=partitions />
            <div
                class=lanes_class
                role="list"
                aria-label="Partitions"
            >
                {move || {
                    lanes
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(p, lane)| {
                            let p = p as u32;
                            let is_target = last_partition.get() == Some(p);
                            let count = lane.len();
                            let keyed = lane.iter().filter(|r| r.key.label.is_some()).count();
                            let label = format!(
                                "Partition {p}: {count} record{}, {keyed} with a key",
                                if count == 1 { "" } else { "s" }
                            );
                            let chips = lane
                                .iter()
                                .rev()
                                .take(CHIPS_PER_LANE)
                                .map(|r| {
                                    let title = match &r.key.label {
                                        Some(k) => format!("key “{k}”"),
                                        None => "null key".to_string(),
                                    };
                                    view! {
                                        <span class=key_class(&r.key, "chip") style=key_style(&r.key) title=title></span>
                                    }
                                })
                                .collect_view();
                            view! {
                                <div
                                    class=if is_target { "lane-card lane-card--target" } else { "lane-card" }
                                    role="listitem"
                                    aria-label=label
                                    data-partition=p
                                >
                                    <div class="lane-card__head">
                                        <span class="lane-card__name">{format!("P{p}")}</span>
                                        <span class="lane-card__count">{count}</span>
                                    </div>
                                    <div class="lane-card__chips" aria-hidden="true">{chips}</div>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <super::your_data::YourKeys/>
        </section>
    }
}

/// The built-in partitioner's switching rule, in words.
fn sticky_rule(batch_size: u32) -> String {
    format!(
        "The built-in partitioner (KIP-794, Kafka 3.3+) stays on a partition until at least batch.size = {batch_size} bytes went to it and its last batch is full, and at most until {} bytes (BuiltInPartitioner.updatePartitionInfo). Then it picks another partition at random, favouring brokers with shorter queues.",
        u64::from(batch_size) * 2
    )
}

/// Why the latest record went where it went.
#[component]
fn Explanation(outcome: RwSignal<Option<Outcome>>, config: Memo<SimConfig>) -> impl IntoView {
    move || match outcome.get() {
        None => view! {
            <p class="pa__hint">"Send a record to see which partition it goes to, and why."</p>
        }
        .into_any(),
        Some(Outcome::Error(message)) => {
            view! { <p class="field__error" role="alert">{message}</p> }.into_any()
        }
        Some(Outcome::Keyed {
            key,
            bytes,
            steps,
            landed,
            choice,
        }) => {
            let hue = key_hue(&bytes);
            let shown_key = short_label(&key, 40);
            let client = config.with(|c| c.producer.client);
            let note = match choice {
                PartitionChoice::Keyed(_) => None,
                PartitionChoice::Client { keyed: true, .. } => Some(format!(
                    "This producer is {}: its partitioner put the key on partition {landed}. The steps above are Java's; each client's are below.",
                    client.label()
                )),
                _ => Some(format!(
                    "This producer ignores keys (partitioner settings), so the record went to partition {landed} instead."
                )),
            };
            view! {
                <p class="pa__verdict" data-testid="pa-verdict">
                    "Key "
                    <span class="key-pill" style=format!("--key-hue:{hue}")>{shown_key}</span>
                    " → partition "
                    <strong data-testid="pa-partition">{landed}</strong>
                </p>
                <ol class="steps" aria-label="How the partition was computed">
                    <li class="steps__item">
                        <span class="steps__name">"key bytes (UTF-8)"</span>
                        <code class="steps__value">{format!("{} byte{}: {}", bytes.len(), if bytes.len() == 1 { "" } else { "s" }, hex_bytes(&bytes))}</code>
                    </li>
                    <li class="steps__item">
                        <span class="steps__name">"murmur2(key)"</span>
                        <code class="steps__value" data-testid="pa-murmur2">{steps.murmur2}</code>
                    </li>
                    <li class="steps__item">
                        <span class="steps__name">"toPositive: & 0x7fffffff"</span>
                        <code class="steps__value" data-testid="pa-positive">{steps.positive}</code>
                    </li>
                    <li class="steps__item">
                        <span class="steps__name">{format!("% {} partitions", steps.num_partitions)}</span>
                        <code class="steps__value" data-testid="pa-modulo">
                            {format!("{} % {} = {}", steps.positive, steps.num_partitions, steps.partition)}
                        </code>
                    </li>
                </ol>
                <p class="pa__note">
                    "Same key, same partition, every time, for as long as the partition count stays "
                    "the same. Java's producer computes exactly these numbers "
                    "(BuiltInPartitioner.partitionForKey); librdkafka-based clients do too with "
                    "partitioner=murmur2_random."
                </p>
                {note.map(|n| view! { <p class="pa__note pa__note--warn">{n}</p> })}
            }
            .into_any()
        }
        Some(Outcome::Keyless {
            partition,
            choice,
            run,
            switched_from,
        }) => {
            let batch_size = config.with(|c| c.producer.batch_size);
            let class = config.with(|c| c.producer.partitioner_class);
            let how = match (choice, class) {
                (PartitionChoice::RoundRobin(_), _) | (_, PartitionerClass::RoundRobin) => {
                    "RoundRobinPartitioner gives each record the next partition in turn.".to_string()
                }
                (_, PartitionerClass::LegacySticky) => {
                    "The KIP-480 sticky partitioner (Kafka 2.4–3.2) stays on one partition until a new batch starts, then picks another.".to_string()
                }
                (PartitionChoice::Client { .. }, _) => {
                    let client = config.with(|c| c.producer.client);
                    let rule = config.with(|c| {
                        client
                            .partitioner(Some(c.producer.partitioner.as_str()).filter(|n| !n.is_empty()))
                            .ok()
                            .and_then(|d| d.keyless(None))
                    });
                    format!(
                        "{}: {}.",
                        client.label(),
                        rule.map_or("hashed as zero bytes", |k| k.describe())
                    )
                }
                _ => sticky_rule(batch_size),
            };
            view! {
                <p class="pa__verdict" data-testid="pa-verdict">
                    "No key → sticky partition "
                    <strong data-testid="pa-partition">{partition}</strong>
                </p>
                <p class="pa__sticky">
                    {format!(
                        "{run} keyless record{} in a row on partition {partition}.",
                        if run == 1 { "" } else { "s" }
                    )}
                    {switched_from.map(|from| format!(" It just switched from partition {from}."))}
                </p>
                <p class="pa__note">{how}</p>
            }
            .into_any()
        }
        Some(Outcome::Burst { runs, current_run }) => {
            let switches = runs.len().saturating_sub(1);
            let summary: Vec<String> = runs.iter().map(|(p, n)| format!("P{p} ×{n}")).collect();
            let batch_size = config.with(|c| c.producer.batch_size);
            view! {
                <p class="pa__verdict" data-testid="pa-verdict">
                    "100 records without a key: "
                    <strong>{summary.join(" → ")}</strong>
                </p>
                <p class="pa__sticky">
                    {format!(
                        "The sticky partition switched {switches} time{} in this burst; the current run is {current_run} keyless record{} long.",
                        if switches == 1 { "" } else { "s" },
                        if current_run == 1 { "" } else { "s" },
                    )}
                </p>
                <p class="pa__note">{sticky_rule(batch_size)}</p>
                <p class="pa__note">
                    "In a quick burst nothing is sent yet, so the partition's last batch is never full when the first batch.size bytes are reached: the switch comes at twice batch.size. Send another 100 to see it."
                </p>
            }
            .into_any()
        }
    }
}
