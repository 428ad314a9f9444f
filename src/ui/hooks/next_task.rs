//! Running a function in the browser's next task, after the page has had the chance to
//! handle input and paint: a message through a `MessageChannel` rather than
//! `setTimeout(0)`, which browsers delay by at least 4 ms once timeouts nest five deep.
//! Work split into slices this way keeps the page responsive and loses no time between
//! slices.

use leptos::prelude::set_timeout;
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Runs `f` in a new task (with `setTimeout` if the browser has no `MessageChannel`).
pub fn next_task(f: impl FnOnce() + 'static) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        set_timeout(f, Duration::ZERO);
        return;
    };
    let (receiver, sender) = (channel.port1(), channel.port2());
    // The handler owns the channel, so the channel lives until the message has arrived.
    let handler = Closure::once_into_js(move || {
        channel.port1().set_onmessage(None);
        f();
    });
    receiver.set_onmessage(Some(handler.unchecked_ref()));
    let _ = sender.post_message(&JsValue::NULL);
}
