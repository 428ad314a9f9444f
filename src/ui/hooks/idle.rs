//! Work that can wait until the page has painted and answered its first input: run
//! when the browser is idle (`requestIdleCallback`, at the latest after `timeout`), or
//! in the next task where there is no such thing.

use super::next_task;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Becomes `true` once the browser is first idle after the first render (or after
/// `timeout`, whichever comes first), and stays so.
pub fn use_idle(timeout: Duration) -> Signal<bool> {
    let idle = RwSignal::new(false);
    Effect::new(move |_| {
        let done = move || idle.set(true);
        let window = window();
        let request = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let Some(request) = request else {
            next_task(done);
            return;
        };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &options,
            &"timeout".into(),
            &JsValue::from_f64(timeout.as_millis() as f64),
        );
        let callback = Closure::once_into_js(done);
        if request.call2(&window, &callback, &options).is_err() {
            next_task(done);
        }
    });
    idle.into()
}
