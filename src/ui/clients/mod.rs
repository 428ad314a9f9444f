//! The page's client views: the client picker every section honours, the side-by-side
//! placement of one key by every client, and the mixed-producers demo. Their data comes
//! from `model` (plain types, tested natively); these components only present it and make
//! no browser calls while rendering.

pub mod model;

use super::settings::{use_settings, CLIENT_KEY};
use crate::engine::clients::Client;
use leptos::prelude::*;
use model::{distinct_partitions, mixed_producers, placements};

/// The workload setting kafkajs's messages per `send()` call.
const PER_SEND_KEY: &str = "workload.messages.per.send";

/// One line about a client's defaults, from its profile.
fn profile_line(client: Client) -> String {
    let config = crate::engine::SimConfig::for_client(client);
    let p = &config.producer;
    let keyless = client
        .default_partitioner()
        .keyless(None)
        .map_or("hashed", |k| k.describe());
    let batching = if client.produces_per_send_call() {
        "no linger.ms or batch.size: each send() call's messages go at once, a batch per \
         partition and a request per broker; a failed call retries as a whole (5 times, from \
         300 ms)"
            .to_string()
    } else {
        format!("linger.ms={}, batch.size={}", p.linger_ms, p.batch_size)
    };
    let line =
        format!(
        "Defaults: acks={}, idempotence {}, {batching}, partitioner {}. Records without a key: {}.",
        p.acks.as_str(),
        if config.idempotence_enabled() { "on" } else { "off" },
        client.default_partitioner().name,
        keyless
    );
    match client.simpler_here() {
        "" => line,
        simpler => format!("{line} {simpler}"),
    }
}

/// Picks whose producer every section runs: the choice goes in the URL (`client=`), and
/// the page's settings start from that client's defaults.
#[component]
pub fn ClientPicker() -> impl IntoView {
    let settings = use_settings();
    let config = settings.config();
    let chosen = Memo::new(move |_| config.with(|c| c.producer.client));
    let per_send = Memo::new(move |_| config.with(|c| c.workload.messages_per_send));
    let error = RwSignal::new(None::<String>);
    let show = move |result: Result<(), crate::engine::config::ConfigError>| match result {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e.message)),
    };
    let choose = move |client: Client| {
        show(
            if client.produces_per_send_call() || per_send.get_untracked() == 1 {
                settings.set(CLIENT_KEY, client.name())
            } else {
                // The others take one record per send() call.
                settings.set_many(&[(CLIENT_KEY, client.name()), (PER_SEND_KEY, "1")])
            },
        )
    };
    view! {
        <section id="client" class="section client-bar" aria-label="Your client">
            <fieldset class="panel client-picker" data-testid="client-picker">
                <legend class="field__label">"Your client library"</legend>
                <p class="pa__note">
                    "Every section below runs the producer of the client you pick: its defaults, "
                    "its partitioner and how it spreads records without a key."
                </p>
                <div class="client-picker__options">
                    {Client::all()
                        .into_iter()
                        .map(|client| {
                            view! {
                                <label class="client-picker__option">
                                    <input
                                        type="radio"
                                        name="client"
                                        value=client.name()
                                        data-testid=format!("client-{}", client.name())
                                        prop:checked=move || chosen.get() == client
                                        on:change=move |_| choose(client)
                                    />
                                    <span>{client.label()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="pa__note" data-testid="client-profile" aria-live="polite">
                    {move || profile_line(chosen.get())}
                </p>
                // Only kafkajs takes several messages per send() call.
                <div class="field" hidden=move || !chosen.get().produces_per_send_call()>
                    <label class="field__label" for="client-per-send">
                        "Messages per send() call" <span class="field__kafka">" (1–100)"</span>
                    </label>
                    <input
                        id="client-per-send"
                        class="input input--narrow"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="100"
                        data-testid="client-per-send"
                        prop:value=move || per_send.get().to_string()
                        on:change=move |ev| show(settings.set(PER_SEND_KEY, &event_target_value(&ev)))
                    />
                </div>
                <p class="field__error" role="alert">{move || error.get()}</p>
            </fieldset>
        </section>
    }
}

/// A row's partitioner and hash steps, one per line (or how the client picks).
fn steps_text(row: &model::Placement) -> String {
    let steps = match (row.hash_line(), row.reduce_line()) {
        (Some(hash), Some(reduce)) => format!("{hash}\n{reduce}"),
        _ => row.picks.unwrap_or("").to_string(),
    };
    format!("partitioner {}\n{steps}", row.partitioner.name)
}

/// Where every client puts the key being typed, side by side, with each one's hash steps.
#[component]
pub fn ClientComparison(
    key_text: RwSignal<String>,
    no_key: RwSignal<bool>,
    partitions: Memo<u32>,
) -> impl IntoView {
    let config = use_settings().config();
    let chosen = Memo::new(move |_| config.with(|c| c.producer.client));
    let rows = Memo::new(move |_| {
        let key = (!no_key.get()).then(|| key_text.get().into_bytes());
        placements(key.as_deref(), partitions.get())
    });
    let summary = move || {
        rows.with(|r| match distinct_partitions(r) {
            0 => "No client hashes this record: each one picks a partition itself.".to_string(),
            1 => "Every client that hashes this key agrees on the partition.".to_string(),
            n => format!("The same key lands on {n} different partitions depending on the client."),
        })
    };
    view! {
        <div id="client-compare" class="panel clients-compare" data-testid="client-compare">
            <h3 class="clients-compare__title">"Same key, every client"</h3>
            <p class="pa__note" data-testid="client-compare-summary">{summary}</p>
            <ul class="clients-compare__list" aria-label="Where each client puts the key">
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| {
                            let is_chosen = chosen.get() == row.client;
                            let partition = row
                                .partition()
                                .map_or("picks".to_string(), |p| format!("P{p}"));
                            let label = format!(
                                "{}: {}",
                                row.client.label(),
                                row.partition().map_or("the client picks the partition".to_string(), |p| format!("partition {p}"))
                            );
                            view! {
                                <li
                                    class=if is_chosen { "clients-compare__item clients-compare__item--chosen" } else { "clients-compare__item" }
                                    data-client=row.client.name()
                                    aria-label=label
                                >
                                    <div class="clients-compare__head">
                                        <span class="clients-compare__client">{row.client.label()}</span>
                                        <strong class="clients-compare__partition" data-testid=format!("compare-{}", row.client.name())>
                                            {partition}
                                        </strong>
                                    </div>
                                    <code class="clients-compare__step">{steps_text(&row)}</code>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The same keys from a Java service and a Python (confluent-kafka) service into one topic:
/// where each update of each key goes, and which keys lose their order.
#[component]
pub fn MixedProducers(partitions: Memo<u32>) -> impl IntoView {
    let demo = Memo::new(move |_| mixed_producers(partitions.get()));
    let split = Memo::new(move |_| demo.with(|d| d.iter().filter(|k| k.split()).count()));
    view! {
        <div class="panel clients-mixed" data-testid="mixed-producers">
            <h3 class="clients-compare__title">"Mixed producers: Java and Python on one topic"</h3>
            <p class="pa__note">
                "A Java service sends update 1 of each order; a Python service (confluent-kafka, "
                "default settings) sends update 2 of the same order. Java hashes with murmur2, "
                "librdkafka's consistent_random with CRC-32, so the two updates of a key can land on "
                "different partitions, and a consumer may read update 2 before update 1."
            </p>
            <table class="clients-mixed__table">
                <caption class="pa__note" data-testid="mixed-summary">
                    {move || format!(
                        "{} of {} keys split across two partitions with {} partitions: per-key order is lost for them. Setting partitioner=murmur2_random on the Python side keeps every key together.",
                        split.get(),
                        model::MIXED_KEYS.len(),
                        partitions.get()
                    )}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Java (update 1)"</th>
                        <th scope="col">"Python (update 2)"</th>
                        <th scope="col">"Order"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        demo.get()
                            .into_iter()
                            .map(|k| {
                                let split = k.split();
                                view! {
                                    <tr class=if split { "clients-mixed__row--split" } else { "" } data-split=split.to_string()>
                                        <th scope="row"><code>{k.key}</code></th>
                                        <td>{format!("P{}", k.java)}</td>
                                        <td>{format!("P{}", k.python)}</td>
                                        <td>{if split { "can reverse" } else { "kept" }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
