//! Measuring off the page's main thread. A dedicated worker loads the app's own module
//! (the page hands it the compiled `WebAssembly.Module`, so nothing is fetched or
//! compiled twice), and runs a [`Runner`] there; the page sends it [`Request`]s and gets
//! [`Update`]s back, both as numbers (see `wire.rs`).
//!
//! The worker starts from `assets/measure-worker.js`, which imports the app's JavaScript
//! module (the one Trunk's `modulepreload` link names), instantiates the module the page
//! sent, and calls `serve_measure_worker` (in `main.rs`), which calls [`serve`]. Requests
//! the page sends meanwhile wait in the script and are served first.
//! Where no worker can start (no such link, as in component tests), or it fails or does
//! not start in time, the page measures on its main thread instead.

use super::runner::{Request, Runner, Update};
use super::wire::{self, Input, Wire};
use crate::engine::compression::{Compressor, GZIP_STREAM_CHUNK};
use crate::engine::config::CompressionType;
use crate::ui::hooks::next_task;
use crate::ui::your_data::records_input::RecordsInput;
use leptos::prelude::{document, set_timeout};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's start-up script, copied next to index.html by Trunk.
const SCRIPT: &str = "measure-worker.js";
/// Wall-clock time of one slice in the worker: how soon it notices newer settings.
const WORKER_SLICE_MS: f64 = 10.0;
/// A worker not ready by then is given up, and the page measures by itself.
const START_TIMEOUT: Duration = Duration::from_secs(5);

/// What the worker tells the page.
enum Report {
    /// The worker has loaded and takes requests.
    Ready,
    Update(Box<Update>),
}

impl Wire for Report {
    fn put(&self, out: &mut Vec<f64>) {
        match self {
            Report::Ready => false.put(out),
            Report::Update(update) => {
                true.put(out);
                update.put(out);
            }
        }
    }
    fn take(input: &mut Input) -> Option<Self> {
        Some(if bool::take(input)? {
            Report::Update(Box::new(Update::take(input)?))
        } else {
            Report::Ready
        })
    }
}

fn encode<T: Wire>(value: &T) -> js_sys::Float64Array {
    js_sys::Float64Array::from(wire::encode(value).as_slice())
}

fn decode<T: Wire>(data: &JsValue) -> Option<T> {
    wire::decode(&data.dyn_ref::<js_sys::Float64Array>()?.to_vec())
}

/// The page's handle on the measuring worker.
pub struct MeasureWorker {
    worker: Worker,
    state: Rc<RefCell<Link>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

/// Where the worker is in its life.
#[derive(Default)]
struct Link {
    ready: bool,
    failed: bool,
}

/// The absolute URL of the app's JavaScript module, from Trunk's `modulepreload` link.
fn app_module_url() -> Option<String> {
    let link = document()
        .query_selector("link[rel=modulepreload][href*='producer-sim-web']")
        .ok()??;
    let href = link.get_attribute("href")?;
    let base = document().url().ok()?;
    Some(web_sys::Url::new_with_base(&href, &base).ok()?.href())
}

impl MeasureWorker {
    /// Starts the worker. `on_update` gets every update it sends; `on_failure` is called
    /// once if it fails (to load, to start in time, or later), after which it is no
    /// longer [alive](MeasureWorker::is_alive). `None` where no worker can start.
    pub fn spawn(
        on_update: impl Fn(Update) + 'static,
        on_failure: impl Fn() + 'static,
    ) -> Option<Self> {
        let app = app_module_url()?;
        let script = web_sys::Url::new_with_base(SCRIPT, &app).ok()?.href();
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        options.set_name("measure");
        let worker = Worker::new_with_options(&script, &options).ok()?;
        let state = Rc::new(RefCell::new(Link::default()));
        let on_failure = Rc::new(on_failure);

        let fail = {
            let (worker, state, on_failure) = (worker.clone(), state.clone(), on_failure.clone());
            move || {
                let first = !std::mem::replace(&mut state.borrow_mut().failed, true);
                if first {
                    worker.terminate();
                    on_failure();
                }
            }
        };
        let on_message = {
            let (state, fail) = (state.clone(), fail.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match decode::<Report>(&event.data()) {
                    Some(Report::Ready) => state.borrow_mut().ready = true,
                    Some(Report::Update(update)) => on_update(*update),
                    // The start-up script reports its own failures as text.
                    None => fail(),
                }
            })
        };
        let on_error = {
            let fail = fail.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| fail())
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));

        let message = js_sys::Array::of2(&app.into(), &wasm_bindgen::module());
        if worker.post_message(&message).is_err() {
            worker.terminate();
            return None;
        }
        let started = state.clone();
        set_timeout(
            move || {
                if !started.borrow().ready {
                    fail();
                }
            },
            START_TIMEOUT,
        );
        Some(MeasureWorker {
            worker,
            state,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Whether the worker is working (it has not failed).
    pub fn is_alive(&self) -> bool {
        !self.state.borrow().failed
    }

    /// Hands `request` to the worker, which takes it as soon as it has started.
    pub fn send(&self, request: Request) {
        post(&self.worker, &request);
    }

    /// Hands the worker the reader's records (`None`: none), once, as bytes; they are the
    /// values of the requests that follow.
    pub fn send_records(&self, records: Option<&RecordsInput>) {
        let message = records.map_or_else(Vec::new, RecordsInput::to_message);
        let _ = self
            .worker
            .post_message(&js_sys::Uint8Array::from(message.as_slice()));
    }
}

impl Drop for MeasureWorker {
    fn drop(&mut self) {
        // No failure to report from now on (the start-up timeout may still fire), and
        // messages already on their way must not reach the handlers dropped with this.
        self.state.borrow_mut().failed = true;
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
    }
}

fn post(worker: &Worker, request: &Request) {
    let _ = worker.post_message(&encode(request));
}

/// The worker's side: takes requests and measures in slices, reporting after each.
/// `early` holds the messages that arrived while the worker was starting.
pub fn serve(early: js_sys::Array) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let serving = Rc::new(RefCell::new(Serving::default()));
    let take = {
        let (scope, serving) = (scope.clone(), serving.clone());
        move |data: JsValue| {
            // Records come as bytes (see `MeasureWorker::send_records`), requests as numbers.
            if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
                let records = RecordsInput::from_message(&bytes.to_vec())
                    .and_then(|input| input.parse().ok());
                serving.borrow_mut().runner.set_records(records);
                return;
            }
            let Some(request) = decode::<Request>(&data) else {
                return;
            };
            let start = {
                let mut s = serving.borrow_mut();
                s.runner.handle(request);
                let start = !s.slicing && s.runner.is_measuring();
                s.slicing |= start;
                start
            };
            if start {
                slices(scope.clone(), serving.clone());
            }
        }
    };
    report(&scope, &Report::Ready);
    early.for_each(&mut |data, _, _| take(data));
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| take(event.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page: so does its handler.
    on_message.forget();
}

struct Serving {
    runner: Runner,
    /// A slice is scheduled.
    slicing: bool,
    /// Codecs not warmed up yet (see [`warm_up`]).
    cold: Vec<CompressionType>,
}

impl Default for Serving {
    fn default() -> Self {
        use CompressionType::*;
        Serving {
            runner: Runner::default(),
            slicing: false,
            // Taken from the end: gzip, the slowest, first.
            cold: vec![Snappy, Lz4, Zstd, Gzip],
        }
    }
}

/// Runs slices, each in its own task so that newer requests get in between.
fn slices(scope: DedicatedWorkerGlobalScope, serving: Rc<RefCell<Serving>>) {
    next_task(move || {
        let (update, more) = {
            let mut s = serving.borrow_mut();
            let update = s.runner.slice(WORKER_SLICE_MS);
            s.slicing = s.runner.is_measuring();
            (update, s.slicing)
        };
        if let Some(update) = update {
            report(&scope, &Report::Update(Box::new(update)));
        }
        if more {
            slices(scope, serving);
        } else {
            warm_up(serving);
        }
    });
}

/// Bytes each codec compresses to warm up: four pieces the size the engine feeds a gzip
/// stream.
const WARM_UP_BYTES: usize = 4 * GZIP_STREAM_CHUNK;

/// While no measurement runs, compresses a little with each codec not used yet, one
/// codec per task (a measurement that starts meanwhile goes first; the rest wait until it
/// ends). The browser compiles a function's fast code only once it has run a while, so
/// without this the first measurement with a codec pays for it: gzip's took 30–50 ms
/// longer in headless Chromium.
fn warm_up(serving: Rc<RefCell<Serving>>) {
    next_task(move || {
        let codec = {
            let mut s = serving.borrow_mut();
            if s.slicing {
                return;
            }
            match s.cold.pop() {
                Some(codec) => codec,
                None => return,
            }
        };
        let mut compressor = Compressor::default();
        // Made again for each codec: keeping one copy for all cost 0.8 kB of bundle.
        for piece in warm_up_records().chunks(GZIP_STREAM_CHUNK) {
            compressor.compressed_len(codec, piece);
        }
        warm_up(serving);
    });
}

/// Short JSON records. (The workload's own records, tried instead, warmed up no better:
/// gzip's first measurement took as long, within the noise of headless Chromium.)
fn warm_up_records() -> Vec<u8> {
    let mut records = Vec::with_capacity(WARM_UP_BYTES + 64);
    let mut id: u32 = 0;
    while records.len() < WARM_UP_BYTES {
        id = id.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let record = format!(
            "{{\"id\":{},\"user\":\"user-{}\",\"amount\":{}.{:02}}}",
            id >> 8,
            id % 997,
            id % 5000,
            id % 100
        );
        records.extend_from_slice(record.as_bytes());
    }
    records
}

fn report(scope: &DedicatedWorkerGlobalScope, report: &Report) {
    let _ = scope.post_message(&encode(report));
}
