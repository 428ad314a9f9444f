//! The Leptos app. STUB: the UI helper builds it.

use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"producer-sim"</h1></main> }
}
