//! "Your keys": paste keys or load a file of them (picker or drop) and see how they spread
//! over the topic's partitions, the skew, the hottest keys, and what moves at a second
//! partition count. Nothing leaves the browser: files are read with `Blob.arrayBuffer`.
//!
//! The work runs on the page's thread in slices of about [`SLICE_MS`] (the next slice in
//! a new task, so input and painting go first), reading the file [`FILE_CHUNK`] bytes at
//! a time. Rendering makes no browser calls; effects and handlers do.

use super::keys_chart;
use super::keys_job::{
    busiest, parse_partitioner_choice, partitioner_choice, percent, shown_key, thousands,
    KeyLayout, KeysJob, KeysView,
};
use super::paste_or_load::PasteOrLoad;
use crate::engine::clients::Client;
use crate::engine::keys::KeySpread;
use crate::ui::canvas_chart::use_chart;
use crate::ui::hooks::{next_task, now_ms};
use crate::ui::settings::use_settings;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Wall-clock time of one slice of work, in ms: well under a frame's 16 ms and the
/// 50 ms of a long task.
const SLICE_MS: f64 = 8.0;
/// Bytes fed to the counter at a time within a slice.
const PIECE: usize = 16 * 1024;
/// Distinct keys placed at a time within a slice.
const PLACE_STEP: usize = 4096;
/// Bytes read from a file at a time.
const FILE_CHUNK: f64 = 1024.0 * 1024.0;
/// The most partitions the second count may have (the simulator's limit).
const MAX_TO: u32 = crate::engine::config::MAX_PARTITIONS;

/// Where the bytes of a run come from.
enum Source {
    /// Pasted text, fed from `pos`.
    Text { bytes: Vec<u8>, pos: usize },
    /// A file, read from `offset` a chunk at a time into `buffer`.
    File {
        file: web_sys::File,
        offset: f64,
        buffer: Vec<u8>,
        pos: usize,
    },
    /// Nothing to read: placing counted keys again.
    Counted,
}

/// One run of the job, abandoned when a newer run starts.
struct Run {
    generation: u64,
    source: Source,
}

/// What the slices share with the panel.
#[derive(Clone, Copy)]
struct Shared {
    job: StoredValue<KeysJob, LocalStorage>,
    current: StoredValue<u64>,
    wanted: StoredValue<KeyLayout>,
    shown: RwSignal<KeysView>,
    timing: RwSignal<Timing>,
}

/// How long the latest run took, for the page's own measurements (data attributes).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Timing {
    started_ms: f64,
    /// Wall-clock time from start to result, once there is one.
    done_ms: Option<f64>,
    longest_slice_ms: f64,
}

impl Shared {
    /// Starts a new run, abandoning any other.
    fn start(self, source: Source, total_bytes: Option<u64>, max_request_size: u32) {
        let generation = self.current.get_value() + 1;
        self.current.set_value(generation);
        self.job.update_value(|job| match total_bytes {
            Some(total) => job.start(total, max_request_size),
            None => job.repartition(self.wanted.get_value()),
        });
        self.shown.set(self.job.with_value(KeysJob::view));
        self.timing.set(Timing {
            started_ms: now_ms(),
            ..Timing::default()
        });
        let run = Run { generation, source };
        next_task(move || self.slice(run));
    }

    /// Works for about `SLICE_MS`, shows where it got, and schedules what is left.
    fn slice(self, mut run: Run) {
        if self.current.get_value() != run.generation {
            return;
        }
        let start = now_ms();
        let mut need_file_chunk = false;
        loop {
            let wanted = self.wanted.get_value();
            self.job.update_value(|job| {
                if job.is_reading() {
                    match &mut run.source {
                        Source::Text { bytes, pos } if *pos < bytes.len() => {
                            let end = (*pos + PIECE).min(bytes.len());
                            job.feed(&bytes[*pos..end]);
                            *pos = end;
                        }
                        Source::File { buffer, pos, .. } if *pos < buffer.len() => {
                            let end = (*pos + PIECE).min(buffer.len());
                            job.feed(&buffer[*pos..end]);
                            *pos = end;
                        }
                        Source::File { file, offset, .. } if *offset < file.size() => {
                            need_file_chunk = true;
                        }
                        _ => job.end_input(wanted),
                    }
                } else if job.is_placing() {
                    job.place(PLACE_STEP);
                }
            });
            let busy = self.job.with_value(|j| j.is_reading() || j.is_placing());
            if !busy || need_file_chunk || now_ms() - start > SLICE_MS {
                self.shown.set(self.job.with_value(KeysJob::view));
                let end = now_ms();
                self.timing.update(|t| {
                    t.longest_slice_ms = t.longest_slice_ms.max(end - start);
                    if !busy {
                        t.done_ms = Some(end - t.started_ms);
                    }
                });
                if need_file_chunk {
                    self.read_chunk(run);
                } else if busy {
                    next_task(move || self.slice(run));
                }
                return;
            }
        }
    }

    /// Reads the file's next chunk, then goes on slicing.
    fn read_chunk(self, mut run: Run) {
        let Source::File { file, offset, .. } = &mut run.source else {
            return;
        };
        let end = (*offset + FILE_CHUNK).min(file.size());
        let blob = file.slice_with_f64_and_f64(*offset, end);
        *offset = end;
        let fail = move |_: JsValue| {
            self.job.update_value(|job| {
                job.fail("The file could not be read (was it moved or deleted?).".into())
            });
            self.shown.set(self.job.with_value(KeysJob::view));
        };
        let Ok(blob) = blob else {
            fail(JsValue::NULL);
            return;
        };
        let done = Closure::once_into_js(move |data: JsValue| {
            if let Source::File { buffer, pos, .. } = &mut run.source {
                *buffer = js_sys::Uint8Array::new(&data).to_vec();
                *pos = 0;
            }
            self.slice(run);
        });
        let failed = Closure::once_into_js(fail);
        // `promise.then(done, failed)` with self-freeing one-shot functions.
        let promise = blob.array_buffer();
        let then = js_sys::Reflect::get(&promise, &"then".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(then) = then {
            let _ = then.call2(&promise, &done, &failed);
        }
    }
}

/// The second partition count's field: a whole number from 1 to `MAX_TO`.
fn parse_to(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_TO).contains(&n) => Ok(n),
        _ => Err(format!(
            "Enter a whole number of partitions from 1 to {MAX_TO}."
        )),
    }
}

#[component]
pub fn YourKeys() -> impl IntoView {
    let config = use_settings().config();
    let partitions = Memo::new(move |_| config.with(|c| c.topic.partitions));
    let max_request_size = Memo::new(move |_| config.with(|c| c.producer.max_request_size));
    let to_text = RwSignal::new(String::new());
    let to = Memo::new(move |_| {
        let text = to_text.get();
        if text.trim().is_empty() {
            Ok(partitions.get() * 2)
        } else {
            parse_to(&text)
        }
    });
    // Whose partitioner places the keys: the panel's own choice, a plain input of the job.
    let chosen = RwSignal::new((Client::Java, Client::Java.default_partitioner()));
    let keys_text = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let shared = Shared {
        job: StoredValue::new_local(KeysJob::default()),
        current: StoredValue::new(0),
        wanted: StoredValue::new(KeyLayout {
            client: chosen.get_untracked().0,
            partitioner: chosen.get_untracked().1,
            partitions: partitions.get_untracked(),
            to: to.get_untracked().ok(),
        }),
        shown: RwSignal::new(KeysView::default()),
        timing: RwSignal::new(Timing::default()),
    };
    let timing = shared.timing;
    let shown = shared.shown;

    // New partition counts place the counted keys again (a read in progress ends with them).
    Effect::new(move |previous: Option<KeyLayout>| {
        let (client, partitioner) = chosen.get();
        let wanted = KeyLayout {
            client,
            partitioner,
            partitions: partitions.get(),
            to: to.get().ok().filter(|&m| m != partitions.get()),
        };
        shared.wanted.set_value(wanted);
        let placed = shared.job.with_value(|j| !j.is_reading() && j.has_keys());
        if previous.is_some_and(|p| p != wanted) && placed {
            shared.start(Source::Counted, None, max_request_size.get_untracked());
        }
        wanted
    });

    let analyse_text = move || {
        let bytes = keys_text.get_untracked().into_bytes();
        let total = bytes.len() as u64;
        shared.start(
            Source::Text { bytes, pos: 0 },
            Some(total),
            max_request_size.get_untracked(),
        );
    };
    let load_file = move |file: web_sys::File| {
        let total = file.size() as u64;
        shared.start(
            Source::File {
                file,
                offset: 0.0,
                buffer: Vec::new(),
                pos: 0,
            },
            Some(total),
            max_request_size.get_untracked(),
        );
    };

    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    use_chart(canvas, move |c| {
        shown.with(|v| {
            if let Some(spread) = &v.spread {
                keys_chart::draw(c, &spread.shares);
            }
        })
    });

    let busy = move || shown.with(|v| v.progress.is_some());
    view! {
        <div
            class=move || if dragging.get() { "your-keys panel your-keys--drop" } else { "your-keys panel" }
            data-done-ms=move || timing.get().done_ms.map(|ms| format!("{ms:.0}"))
            data-longest-slice-ms=move || format!("{:.1}", timing.get().longest_slice_ms)
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                    load_file(file);
                }
            }
        >
            <h3 class="your-keys__title">"Your keys"</h3>
            <p class="your-keys__lede">
                "How would your own keys spread? Paste them, one per line, or load a file "
                "(or drop it here). They are counted in this page: nothing is uploaded."
            </p>
            <PasteOrLoad
                id="your-keys"
                paste_label="Your keys"
                placeholder="customer-1\ncustomer-2\n…"
                rows=5
                text=keys_text
                submit_label="Show how they spread"
                on_submit=Callback::new(move |()| analyse_text())
                file_label="Load keys from a file"
                accept=".txt,.csv,.tsv,.log,text/plain"
                file_help="One key per line, up to 64 MB."
                on_file=Callback::new(load_file)
            >
                    <label class="field__label" for="your-keys-partitioner">"Partitioner"</label>
                    <select
                        id="your-keys-partitioner"
                        class="input your-keys__partitioner"
                        aria-describedby="your-keys-partitioner-help"
                        prop:value=move || { let (c, p) = chosen.get(); partitioner_choice(c, p) }
                        on:change=move |ev| {
                            if let Some(choice) = parse_partitioner_choice(&event_target_value(&ev)) {
                                chosen.set(choice);
                            }
                        }
                    >
                        {Client::all().into_iter().map(|client| view! {
                            <optgroup label=client.label()>
                                {client.partitioners().iter().map(|def| view! {
                                    <option value=partitioner_choice(client, def)>
                                        {format!("{}: {}", client.name(), def.name)}
                                    </option>
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                    <p class="field__help" id="your-keys-partitioner-help">
                        {move || chosen.get().1.selected_by}
                    </p>
                    <label class="field__label" for="your-keys-to">"Compare with partitions"</label>
                    <input
                        id="your-keys-to"
                        class="input your-keys__to"
                        type="number"
                        min="1"
                        max=MAX_TO
                        inputmode="numeric"
                        placeholder=move || (partitions.get() * 2).to_string()
                        prop:value=move || to_text.get()
                        on:input=move |ev| to_text.set(event_target_value(&ev))
                        aria-describedby="your-keys-to-help"
                    />
                    <p class="field__help" id="your-keys-to-help">
                        {move || match to.get() {
                            Ok(m) => format!("Which keys move if the topic goes from {} to {m} partitions.", partitions.get()),
                            Err(why) => why,
                        }}
                    </p>
            </PasteOrLoad>
            <div class="your-keys__status" aria-live="polite">
                {move || busy().then(|| {
                    let (value, status) = shown.with(|v| (v.progress.unwrap_or(0.0), v.status.clone()));
                    view! {
                        <progress class="your-keys__progress" max="1" value=value aria-label="Counting your keys"></progress>
                        <p class="your-keys__progress-text" data-testid="your-keys-progress">{status}</p>
                    }
                })}
                {move || shown.with(|v| v.error.clone()).map(|e| view! {
                    <p class="field__error" role="alert" data-testid="your-keys-error">{e}</p>
                })}
            </div>
            <div class="your-keys__result" hidden=move || shown.with(|v| v.spread.is_none())>
                <figure class="your-keys__chart">
                    <canvas
                        node_ref=canvas
                        class="your-keys__canvas"
                        width="640"
                        height="240"
                        role="img"
                        aria-label=move || shown.with(|v| v.spread.as_ref().map(chart_label).unwrap_or_default())
                    ></canvas>
                    <figcaption>"Each partition's share of your records; the dashed line is an even share."</figcaption>
                </figure>
                {move || shown.with(|v| v.spread.clone().map(|s| (s, v.unplaced_reason.clone()))).map(|(s, why)| view! { <Findings spread=s unplaced_reason=why /> })}
            </div>
        </div>
    }
}

/// The chart's text alternative.
fn chart_label(s: &KeySpread) -> String {
    let shares: Vec<String> = s
        .shares
        .records
        .iter()
        .enumerate()
        .map(|(p, &r)| format!("P{p} {}", percent(r, s.records)))
        .collect();
    format!("Share of records per partition: {}", shares.join(", "))
}

/// Skew, hottest keys and moves of a finished analysis.
#[component]
fn Findings(spread: KeySpread, unplaced_reason: Option<String>) -> impl IntoView {
    let sh = &spread.shares;
    let summary = format!(
        "{} records, {} distinct keys over {} partitions.",
        thousands(spread.records),
        thousands(spread.distinct_keys),
        sh.partition_count
    );
    let skew = format!("{:.2}", sh.max_over_mean);
    let hottest_partition = (sh.records.iter().enumerate())
        .max_by_key(|(p, r)| (**r, std::cmp::Reverse(*p)))
        .map(|(p, _)| p)
        .unwrap_or(0);
    let to = spread
        .repartition
        .as_ref()
        .map(|r| r.shares.partition_count);
    let rows = spread
        .hottest
        .iter()
        .map(|h| {
            let place = |p: Option<u32>| p.map_or("–".to_string(), |p| p.to_string());
            view! {
                <tr>
                    <td class="your-keys__key"><code>{shown_key(&h.key)}</code></td>
                    <td class="num">{thousands(h.records)}</td>
                    <td class="num your-keys__share">{percent(h.records, spread.records)}</td>
                    <td class="num">{place(h.partition)}</td>
                    {to.map(|_| view! { <td class="num">{place(h.to_partition)}</td> })}
                </tr>
            }
        })
        .collect_view();
    let moves = spread.repartition.as_ref().map(|r| {
        let pairs = busiest(&r.moves, 8);
        let more = r.moves.len() - pairs.len();
        let top = pairs
            .iter()
            .map(|m| {
                view! {
                    <li>
                        {format!(
                            "P{} → P{}: {} key{}, {} record{}",
                            m.from,
                            m.to,
                            thousands(m.keys),
                            if m.keys == 1 { "" } else { "s" },
                            thousands(m.records),
                            if m.records == 1 { "" } else { "s" },
                        )}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="your-keys__moves" data-testid="your-keys-moves">
                <h4>{format!("From {} to {} partitions", sh.partition_count, r.shares.partition_count)}</h4>
                <p>
                    <strong>{format!("{} of {} distinct keys", thousands(r.moved_keys), thousands(spread.distinct_keys))}</strong>
                    {format!(" ({}) and ", percent(r.moved_keys, spread.distinct_keys))}
                    <strong>{format!("{} of {} records", thousands(r.moved_records), thousands(spread.records))}</strong>
                    {format!(
                        " ({}) change partition. Each moved key's records are in order only within a partition, so a consumer can see a moved key's new records before its old ones. Skew at {}: {:.2}.",
                        percent(r.moved_records, spread.records),
                        r.shares.partition_count,
                        r.shares.max_over_mean
                    )}
                </p>
                <ul class="your-keys__pairs">{top}</ul>
                {(more > 0).then(|| view! { <p class="field__help">{format!("…and {more} more partition pairs.")}</p> })}
            </div>
        }
    });
    view! {
        <div class="your-keys__findings">
            <p data-testid="your-keys-summary">{summary}</p>
            <p class="your-keys__skew">
                "Skew (largest partition / mean): "
                <strong data-testid="your-keys-skew">{skew}</strong>
                {format!(
                    " — partition {hottest_partition} has {} of the records (an even share is {}).",
                    percent(sh.records[hottest_partition], spread.records),
                    percent(1, u64::from(sh.partition_count)),
                )}
            </p>
            {unplaced_reason.map(|why| view! {
                <p class="field__help" data-testid="your-keys-unplaced">
                    {format!("{} records are not placed by their key: {why}.", thousands(sh.unplaced_records))}
                </p>
            })}
            <table class="your-keys__hottest">
                <caption>"Hottest keys"</caption>
                <thead>
                    <tr>
                        <th scope="col">"key"</th>
                        <th scope="col" class="num">"records"</th>
                        <th scope="col" class="num your-keys__share">"share"</th>
                        <th scope="col" class="num">"partition"</th>
                        {to.map(|m| view! { <th scope="col" class="num">{format!("at {m}")}</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {moves}
        </div>
    }
}
