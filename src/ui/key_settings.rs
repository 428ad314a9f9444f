//! The "Key Settings" section. STUB.

use leptos::prelude::*;

#[component]
pub fn KeySettings() -> impl IntoView {
    view! { <section id="key-settings"><h2>"Key Settings"</h2></section> }
}
