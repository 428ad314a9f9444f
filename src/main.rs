//! The browser entry point: install the panic banner, then mount the app. The same
//! module also runs in the measuring worker, which has no page to mount.

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    if web_sys::window().is_none() {
        return;
    }
    producer_sim::ui::error_banner::install_panic_hook();
    leptos::mount::mount_to_body(producer_sim::ui::App);
}

/// The measuring worker's entry point, called by `assets/measure-worker.js`.
#[wasm_bindgen]
pub fn serve_measure_worker(early: js_sys::Array) {
    producer_sim::ui::tradeoffs::worker::serve(early);
}
