//! "Your records": paste record values or load a file of them, and the trade-off runs
//! send them (cycled) instead of the generated JSON values. Nothing leaves the browser:
//! a file is read with `Blob.arrayBuffer`, and the bytes go to the measuring worker.
//! Rendering makes no browser calls; handlers do.

use super::paste_or_load::PasteOrLoad;
use super::records_input::{check_size, LoadedRecords, RecordsInput};
use crate::engine::keys::LineForm;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Reads all of `file`, then calls `done` with its bytes or why it could not.
fn read_file(file: &web_sys::File, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let done = done.clone();
        move |result| {
            if let Some(done) = done.borrow_mut().take() {
                done(result)
            }
        }
    };
    let fail = finish.clone();
    let ok = Closure::once_into_js(move |data: JsValue| {
        finish(Ok(js_sys::Uint8Array::new(&data).to_vec()))
    });
    let failed = Closure::once_into_js(move |_: JsValue| {
        fail(Err(
            "The file could not be read (was it moved or deleted?).".into(),
        ))
    });
    // `promise.then(ok, failed)` with self-freeing one-shot functions.
    let promise = file.array_buffer();
    if let Some(then) = js_sys::Reflect::get(&promise, &"then".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = then.call2(&promise, &ok, &failed);
    }
}

/// The panel. `records` is what the trade-off runs use: `Some` once the reader's records
/// pass the checks, `None` for the generated values.
#[component]
pub fn YourRecordsPanel(records: RwSignal<Option<LoadedRecords>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let key_value = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let use_bytes = move |bytes: Vec<u8>| {
        let form = if key_value.get_untracked() {
            LineForm::KeyValue
        } else {
            LineForm::Key
        };
        let input = RecordsInput {
            bytes: bytes.into(),
            form,
        };
        match input.load() {
            Ok(loaded) => {
                error.set(None);
                records.set(Some(loaded));
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let load_file = move |file: web_sys::File| {
        if let Err(why) = check_size(file.size() as u64) {
            error.set(Some(why));
            return;
        }
        read_file(&file, move |result| match result {
            Ok(bytes) => use_bytes(bytes),
            Err(why) => error.set(Some(why)),
        });
    };
    view! {
        <div class="your-records panel">
            <h3 class="your-records__title">"Your records"</h3>
            <p class="your-records__lede">
                "Measure with your own payloads: JSON lines, CSV rows, log lines or any "
                "bytes, one record value per line. The runs send them in turn (cycled), so "
                "batch sizes, compression and throughput come from your bytes. They stay in "
                "this page: nothing is uploaded."
            </p>
            <PasteOrLoad
                id="your-records"
                paste_label="Your records"
                placeholder="{\"order\":1,\"status\":\"paid\"}\n…"
                rows=4
                text=text
                submit_label="Measure with these records"
                on_submit=Callback::new(move |()| use_bytes(text.get_untracked().into_bytes()))
                file_label="Load records from a file"
                file_help="One value per line, up to 16 MB."
                on_file=Callback::new(load_file)
            >
                    <label class="your-records__check">
                        <input
                            id="your-records-kv"
                            type="checkbox"
                            prop:checked=move || key_value.get()
                            on:change=move |ev| key_value.set(event_target_checked(&ev))
                        />
                        " Each line is key<TAB>value (keys and values together)"
                    </label>
            </PasteOrLoad>
            <div class="your-records__status" aria-live="polite">
                {move || error.get().map(|e| view! {
                    <p class="field__error" role="alert" data-testid="your-records-error">{e}</p>
                })}
                {move || records.with(|r| r.as_ref().map(|r| r.summary.clone())).map(|s| view! {
                    <p data-testid="your-records-summary">
                        {s}
                        " "
                        <button
                            type="button"
                            class="btn"
                            on:click=move |_| {
                                error.set(None);
                                records.set(None);
                            }
                        >
                            "Back to the generated JSON values"
                        </button>
                    </p>
                })}
            </div>
        </div>
    }
}
