//! What every section starts with: its heading and a short introduction.

use leptos::prelude::*;

/// A section's heading (`title_id` is what the section's `aria-labelledby` names) and
/// its introduction (`children`).
#[component]
pub fn SectionHeader(
    title_id: &'static str,
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="section__head">
            <h2 id=title_id>{title}</h2>
            <p class="section__lede">{children()}</p>
        </div>
    }
}
