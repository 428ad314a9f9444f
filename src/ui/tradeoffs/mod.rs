//! The "Throughput vs Durability" section: five producer settings, four bars whose
//! values come from running the engine on them (and replaying failures), a chart of
//! throughput and p99 latency across `linger.ms` or `batch.size`, and the settings as
//! client configuration.
//!
//! Measuring runs in a worker (see `worker.rs`), off the page's main thread; where no
//! worker can run, the page measures by itself in slices of about a frame, each in its
//! own task (see [`next_task`]), so it never freezes. A change of settings abandons the
//! measurement in progress.

use crate::engine::clients::Client;
use crate::engine::codec_comparison::CodecRow;
use crate::engine::config::{Acks, CompressionType, ConfigError};
use crate::engine::tradeoff::{Findings, Progress, SweepAxis, SweepPoint, TradeoffSettings};
use crate::reference::export::{export, ExportFormat};
use crate::ui::canvas_chart::use_chart;
use crate::ui::hooks::{next_task, now_ms, use_idle};
use crate::ui::section::SectionHeader;
use crate::ui::settings::use_settings;
use crate::ui::your_data::records_input::{LoadedRecords, RecordsInput};
use crate::ui::your_data::{CodecTable, YourRecordsPanel};
use leptos::prelude::*;
use results::{group_thousands, Figure, Readout, Run, Score, Shown};
use runner::{Request, Runner};
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use worker::MeasureWorker;

pub(crate) mod chart;
mod results;
mod runner;
mod wire;
pub mod worker;

/// `batch.size` values the slider steps through, in bytes.
pub const BATCH_SIZES: [u32; 11] = [
    0, 1024, 4096, 8192, 16_384, 32_768, 65_536, 131_072, 262_144, 524_288, 1_048_576,
];
/// `linger.ms` values the slider steps through.
pub const LINGER_MS: [u64; 11] = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/// Wall-clock time one slice of measuring on the main thread may take before the page
/// gets it back: about one frame, well under the 50 ms a long task starts at.
const SLICE_MS: f64 = 16.0;

/// The first measurement starts when the browser is idle after the first render, and at
/// the latest this long after it.
const START_WITHIN: Duration = Duration::from_millis(1500);

/// Which setting the chart sweeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartAxis {
    LingerMs,
    BatchSize,
}

impl ChartAxis {
    fn sweep(self) -> SweepAxis {
        match self {
            ChartAxis::LingerMs => SweepAxis::default_linger(),
            ChartAxis::BatchSize => SweepAxis::default_batch_size(),
        }
    }
    fn id(self) -> &'static str {
        match self {
            ChartAxis::LingerMs => "linger.ms",
            ChartAxis::BatchSize => "batch.size",
        }
    }
}

/// How long measuring took, in wall-clock milliseconds since the settings changed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Timing {
    started_at: f64,
    /// The first number (throughput) appeared.
    first_numbers_ms: Option<f64>,
    /// All four scores appeared.
    scores_ms: Option<f64>,
    /// The chart's sweep finished.
    done_ms: Option<f64>,
    /// The longest slice of measuring, in ms of main-thread time.
    max_slice_ms: f64,
}

/// Where the measuring runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measurer {
    /// In the worker.
    Worker,
    /// On the page's main thread, in slices.
    Page,
}

/// The signals measuring writes to, and what it needs across slices and messages.
#[derive(Clone, Copy)]
struct Outputs {
    /// The latest request; its generation is the one whose updates count.
    request: StoredValue<Option<Request>>,
    /// Measures on the main thread when there is no worker.
    runner: StoredValue<Runner, LocalStorage>,
    worker: StoredValue<Option<MeasureWorker>, LocalStorage>,
    measurer: RwSignal<Measurer>,
    findings: RwSignal<Findings>,
    previous: RwSignal<Option<Findings>>,
    progress: RwSignal<Option<Progress>>,
    timing: RwSignal<Timing>,
    /// Every codec at the settings' batch.size and linger.ms (see `your_data::codec_table`).
    codecs: RwSignal<Vec<CodecRow>>,
}

impl Outputs {
    /// The section's outputs; the measuring worker starts with the first measurement.
    fn new() -> Self {
        Outputs {
            request: StoredValue::new(None),
            runner: StoredValue::new_local(Runner::default()),
            worker: StoredValue::new_local(None),
            measurer: RwSignal::new(Measurer::Worker),
            findings: RwSignal::new(Findings::default()),
            previous: RwSignal::new(None),
            progress: RwSignal::new(None),
            timing: RwSignal::new(Timing::default()),
            codecs: RwSignal::new(Vec::new()),
        }
    }

    /// Starts the measuring worker where the page can run one (once).
    fn start_worker(self) {
        let worker = MeasureWorker::spawn(
            move |update| self.receive(update),
            move || self.worker_failed(),
        );
        self.worker.set_value(worker);
    }

    fn generation(self) -> u64 {
        // `try_`: a message from the worker may arrive after the section is gone.
        self.request
            .try_with_value(|r| r.map_or(0, |r| r.generation()))
            .unwrap_or(0)
    }

    /// Starts measuring `settings`, abandoning any measurement in progress.
    fn restart(self, client: Client, settings: TradeoffSettings, axis: ChartAxis) {
        // Keep what the last measurement found on screen (marked stale) until the new
        // numbers arrive.
        let last = self.findings.get_untracked();
        if last.throughput.is_some() {
            self.previous.set(Some(last));
        }
        self.findings.set(Findings::default());
        self.codecs.set(Vec::new());
        self.progress.set(None);
        self.timing.set(Timing {
            started_at: now_ms(),
            ..Timing::default()
        });
        self.send(Request::Measure {
            generation: self.generation() + 1,
            client,
            settings,
            axis,
        });
    }

    /// Makes the reader's records (`None`: the workload's own values) the values of the
    /// next measurements: sent to the worker once, and kept for measuring here.
    fn set_records(self, records: Option<LoadedRecords>) {
        self.worker.with_value(|w| {
            if let Some(w) = w.as_ref().filter(|w| w.is_alive()) {
                w.send_records(records.as_ref().map(|r| &r.input));
            }
        });
        self.runner
            .update_value(|r| r.set_records(records.map(|r| r.records)));
    }

    /// Stops measuring (the settings are invalid).
    fn cancel(self) {
        self.send(Request::Stop {
            generation: self.generation() + 1,
        });
        self.progress.set(None);
    }

    /// Hands `request` to the worker, or measures it here if there is none.
    fn send(self, request: Request) {
        self.request.set_value(Some(request));
        let sent = self.worker.with_value(|w| match w {
            Some(w) if w.is_alive() => {
                w.send(request);
                true
            }
            _ => false,
        });
        if !sent {
            self.measure_here(request);
        }
    }

    /// Measures `request` on the main thread from now on.
    fn measure_here(self, request: Request) {
        // `try_`: called a task after a worker failed, when the section may be gone.
        self.measurer.try_set(Measurer::Page);
        self.worker.try_update_value(|w| *w = None);
        if self
            .runner
            .try_update_value(|r| r.handle(request))
            .is_some()
        {
            self.schedule(request.generation());
        }
    }

    /// The worker failed: measure here from now on, starting with the latest request if
    /// the worker had not finished it.
    fn worker_failed(self) {
        // `try_`: the section may be gone.
        let Some(progress) = self.progress.try_get_untracked() else {
            return;
        };
        let unfinished = !progress.is_some_and(|p| p.done);
        let latest = self.request.try_get_value().flatten();
        // Leave the worker be until this task is over: it is the one calling.
        next_task(move || match latest.filter(|_| unfinished) {
            Some(request) => self.measure_here(request),
            None => {
                self.worker.try_update_value(|w| *w = None);
            }
        });
    }

    fn schedule(self, generation: u64) {
        next_task(move || self.slice(generation));
    }

    /// Measures for up to `SLICE_MS` on the main thread, publishes what is new, and
    /// schedules the next slice.
    fn slice(self, generation: u64) {
        if generation != self.generation() {
            return;
        }
        let Some(Some(update)) = self.runner.try_update_value(|r| r.slice(SLICE_MS)) else {
            return;
        };
        let more = !update.is_last();
        self.publish(update);
        if more {
            self.schedule(generation);
        }
    }

    /// An update from the worker; its main-thread cost counts as a slice.
    fn receive(self, mut update: runner::Update) {
        let start = now_ms();
        update.slice_ms = 0.0;
        self.publish(update);
        let handled = now_ms() - start;
        self.timing
            .try_update(|t| t.max_slice_ms = t.max_slice_ms.max(handled));
    }

    /// Shows what an update found, if it is for the latest request.
    fn publish(self, update: runner::Update) {
        if update.generation != self.generation() {
            return;
        }
        let progress = update.progress;
        if let Some(f) = update.findings {
            let since = now_ms() - self.timing.get_untracked().started_at;
            let all_scores = progress.scores_ready;
            let first = f.throughput.is_some();
            self.timing.try_update(|t| {
                if first && t.first_numbers_ms.is_none() {
                    t.first_numbers_ms = Some(since);
                }
                if all_scores && t.scores_ms.is_none() {
                    t.scores_ms = Some(since);
                }
                if progress.done {
                    t.done_ms = Some(since);
                }
            });
            if all_scores {
                self.previous.try_set(None);
            }
            self.findings.try_set(f);
        }
        self.timing
            .try_update(|t| t.max_slice_ms = t.max_slice_ms.max(update.slice_ms));
        if !update.codecs.is_empty() {
            self.codecs.try_set(update.codecs);
        }
        self.progress.try_set(Some(progress));
    }
}

/// The section.
///
/// `settings` lets the page own the settings: the page passes
/// `settings::use_tradeoff_settings()`, which keeps them in the URL under `tradeoff.`
/// keys. Without it the section keeps its own, starting at Kafka's defaults.
///
/// The runs use the producer of the client the page's picker chose (`client=`, Java's
/// without one): its defaults for every other setting, its partitioner, its rules.
#[component]
pub fn ThroughputVsDurability(
    #[prop(optional)] settings: Option<RwSignal<TradeoffSettings>>,
) -> impl IntoView {
    let settings = settings.unwrap_or_else(|| RwSignal::new(TradeoffSettings::default()));
    let page = use_settings().config();
    let client = Memo::new(move |_| page.with(|c| c.producer.client));
    let axis = RwSignal::new(ChartAxis::LingerMs);
    let outputs = Outputs::new();
    let error = Memo::new(move |_| settings.get().validate_for(client.get()).err());

    let records = RwSignal::new(None::<LoadedRecords>);

    // Talking to the outside world (a worker, timers): re-measure whenever the settings
    // change, or the reader's records (handed over first, once). The first measurement
    // (and the worker) wait until the browser is idle after the page's first render, so
    // that neither delays the page's first answer. The effect's value: None until it
    // started, then the records last handed over.
    let idle = use_idle(START_WITHIN);
    Effect::new(move |previous: Option<Option<Option<RecordsInput>>>| {
        if !idle.get() {
            return None;
        }
        let sent = previous.flatten();
        if sent.is_none() {
            outputs.start_worker();
        }
        let s = settings.get();
        let a = axis.get();
        let c = client.get();
        let current = records.with(|r| r.as_ref().map(|r| r.input.clone()));
        if sent.as_ref() != Some(&current) {
            outputs.set_records(records.get_untracked());
        }
        if s.validate_for(c).is_ok() {
            outputs.restart(c, s, a);
        } else {
            outputs.cancel();
        }
        Some(current)
    });

    let state = move || {
        if error.get().is_some() {
            "invalid"
        } else {
            match outputs.progress.get() {
                None => "measuring",
                Some(p) if p.done => "done",
                Some(p) if p.scores_ready => "charting",
                Some(_) => "measuring",
            }
        }
    };
    let timing_attr = move |f: fn(&Timing) -> Option<f64>| {
        move || f(&outputs.timing.get()).map(|v| format!("{v:.0}"))
    };

    view! {
        <section
            id="throughput-vs-durability"
            class="tradeoffs"
            aria-labelledby="tradeoffs-heading"
            data-state=state
            data-first-numbers-ms=timing_attr(|t| t.first_numbers_ms)
            data-scores-ms=timing_attr(|t| t.scores_ms)
            data-done-ms=timing_attr(|t| t.done_ms)
            data-max-slice-ms=move || format!("{:.1}", outputs.timing.get().max_slice_ms)
            data-measured-in=move || match outputs.measurer.get() {
                Measurer::Worker => "worker",
                Measurer::Page => "page",
            }
        >
            <SectionHeader title_id="tradeoffs-heading" title="Throughput vs Durability">
                "Every number here comes from running the simulator on your settings: a "
                "full-speed run for throughput, a steady 5,000 records/s for latency, and two "
                "failure replays (the leader of a partition crashes and comes back; a "
                "broker's link to the producer is cut for 1.3 s, past the request timeout) "
                "for durability and risk. The cluster is "
                "3 brokers, replication factor 3, min.insync.replicas 2, with 200-byte JSON "
                "values."
            </SectionHeader>
            <p class="tradeoffs__client" data-testid="tradeoffs-client">
                "Measured with the "
                <strong>{move || client.get().label()}</strong>
                " producer, the client picked above: its defaults for every setting not shown "
                "here, its partitioner and its batching rules. Throughput is scored against "
                "those defaults."
            </p>
            <div class="tradeoffs__layout">
                <Controls settings=settings error=error client=client/>
                <Results outputs=outputs error=error/>
            </div>
            <Chart outputs=outputs axis=axis settings=settings/>
            <YourRecordsPanel records=records/>
            <CodecTable
                rows=outputs.codecs
                current=Signal::derive(move || settings.with(|s| s.compression_type))
            />
            <Export settings=settings client=client/>
        </section>
    }
}

/// The index of the preset nearest to `value` (the first one at or above it).
fn preset_index<T: PartialOrd + Copy>(presets: &[T], value: T) -> usize {
    presets
        .iter()
        .position(|&p| p >= value)
        .unwrap_or(presets.len() - 1)
}

const COMPRESSIONS: [CompressionType; 5] = [
    CompressionType::None,
    CompressionType::Gzip,
    CompressionType::Snappy,
    CompressionType::Lz4,
    CompressionType::Zstd,
];

fn idempotence_value(v: Option<bool>) -> &'static str {
    match v {
        None => "unset",
        Some(true) => "true",
        Some(false) => "false",
    }
}

fn format_bytes(b: u32) -> String {
    match b {
        0 => "0 bytes (no batching)".to_string(),
        b if b >= 1024 && b % 1024 == 0 => format!("{b} bytes ({} KiB)", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// Kafka's rule, next to the control it names. A rule about the idempotent producer
/// also shows next to `enable.idempotence` (announced once, at the control it names).
fn rule_for(error: Memo<Option<ConfigError>>, key: &'static str) -> impl IntoView {
    move || {
        error.get().and_then(|e| {
            let named = e.key == key;
            let related = key == "enable.idempotence" && e.message.contains("idempotent");
            (named || related).then(|| {
                view! {
                    <p
                        class="tradeoffs__rule"
                        role=named.then_some("alert")
                        id=format!("tradeoffs-rule-{}", key.replace('.', "-"))
                    >
                        {e.message}
                    </p>
                }
            })
        })
    }
}

#[component]
fn Controls(
    settings: RwSignal<TradeoffSettings>,
    error: Memo<Option<ConfigError>>,
    client: Memo<Client>,
) -> impl IntoView {
    let batch_index = move || preset_index(&BATCH_SIZES, settings.get().batch_size);
    let linger_index = move || preset_index(&LINGER_MS, settings.get().linger_ms);
    let other_error = move || {
        error
            .get()
            .filter(|e| {
                ![
                    "acks",
                    "batch.size",
                    "linger.ms",
                    "compression.type",
                    "enable.idempotence",
                ]
                .contains(&e.key.as_str())
            })
            .map(|e| view! { <p class="tradeoffs__rule" role="alert">{e.to_string()}</p> })
    };
    view! {
        <form class="tradeoffs__controls" on:submit=|ev| ev.prevent_default()>
            <div class="tradeoffs__control">
                <label for="tradeoffs-acks"><code>"acks"</code></label>
                <select
                    id="tradeoffs-acks"
                    prop:value=move || settings.get().acks.as_str()
                    on:change=move |ev| {
                        let acks = match event_target_value(&ev).as_str() {
                            "0" => Acks::Zero,
                            "1" => Acks::One,
                            _ => Acks::All,
                        };
                        settings.update(|s| s.acks = acks);
                    }
                >
                    <option value="0" selected=move || settings.get().acks == Acks::Zero>"0"</option>
                    <option value="1" selected=move || settings.get().acks == Acks::One>"1"</option>
                    <option value="all" selected=move || settings.get().acks == Acks::All>"all"</option>
                </select>
                <p class="tradeoffs__hint">
                    "How many replicas must have a record before the producer hears back."
                </p>
                {rule_for(error, "acks")}
            </div>
            <div class="tradeoffs__control">
                <label for="tradeoffs-batch-size"><code>"batch.size"</code></label>
                <input
                    id="tradeoffs-batch-size"
                    type="range"
                    min="0"
                    max=(BATCH_SIZES.len() - 1).to_string()
                    step="1"
                    // The attribute too: the page rendered at build time shows it.
                    value=move || batch_index().to_string()
                    prop:value=move || batch_index().to_string()
                    aria-valuetext=move || format_bytes(settings.get().batch_size)
                    on:input=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            if let Some(&b) = BATCH_SIZES.get(i) {
                                settings.update(|s| s.batch_size = b);
                            }
                        }
                    }
                />
                <output for="tradeoffs-batch-size" class="tradeoffs__output">
                    {move || format_bytes(settings.get().batch_size)}
                </output>
                <p class="tradeoffs__hint">"The most bytes one partition's batch may hold."</p>
                {rule_for(error, "batch.size")}
            </div>
            <div class="tradeoffs__control">
                <label for="tradeoffs-linger-ms"><code>"linger.ms"</code></label>
                <input
                    id="tradeoffs-linger-ms"
                    type="range"
                    min="0"
                    max=(LINGER_MS.len() - 1).to_string()
                    step="1"
                    value=move || linger_index().to_string()
                    prop:value=move || linger_index().to_string()
                    aria-valuetext=move || format!("{} ms", settings.get().linger_ms)
                    on:input=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            if let Some(&l) = LINGER_MS.get(i) {
                                settings.update(|s| s.linger_ms = l);
                            }
                        }
                    }
                />
                <output for="tradeoffs-linger-ms" class="tradeoffs__output">
                    {move || format!("{} ms", settings.get().linger_ms)}
                </output>
                <p class="tradeoffs__hint">
                    "How long a batch that is not full waits for more records."
                </p>
                {rule_for(error, "linger.ms")}
            </div>
            <div class="tradeoffs__control">
                <label for="tradeoffs-compression-type"><code>"compression.type"</code></label>
                <select
                    id="tradeoffs-compression-type"
                    prop:value=move || settings.get().compression_type.as_str()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(&c) = COMPRESSIONS.iter().find(|c| c.as_str() == v) {
                            settings.update(|s| s.compression_type = c);
                        }
                    }
                >
                    {COMPRESSIONS
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option
                                    value=c.as_str()
                                    selected=move || settings.get().compression_type == c
                                >
                                    {c.as_str()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="tradeoffs__hint">"The codec for whole batches."</p>
                {rule_for(error, "compression.type")}
            </div>
            <div class="tradeoffs__control">
                <label for="tradeoffs-enable-idempotence"><code>"enable.idempotence"</code></label>
                <select
                    id="tradeoffs-enable-idempotence"
                    prop:value=move || idempotence_value(settings.get().enable_idempotence)
                    on:change=move |ev| {
                        let v = match event_target_value(&ev).as_str() {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        };
                        settings.update(|s| s.enable_idempotence = v);
                    }
                >
                    // Unset is Java's rule (on unless acks or retries turn it off); every
                    // other client's profile sets the value its own default has.
                    <option
                        value="unset"
                        selected=move || settings.get().enable_idempotence.is_none()
                        hidden=move || client.get() != Client::Java
                        disabled=move || client.get() != Client::Java
                    >
                        "unset (Kafka's default)"
                    </option>
                    <option value="true" selected=move || settings.get().enable_idempotence == Some(true)>
                        "true"
                    </option>
                    <option value="false" selected=move || settings.get().enable_idempotence == Some(false)>
                        "false"
                    </option>
                </select>
                <p class="tradeoffs__hint">
                    {move || {
                        let s = settings.get();
                        let c = client.get();
                        if s.validate_for(c).is_err() {
                            // Kafka refuses to create a producer with these settings.
                            "No producer starts with these settings, so idempotence is neither on nor off.".to_string()
                        } else {
                            let on = s.config_for(c).idempotence_enabled();
                            format!(
                                "Idempotence is {} with these settings.",
                                if on { "on" } else { "off" },
                            )
                        }
                    }}
                </p>
                {rule_for(error, "enable.idempotence")}
            </div>
            {other_error}
        </form>
    }
}

/// The latest points of the sweep, or else the previous measurement's (stale).
fn sweep_points(outputs: Outputs) -> impl Fn() -> Shown<Vec<SweepPoint>> + Copy {
    move || {
        outputs.findings.with(|current| {
            outputs.previous.with(|previous| {
                results::shown(current, previous.as_ref(), |f| {
                    Some(f.sweep.clone()).filter(|s| !s.is_empty())
                })
            })
        })
    }
}

#[component]
fn Results(outputs: Outputs, error: Memo<Option<ConfigError>>) -> impl IntoView {
    let readout = Memo::new(move |_| Readout {
        findings: outputs.findings.get(),
        previous: outputs.previous.get(),
        progress: outputs.progress.get(),
        scores_ms: outputs.timing.with(|t| t.scores_ms),
        invalid: error.with(Option::is_some),
    });
    let bar = move |score: Score| {
        let id = score.id();
        let value = Memo::new(move |_| readout.with(|r| r.score(score)));
        view! {
            <div class=format!("tradeoffs__bar tradeoffs__bar--{id}")>
                <div class="tradeoffs__bar-head">
                    <span class="tradeoffs__bar-name" id=format!("tradeoffs-bar-{id}")>{score.name()}</span>
                    <span class="tradeoffs__bar-direction">{score.direction()}</span>
                </div>
                <div
                    class=move || {
                        if value.with(|v| v.stale) { "tradeoffs__meter tradeoffs__meter--stale" } else { "tradeoffs__meter" }
                    }
                    role="meter"
                    aria-labelledby=format!("tradeoffs-bar-{id}")
                    aria-valuemin="0"
                    aria-valuemax="100"
                    // A meter needs a value (ARIA): 0, said to be not measured yet, until it is.
                    aria-valuenow=move || value.with(|v| format!("{:.0}", v.value.unwrap_or(0.0)))
                    aria-valuetext=move || value.with(|v| v.value.is_none().then_some("not measured yet"))
                    data-score=id
                >
                    <div
                        class="tradeoffs__meter-fill"
                        style:width=move || format!("{:.1}%", value.with(|v| v.value.unwrap_or(0.0)))
                    ></div>
                </div>
                <div class="tradeoffs__bar-figures">
                    <span class="tradeoffs__score">
                        {move || value.with(|v| v.value.map_or("…".to_string(), |v| format!("{v:.0}/100")))}
                    </span>
                    <span class="tradeoffs__figure">{move || readout.with(|r| r.score_figure(score))}</span>
                </div>
            </div>
        }
    };
    let figure = move |figure: Figure| {
        let (name, metric) = figure.name();
        let shown = Memo::new(move |_| readout.with(|r| r.figure(figure)));
        view! {
            <div>
                <dt>{if metric { view! { <code>{name}</code> }.into_any() } else { name.into_any() }}</dt>
                <dd
                    data-figure=figure.id()
                    class=move || if shown.with(|s| s.stale) { "tradeoffs__figure--stale" } else { "" }
                >
                    {move || shown.with(|s| s.value.clone())}
                </dd>
            </div>
        }
    };
    // The figures grouped by the run that measured them, each run said in words.
    let run = move |run: Run| {
        let caption = Memo::new(move |_| readout.with(|r| r.run_caption(run)));
        let title_id = move || format!("tradeoffs-run-{}", run.id());
        view! {
            <div class="tradeoffs__run" role="group" aria-labelledby=title_id() data-run=run.id()>
                <h3 class="tradeoffs__run-title" id=title_id()>{run.title()}</h3>
                <p
                    class=move || if caption.with(|c| c.stale) { "tradeoffs__run-what tradeoffs__figure--stale" } else { "tradeoffs__run-what" }
                    data-run-caption=run.id()
                >
                    {move || caption.with(|c| c.value.clone().unwrap_or_else(|| "…".to_string()))}
                </p>
                <dl class="tradeoffs__figures">
                    {run.figures().iter().map(|&f| figure(f)).collect_view()}
                </dl>
            </div>
        }
    };
    view! {
        <div
            class="tradeoffs__results"
            aria-busy=move || readout.with(Readout::busy).to_string()
            data-invalid=move || error.get().is_some().then_some("true")
        >
            <p class="tradeoffs__status">
                <span role="status">{move || readout.with(Readout::status)}</span>
                " "
                <span class="tradeoffs__detail">{move || readout.with(Readout::detail)}</span>
            </p>
            <progress
                class="tradeoffs__progress"
                aria-label="Measuring"
                max="1"
                value=move || readout.with(Readout::fraction).to_string()
            ></progress>
            {Score::ALL.map(bar).into_iter().collect_view()}
            {Run::ALL.map(run).into_iter().collect_view()}
            <p class="tradeoffs__note">
                "Scores: throughput relative to the client's defaults on a log scale (defaults 50, "
                "ten times faster 100); latency from p99 on a log scale (1 ms 0, 1 s 100); "
                "durability and risk from how many replayed records were lost (or duplicated "
                "or reordered), on a log scale, so even a few show."
            </p>
        </div>
    }
}

#[component]
fn Chart(
    outputs: Outputs,
    axis: RwSignal<ChartAxis>,
    settings: RwSignal<TradeoffSettings>,
) -> impl IntoView {
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let points = sweep_points(outputs);
    let current = Memo::new(move |_| {
        let s = settings.get();
        match axis.get() {
            ChartAxis::LingerMs => s.linger_ms as f64,
            ChartAxis::BatchSize => s.batch_size as f64,
        }
    });
    use_chart(canvas, move |c| {
        chart::draw(
            c,
            axis.get(),
            &points().value.unwrap_or_default(),
            current.get(),
        );
    });
    let axis_name = move || axis.get().id();
    view! {
        <figure class="tradeoffs__chart">
            <div class="tradeoffs__chart-head">
                <label for="tradeoffs-chart-axis">"Chart against"</label>
                <select
                    id="tradeoffs-chart-axis"
                    prop:value=move || axis.get().id()
                    on:change=move |ev| {
                        axis.set(if event_target_value(&ev) == "batch.size" {
                            ChartAxis::BatchSize
                        } else {
                            ChartAxis::LingerMs
                        })
                    }
                >
                    <option value="linger.ms">"linger.ms"</option>
                    <option value="batch.size">"batch.size"</option>
                </select>
            </div>
            <canvas
                node_ref=canvas
                class="tradeoffs__canvas"
                width="720"
                height="320"
                role="img"
                aria-label=move || format!(
                    "Throughput (records/s, full-speed runs) and p99 latency (ms, steady-rate runs) against {}",
                    axis_name(),
                )
            ></canvas>
            <figcaption>
                <ul class="tradeoffs__legend">
                    <li class="tradeoffs__legend-throughput">
                        <span aria-hidden="true">"●"</span>
                        " Throughput in the full-speed run, records/s (left axis)"
                    </li>
                    <li class="tradeoffs__legend-latency">
                        <span aria-hidden="true">"▲"</span>
                        " p99 latency in the steady-rate run, ms (right axis)"
                    </li>
                </ul>
                "Your settings with only " <code>{axis_name}</code> " changed, each value measured "
                "by a full-speed run and a steady-rate run of its own, as above; the dashed line "
                "marks yours ("
                {move || match axis.get() {
                    ChartAxis::LingerMs => format!("{} ms", settings.get().linger_ms),
                    ChartAxis::BatchSize => format_bytes(settings.get().batch_size),
                }}
                ")."
            </figcaption>
            <details class="tradeoffs__chart-data">
                <summary>"Chart data"</summary>
                <table>
                    <thead>
                        <tr>
                            <th scope="col"><code>{axis_name}</code></th>
                            <th scope="col">"records/s (full speed)"</th>
                            <th scope="col">"p99 ms (steady rate)"</th>
                            <th scope="col"><code>"batch-size-avg"</code>" (steady rate)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            points()
                                .value
                                .unwrap_or_default()
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <tr>
                                            <td>{group_thousands(p.x)}</td>
                                            <td>{group_thousands(p.records_per_sec)}</td>
                                            <td>{format!("{:.2}", p.p99_ms)}</td>
                                            <td>{group_thousands(p.batch_size_avg)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[component]
fn Export(settings: RwSignal<TradeoffSettings>, client: Memo<Client>) -> impl IntoView {
    let format = RwSignal::new(ExportFormat::for_client(client.get_untracked()));
    let copied = RwSignal::new(String::new());
    // The tab follows the client picked: its own configuration comes first.
    Effect::new(move |_| format.set(ExportFormat::for_client(client.get())));
    // The configuration, or why the format's client refuses these settings.
    let exported =
        Memo::new(move |_| export(&settings.get().config_for(client.get()), format.get()));
    let text = move || exported.with(|e| e.as_ref().map_or_else(|_| String::new(), Clone::clone));
    let refused = move || exported.with(|e| e.as_ref().err().map(ToString::to_string));
    let select = move |f: ExportFormat, focus: bool| {
        format.set(f);
        copied.set(String::new());
        if focus {
            if let Some(el) = document()
                .get_element_by_id(&format!("tradeoffs-export-tab-{}", f.id()))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let all = ExportFormat::ALL;
        let i = all.iter().position(|f| *f == format.get()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => all[(i + 1) % all.len()],
            "ArrowLeft" => all[(i + all.len() - 1) % all.len()],
            "Home" => all[0],
            "End" => all[all.len() - 1],
            _ => return,
        };
        ev.prevent_default();
        select(next, true);
    };
    let copy = move |_| {
        let Ok(value) = exported.get_untracked() else {
            return;
        };
        let promise = window().navigator().clipboard().write_text(&value);
        let ok: Closure<dyn FnMut(JsValue)> = Closure::once(move |_: JsValue| {
            copied.try_set("Copied to the clipboard.".to_string());
        });
        let failed: Closure<dyn FnMut(JsValue)> = Closure::once(move |_: JsValue| {
            copied.try_set(
                "Copying was not allowed: select the text and copy it by hand.".to_string(),
            );
        });
        let _ = promise.then2(&ok, &failed);
        // The promise calls one of them later; they live until the page goes away
        // (a few bytes per click).
        ok.forget();
        failed.forget();
    };
    view! {
        <div class="tradeoffs__export">
            <h3 id="tradeoffs-export-heading">"Export config"</h3>
            <div
                class="tradeoffs__tabs"
                role="tablist"
                aria-labelledby="tradeoffs-export-heading"
                on:keydown=on_key
            >
                {ExportFormat::ALL
                    .into_iter()
                    .map(|f| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="tradeoffs__tab"
                                id=format!("tradeoffs-export-tab-{}", f.id())
                                aria-controls="tradeoffs-export-panel"
                                aria-selected=move || (format.get() == f).to_string()
                                tabindex=move || if format.get() == f { "0" } else { "-1" }
                                on:click=move |_| select(f, false)
                            >
                                {f.short_label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div
                class="tradeoffs__export-panel"
                role="tabpanel"
                id="tradeoffs-export-panel"
                aria-labelledby=move || format!("tradeoffs-export-tab-{}", format.get().id())
            >
                <p class="tradeoffs__export-what">{move || format.get().label()}</p>
                <textarea
                    id="tradeoffs-export-text"
                    class="tradeoffs__export-text"
                    readonly
                    spellcheck="false"
                    rows="10"
                    aria-label=move || format!("{} configuration", format.get().label())
                    data-format=move || format.get().id()
                    prop:value=text
                    hidden=move || refused().is_some()
                    style=move || refused().map(|_| "display: none")
                ></textarea>
                <p class="tradeoffs__export-refused" data-testid="export-refused" hidden=move || refused().is_none()>
                    {refused}
                </p>
                <div class="tradeoffs__export-actions">
                    <button
                        type="button"
                        class="tradeoffs__copy"
                        on:click=copy
                        disabled=move || refused().is_some()
                        style=move || refused().map(|_| "display: none")
                    >
                        "Copy"
                    </button>
                    <span class="tradeoffs__copied" role="status">{move || copied.get()}</span>
                </div>
            </div>
        </div>
    }
}
