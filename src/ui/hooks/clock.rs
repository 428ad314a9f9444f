//! The browser's monotonic clock, in milliseconds, on the page and in a worker alike.

use wasm_bindgen::JsCast;

thread_local! {
    /// `performance` of this thread's global scope (a window or a worker).
    static PERFORMANCE: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into().ok());
}

/// `performance.now()`, or 0 where there is no `performance`.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}
