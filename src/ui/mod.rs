//! The Leptos app. STUB: the page shell and sections are built here.

pub mod key_settings;
pub mod quiz;
pub mod tradeoffs;

use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <main>
            <h1>"producer-sim"</h1>
            <key_settings::KeySettings/>
            <tradeoffs::ThroughputVsDurability/>
            <quiz::TestYourself/>
        </main>
    }
}
