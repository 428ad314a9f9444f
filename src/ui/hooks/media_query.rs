//! A CSS media query as a signal that follows the system setting live.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Whether `query` matches; updates when it changes (e.g. the reader turns on "reduce
/// motion" or rotates the phone).
///
/// It is `false` during the first render and asks the browser in an effect, just after
/// (before the next paint): the page rendered at build time knows no visitor and has no
/// browser to ask, and the same components render it.
pub fn use_media_query(query: &'static str) -> Signal<bool> {
    let matches = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(list) = window().match_media(query).ok().flatten() else {
            return;
        };
        matches.set(list.matches());
        let on_change = Closure::<dyn Fn()>::new({
            let list = list.clone();
            move || matches.set(list.matches())
        });
        let _ = list.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let listener = StoredValue::new_local((list, on_change));
        on_cleanup(move || {
            listener.try_with_value(|(list, on_change)| {
                let _ = list.remove_event_listener_with_callback(
                    "change",
                    on_change.as_ref().unchecked_ref(),
                );
            });
        });
    });
    matches.into()
}

/// The reader asked the system for less motion.
pub fn use_prefers_reduced_motion() -> Signal<bool> {
    use_media_query("(prefers-reduced-motion: reduce)")
}
