//! The "Test Yourself" section. STUB.

use leptos::prelude::*;

#[component]
pub fn TestYourself() -> impl IntoView {
    view! { <section id="test-yourself"><h2>"Test Yourself"</h2></section> }
}
