//! A `requestAnimationFrame` loop that can be paused and that stops by itself while the
//! tab is hidden or its part of the page is scrolled away (no work, no battery drain,
//! no blocking the main thread for a picture nobody sees).

use super::clock::now_ms;
use super::media_query::use_prefers_reduced_motion;
use super::on_screen::use_on_screen;
use leptos::leptos_dom::helpers::{
    request_animation_frame_with_handle, AnimationFrameRequestHandle,
};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// One animation frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Wall-clock milliseconds since the previous frame of this run (0 for the first
    /// frame after a start or resume, so a pause never turns into a jump).
    pub delta_ms: f64,
}

/// The loop's controls, in the shape of leptos-use's `Pausable`.
#[derive(Clone, Copy)]
pub struct Pausable {
    wanted: RwSignal<bool>,
    running: Memo<bool>,
}

impl Pausable {
    /// Stops calling back until `resume`.
    pub fn pause(&self) {
        self.wanted.set(false);
    }
    /// Calls back on every frame again (while the tab is visible).
    pub fn resume(&self) {
        self.wanted.set(true);
    }
    /// Whether the reader wants it running (it still sleeps while the tab is hidden or
    /// its part is off screen).
    pub fn is_active(&self) -> Signal<bool> {
        self.wanted.into()
    }
    /// Whether frames are being produced right now.
    pub fn is_running(&self) -> Signal<bool> {
        self.running.into()
    }
}

struct LoopState {
    callback: Box<dyn FnMut(Frame)>,
    handle: Option<AnimationFrameRequestHandle>,
    last_ms: Option<f64>,
    running: bool,
}

fn schedule(state: &Rc<RefCell<LoopState>>) {
    if state.borrow().handle.is_some() {
        return;
    }
    let next = Rc::clone(state);
    let handle = request_animation_frame_with_handle(move || on_frame(&next)).ok();
    state.borrow_mut().handle = handle;
}

fn on_frame(state: &Rc<RefCell<LoopState>>) {
    let now = now_ms();
    let frame = {
        let mut s = state.borrow_mut();
        s.handle = None;
        if !s.running {
            return;
        }
        let delta_ms = s.last_ms.map_or(0.0, |last| (now - last).max(0.0));
        s.last_ms = Some(now);
        Frame { delta_ms }
    };
    // Taken out while it runs, so a callback that pauses or resumes cannot re-borrow.
    let mut callback = std::mem::replace(&mut state.borrow_mut().callback, Box::new(|_| {}));
    callback(frame);
    state.borrow_mut().callback = callback;
    if state.borrow().running {
        schedule(state);
    }
}

fn set_running(state: &Rc<RefCell<LoopState>>, run: bool) {
    let was = state.borrow().running;
    if run == was {
        return;
    }
    if run {
        {
            let mut s = state.borrow_mut();
            s.running = true;
            s.last_ms = None;
        }
        schedule(state);
    } else {
        let mut s = state.borrow_mut();
        s.running = false;
        if let Some(handle) = s.handle.take() {
            handle.cancel();
        }
    }
}

/// Whether the document is visible; follows `visibilitychange`. Visible during the first
/// render; the browser is asked in an effect (see `use_media_query`).
fn use_page_visible() -> Signal<bool> {
    let visible = RwSignal::new(true);
    Effect::new(move |_| {
        let document = document();
        visible.set(!document.hidden());
        let on_change = Closure::<dyn Fn()>::new({
            let document = document.clone();
            move || visible.set(!document.hidden())
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_change.as_ref().unchecked_ref(),
        );
        let listener = StoredValue::new_local((document, on_change));
        on_cleanup(move || {
            listener.try_with_value(|(document, on_change)| {
                let _ = document.remove_event_listener_with_callback(
                    "visibilitychange",
                    on_change.as_ref().unchecked_ref(),
                );
            });
        });
    });
    visible.into()
}

/// Calls `callback` once per animation frame while active, the tab is visible and the
/// part of the page it belongs to is on screen.
/// `start_active` says whether it runs from the start.
pub fn use_animation_frame(callback: impl FnMut(Frame) + 'static, start_active: bool) -> Pausable {
    let wanted = RwSignal::new(start_active);
    let visible = use_page_visible();
    let on_screen = use_on_screen();
    let running = Memo::new(move |_| wanted.get() && visible.get() && on_screen.get());
    let state = Rc::new(RefCell::new(LoopState {
        callback: Box::new(callback),
        handle: None,
        last_ms: None,
        running: false,
    }));
    let stored = StoredValue::new_local(Rc::clone(&state));
    // Talks to the browser: starts and stops the frame requests.
    Effect::new(move |_| {
        let run = running.get();
        stored.with_value(|state| set_running(state, run));
    });
    on_cleanup(move || {
        stored.try_with_value(|state| set_running(state, false));
    });
    Pausable { wanted, running }
}

/// An animation for the page: plays from the start when `allowed`, and pauses when the
/// reader asks the system for less motion (known just after the first render; the page
/// rendered at build time shows it playing).
pub fn use_animation(callback: impl FnMut(Frame) + 'static, allowed: bool) -> Pausable {
    let reduced_motion = use_prefers_reduced_motion();
    let animation = use_animation_frame(callback, allowed);
    // Runs once the preference is known, and again whenever it changes.
    Effect::new(move |_| {
        if reduced_motion.get() {
            animation.pause();
        }
    });
    animation
}
