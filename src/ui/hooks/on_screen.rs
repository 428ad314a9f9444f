//! Whether the part of the page a component lives in is on the screen: the page's
//! take-over (`ui::takeover`) provides it per part, so that animations sleep while
//! their part is scrolled away. Without it (a page mounted whole, the browser tests)
//! every part counts as on screen.

use leptos::prelude::*;

/// Provided to each live part of the page: `true` while it intersects the viewport.
#[derive(Clone, Copy)]
pub struct OnScreen(pub Signal<bool>);

/// Whether the current part is on screen.
pub fn use_on_screen() -> Signal<bool> {
    use_context::<OnScreen>().map_or_else(|| Signal::from(true), |OnScreen(shown)| shown)
}
