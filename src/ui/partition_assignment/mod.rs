//! "Partition Assignment": send records with or without a key and see where the
//! producer's partitioner puts them, and why, with the numbers Kafka computes. The
//! state and its rules are `demo::PartitionDemo`; this file is the view.

pub mod demo;

use super::clients::{ClientComparison, MixedProducers};
use super::flow::{key_hue, key_text, EMPTY_KEY};
use super::hero::{key_class, key_style};
use super::hooks::next_task;
use super::section::SectionHeader;
use super::settings::use_settings;
use crate::engine::config::PartitionerClass;
use crate::engine::partitioner::PartitionChoice;
use crate::engine::SimConfig;
use demo::{KeyMove, Outcome, PartitionDemo, MAX_KEY_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The fewest and most partitions the demo draws.
pub const MIN_PARTITIONS: u32 = 1;
pub const MAX_PARTITIONS: u32 = 64;
/// Above this many partitions the lanes are drawn smaller.
const DENSE_ABOVE: u32 = 12;
/// Records shown per lane (the count covers all of them).
const CHIPS_PER_LANE: usize = 40;

/// The `data-action` of a link elsewhere on the page (How Producers Work's card) that
/// sends a burst of keyless records here.
pub const SEND_BURST_ACTION: &str = "pa-send-burst";
/// Moved keys listed by name after the partition count changed (the rest are counted).
const MOVES_LISTED: usize = 12;

/// Calls `target.method({options})`, for DOM methods whose options object this build's
/// web-sys bindings leave out.
fn call_with_options(
    target: &wasm_bindgen::JsValue,
    method: &str,
    options: &[(&str, wasm_bindgen::JsValue)],
) {
    let object = js_sys::Object::new();
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    if let Some(f) = js_sys::Reflect::get(target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = f.call1(target, &object);
    }
}

/// Scrolls `el` just enough to show it whole (nothing when it already is). The page's CSS
/// makes the scroll smooth, and instant for readers who prefer reduced motion.
fn reveal(el: &web_sys::Element) {
    call_with_options(el, "scrollIntoView", &[("block", "nearest".into())]);
}

fn hex_bytes(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "0 bytes".to_string();
    }
    let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 16 { " …" } else { "" };
    let n = bytes.len();
    format!(
        "{n} byte{}: {}{more}",
        if n == 1 { "" } else { "s" },
        shown.join(" ")
    )
}

#[component]
pub fn PartitionAssignment() -> impl IntoView {
    let settings = use_settings();
    let config = settings.config();
    let partitions = Memo::new(move |_| config.with(|c| c.topic.partitions));

    let key_text = RwSignal::new("kafka".to_string());
    let no_key = RwSignal::new(false);
    let partitions_error: RwSignal<Option<String>> = RwSignal::new(None);
    let partitions_draft = RwSignal::new(None::<String>);
    let demo = RwSignal::new_local(PartitionDemo::default());

    let result_panel: NodeRef<leptos::html::Div> = NodeRef::new();
    // After the view has updated: on a narrow screen the result sits below the controls.
    let show_result = move || {
        next_task(move || {
            if let Some(el) = result_panel.get_untracked() {
                reveal(&el);
            }
        })
    };

    // A count the reader typed that Kafka (or the demo) refuses is shown, not used: the
    // buttons wait until the count is one the topic can have.
    let check_partitions = move |value: String| {
        partitions_error.set(
            settings
                .check("partitions", &value)
                .err()
                .map(|e| e.message),
        );
        partitions_draft.set(Some(value));
    };
    let apply_partitions = move |value: String| {
        let previous = partitions.get_untracked();
        match settings.set("partitions", &value) {
            Ok(()) => {
                partitions_error.set(None);
                partitions_draft.set(None);
                config.with_untracked(|c| demo.update(|d| d.repartition(c, previous)));
            }
            Err(e) => {
                partitions_error.set(Some(e.message));
                partitions_draft.set(Some(value));
            }
        }
    };
    // Whether the typed count is usable, applying it first if it is new.
    let partitions_ready = move || {
        if let Some(draft) = partitions_draft.get_untracked() {
            apply_partitions(draft);
        }
        partitions_error.with_untracked(Option::is_none)
    };
    let refused = move || partitions_error.with(Option::is_some);

    let send_one = move || {
        if !partitions_ready() {
            return;
        }
        let key = (!no_key.get_untracked()).then(|| key_text.get_untracked());
        config.with_untracked(|c| demo.update(|d| d.send(c, key.as_deref().map(str::as_bytes))));
        show_result();
    };
    let send_burst = move || {
        if !partitions_ready() {
            return;
        }
        config.with_untracked(|c| demo.update(|d| d.send_burst(c)));
        show_result();
    };
    let clear = move || demo.update(PartitionDemo::clear);

    // A "Send 100 without a key" link elsewhere on the page sends them here. The link is
    // kept as rendered at build time (`takeover`), so it is found by its data-action.
    let burst_button: NodeRef<leptos::html::Button> = NodeRef::new();
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::click, move |ev| {
            let action = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest(&format!("[data-action={SEND_BURST_ACTION}]"))
                        .ok()
                })
                .flatten();
            if action.is_some() {
                ev.prevent_default();
                send_burst();
                if let Some(button) = burst_button.get_untracked() {
                    call_with_options(&button, "focus", &[("preventScroll", true.into())]);
                }
            }
        });
        on_cleanup(move || handle.remove());
    });

    let lanes = Memo::new(move |_| demo.with(|d| d.lanes(partitions.get())));
    let outcome = Memo::new(move |_| demo.with(|d| d.outcome().cloned()));
    let lanes_class = move || {
        if partitions.get() > DENSE_ABOVE {
            "pa__lanes pa__lanes--dense"
        } else {
            "pa__lanes"
        }
    };
    let last_partition = Memo::new(move |_| demo.with(|d| d.last_partition(partitions.get())));

    view! {
        <section id="partition-assignment" class="section" aria-labelledby="partition-assignment-title">
            <SectionHeader title_id="partition-assignment-title" title="Partition Assignment">
                "The producer picks a partition for every record before it is batched. "
                "With a key, Kafka hashes the key's bytes; without one, the built-in "
                "partitioner sticks to one partition for a while. Try the same key twice."
            </SectionHeader>
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
                            // The attribute too: the page rendered at build time shows it.
                            value=move || key_text.get()
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
                            value=move || partitions.get()
                            prop:value=move || {
                                partitions_draft.get().unwrap_or_else(|| partitions.get().to_string())
                            }
                            on:input=move |ev| check_partitions(event_target_value(&ev))
                            on:change=move |ev| apply_partitions(event_target_value(&ev))
                            aria-invalid=move || if partitions_error.with(Option::is_some) { "true" } else { "false" }
                            aria-describedby="pa-partitions-error"
                        />
                        <p id="pa-partitions-error" class="field__error" role="alert">
                            {move || partitions_error.get()}
                        </p>
                    </div>
                    <div class="pa__buttons">
                        <button
                            type="submit"
                            class="btn btn--primary"
                            prop:disabled=refused
                            aria-describedby="pa-partitions-error"
                        >
                            "Send"
                        </button>
                        <button
                            type="button"
                            class="btn"
                            node_ref=burst_button
                            prop:disabled=refused
                            aria-describedby="pa-partitions-error"
                            on:click=move |_| send_burst()
                        >
                            "Send 100 without key"
                        </button>
                        <button type="button" class="btn btn--quiet" on:click=move |_| clear()>
                            "Clear"
                        </button>
                    </div>
                </form>
                <div class="pa__result panel" node_ref=result_panel aria-live="polite" aria-atomic="true">
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
                        .map(|lane| {
                            let p = lane.partition;
                            let is_target = last_partition.get() == Some(p);
                            let count = lane.records.len();
                            let keyed = lane.keyed();
                            let moved_here = lane.moved_here();
                            let label = format!(
                                "Partition {p}: {count} record{}, {keyed} with a key{}",
                                if count == 1 { "" } else { "s" },
                                if moved_here > 0 {
                                    format!(", {moved_here} of them moved here from another partition")
                                } else {
                                    String::new()
                                }
                            );
                            let chips = lane
                                .records
                                .iter()
                                .rev()
                                .take(CHIPS_PER_LANE)
                                .map(|r| {
                                    let key = match &r.key.label {
                                        Some(k) if k == EMPTY_KEY => k.clone(),
                                        Some(k) => format!("key “{k}”"),
                                        None => "null key".to_string(),
                                    };
                                    let moved = r.was.filter(|&was| was != r.partition);
                                    let (class, title) = match moved {
                                        Some(was) => (
                                            format!("{} chip--moved", key_class(&r.key, "chip")),
                                            format!("{key}, was P{was}"),
                                        ),
                                        None => (key_class(&r.key, "chip"), key),
                                    };
                                    view! {
                                        <span class=class style=key_style(&r.key) title=title></span>
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
fn Explanation(outcome: Memo<Option<Outcome>>, config: Memo<SimConfig>) -> impl IntoView {
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
            let shown_key = key_text(&key, 40);
            let empty = bytes.is_empty().then_some(
                "An empty key is still a key: Kafka hashes its zero bytes with murmur2 like any other, so every empty-keyed record goes to this one partition. Only a null key (“No key”) is left to the sticky partitioner.",
            );
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
                        <code class="steps__value">{hex_bytes(&bytes)}</code>
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
                {empty.map(|n| view! { <p class="pa__note">{n}</p> })}
                {note.map(|n| view! { <p class="pa__note pa__note--warn">{n}</p> })}
            }
            .into_any()
        }
        Some(Outcome::Repartitioned {
            from_partitions,
            to_partitions,
            moves,
        }) => view! { <Moves from_partitions to_partitions moves /> }.into_any(),
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
                <p class="pa__note" data-testid="pa-burst-why">{burst_note(switches)}</p>
            }
            .into_any()
        }
    }
}

/// Why a quick burst switches late, and what to do to see it when it has not yet.
fn burst_note(switches: usize) -> &'static str {
    if switches == 0 {
        "In a quick burst nothing is sent yet, so the partition's last batch is never full when the first batch.size bytes are reached: the switch comes at twice batch.size. Send another 100 to see it."
    } else {
        "In a quick burst nothing is sent yet, so the partition's last batch is never full when the first batch.size bytes are reached: the switch came at twice batch.size."
    }
}

/// Where each key goes after the partition count changed, and where it went before.
#[component]
fn Moves(from_partitions: u32, to_partitions: u32, moves: Vec<KeyMove>) -> impl IntoView {
    let moved: Vec<&KeyMove> = moves.iter().filter(|m| m.moved()).collect();
    let listed = moved
        .iter()
        .take(MOVES_LISTED)
        .map(|m| {
            let key = m.key.label.clone().unwrap_or_default();
            view! {
                <li class="pa__move">
                    <span class="key-pill" style=super::hero::key_style(&m.key)>{key}</span>
                    {format!(" now P{}, was P{}", m.to, m.from)}
                </li>
            }
        })
        .collect_view();
    let more = moved.len().saturating_sub(MOVES_LISTED);
    let fewer = to_partitions < from_partitions;
    view! {
        <p class="pa__verdict" data-testid="pa-verdict">
            {format!("{from_partitions} → {to_partitions} partitions: ")}
            <strong data-testid="pa-moved">
                {format!("{} of {} key{} moved", moved.len(), moves.len(), if moves.len() == 1 { "" } else { "s" })}
            </strong>
        </p>
        <ul class="pa__moves" aria-label="Keys that moved">{listed}</ul>
        {(more > 0).then(|| view! { <p class="pa__note">{format!("and {more} more.")}</p> })}
        <p class="pa__note">
            "Each key you sent was sent once more: the lanes show where it goes now, a ringed chip "
            "one that moved. Records already written stay where they are (Kafka never moves them), "
            "so a moved key's records are now in two partitions and a consumer may "
            "read its new ones before its old ones."
        </p>
        {fewer.then(|| view! {
            <p class="pa__note pa__note--warn">
                "Kafka cannot take partitions away from a topic (kafka-topics --alter only adds them): "
                "fewer partitions means a new topic."
            </p>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::hex_bytes;

    #[test]
    fn key_bytes_are_counted_and_shown_in_hex_and_the_empty_key_has_none() {
        assert_eq!(hex_bytes(b""), "0 bytes");
        assert_eq!(hex_bytes(b"k"), "1 byte: 6b");
        assert_eq!(hex_bytes(b"kafka"), "5 bytes: 6b 61 66 6b 61");
        assert!(hex_bytes(&[0xab; 17]).ends_with("ab …"));
    }
}
