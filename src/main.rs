//! The browser entry point: install the panic banner, then start the app. The same
//! module also runs in the measuring worker, which has no page to start.
//!
//! A release build's `index.html` already holds the page rendered at build time
//! (`src/bin/render-page.rs`); the app takes it over (`ui::takeover`). Without it (the
//! browser tests' pages), the app mounts into `<body>`.

use producer_sim::ui::{takeover, App};
use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    producer_sim::ui::error_banner::install_panic_hook();
    let Some((document, body)) = window.document().and_then(|d| Some((d.clone(), d.body()?)))
    else {
        return;
    };
    if takeover::is_rendered(&body) {
        takeover::take_over(&document, &body, |into| {
            leptos::mount::mount_to(into, App).forget();
        });
    } else {
        leptos::mount::mount_to_body(App);
    }
    // The page answers input from here on (the end-to-end tests wait for this).
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-app", "ready");
    }
}

/// The measuring worker's entry point, called by `assets/measure-worker.js`.
#[wasm_bindgen]
pub fn serve_measure_worker(early: js_sys::Array) {
    producer_sim::ui::tradeoffs::worker::serve(early);
}
