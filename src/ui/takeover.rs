//! Taking over the page rendered at build time (`src/bin/render-page.rs`).
//!
//! The page is taken over one live part at a time (`ui::PARTS`), each in a task of its
//! own, starting after the browser has painted the rendered page: no single long task
//! holds the page between its first paint and its first answer, and the rendered text
//! the reader sees first stays the page's largest contentful paint. Only the parts
//! within a screen of the viewport are taken over at once; the others when they come
//! that near, or synchronously when the reader reaches into one first (focus, a mouse
//! press, whose lost click is made again on release, a link to it), so no input finds
//! a part that is not live yet. A live part's element is marked `data-live`, and its
//! animations run only while it is on screen (`hooks::OnScreen`). The skip link, the
//! navigation and the footer have nothing live: they stay as rendered.
//!
//! For each part the app builds its own DOM off-screen and swaps it in for the rendered
//! element in one step, within one task: the browser paints the rendered part until then
//! and the app's identical part right after, with no frame in between (no flash, no
//! shift, the scroll position kept). Whatever the reader typed, ticked or chose before
//! is noted first and handed to the app's controls afterwards, as the input events they
//! listen to; the focus stays on the same control.
//!
//! Leptos's hydration would keep the rendered nodes instead, but its second copy of
//! every view's code costs about 45 kB of gzipped WebAssembly, which the page's bundle
//! budget has no room for (README, "Build-time rendering").

use super::hooks::{next_task, OnScreen};
use super::settings::{PageSettings, UrlNotice};
use super::Part;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{
    Document, Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit,
    PointerEvent,
};

/// The attribute `render-page` puts on `<body>` when it holds the rendered page.
pub const RENDERED_MARK: &str = "data-rendered";

const CONTROLS: &str = "input, select, textarea";

/// What can hold the focus: kept on the same element through a take-over.
const FOCUSABLE: &str = "a[href], button, input, select, textarea, summary, [tabindex]";

/// Blocks with no reactive content: where the app built the same markup, the
/// rendered block itself is kept, so the browser keeps counting its first paint as the
/// page's largest contentful paint (a new node would count as painted anew).
const STATIC_BLOCKS: &str = ".hero__text, .section__head, .cards";

/// A control the reader changed from its rendered state, by its place among its part's
/// controls (the app's part has the same controls in the same order).
struct ChangedControl {
    index: u32,
    change: Change,
}

enum Change {
    Value(String),
    Checked(bool),
}

/// Whether `body` holds the page rendered at build time.
pub fn is_rendered(body: &HtmlElement) -> bool {
    body.has_attribute(RENDERED_MARK)
}

/// The attribute each part's element gets once the app has taken it over.
pub const LIVE_MARK: &str = "data-live";

/// How near the viewport a part is taken over ahead of the reader: a screen above and
/// below, so that a reader scrolling at reading speed meets only live parts.
const NEAR: &str = "100% 0px";

/// The page while it is being taken over: the parts still waiting, and the queue of
/// those near the viewport, taken over one per task.
struct Page {
    document: Document,
    body: HtmlElement,
    settings: PageSettings,
    /// Owns each part's on-screen signal.
    owner: Owner,
    waiting: RefCell<Vec<Part>>,
    near: RefCell<VecDeque<&'static str>>,
    draining: Cell<bool>,
    /// Called once the parts near the viewport at load are live.
    ready: RefCell<Option<Box<dyn FnOnce()>>>,
    /// Tells each live part whether it is on screen.
    on_screen: RefCell<Vec<(&'static str, RwSignal<bool>)>>,
    screen: Option<IntersectionObserver>,
    /// A mouse press took its part over: the press's element was replaced, so its
    /// click never comes and is made again on release.
    pressed: Cell<bool>,
}

/// Takes over the rendered page in `body` once the browser has painted it: at once the
/// parts within a screen of the viewport (then calls `ready`), each in a task of its own;
/// every other part when it comes that near, or as soon as the reader reaches into it
/// otherwise (focus, a press, a link to it), synchronously, before the input is handled.
/// The parts share one set of page settings, read from the URL.
pub fn take_over_page(document: Document, body: HtmlElement, ready: impl FnOnce() + 'static) {
    // The settings and the on-screen signals live as long as the page.
    let owner = Owner::new_root(None);
    let settings = owner.with(PageSettings::from_location);
    // A frame is painted before the next task after this animation frame.
    request_animation_frame(move || {
        next_task(move || {
            show_url_notice(&document, settings);
            let page = Rc::new_cyclic(|page: &std::rc::Weak<Page>| {
                let page = page.clone();
                Page {
                    screen: observer("0px", move |id, shown| {
                        if let Some(page) = page.upgrade() {
                            page.set_on_screen(id, shown);
                        }
                    }),
                    document,
                    body,
                    settings,
                    owner,
                    waiting: RefCell::new(super::PARTS.to_vec()),
                    near: RefCell::new(VecDeque::new()),
                    draining: Cell::new(false),
                    ready: RefCell::new(Some(Box::new(ready))),
                    on_screen: RefCell::new(Vec::new()),
                    pressed: Cell::new(false),
                }
            });
            listen(&page);
            arrive_at_hash(&page);
            watch_nearness(&page);
        });
    });
}

/// An observer of elements' intersections with the viewport grown by `margin`, telling
/// `changed` each element's id and whether it intersects.
fn observer(
    margin: &str,
    changed: impl Fn(&'static str, bool) + 'static,
) -> Option<IntersectionObserver> {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            let entry = entry.unchecked_into::<IntersectionObserverEntry>();
            let id = entry.target().id();
            if let Some(&(id, _)) = super::PARTS.iter().find(|(part, _)| *part == id) {
                changed(id, entry.is_intersecting());
            }
        }
    });
    let options = IntersectionObserverInit::new();
    options.set_root_margin(margin);
    let observer =
        IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok();
    callback.forget();
    observer
}

/// Queues each part when it comes near the viewport; all of them where the browser
/// cannot tell.
fn watch_nearness(page: &Rc<Page>) {
    let near = observer(NEAR, {
        let page = Rc::clone(page);
        move |id, near| page.queue(near.then_some(id))
    });
    let ids: Vec<&'static str> = page.waiting.borrow().iter().map(|(id, _)| *id).collect();
    match near {
        // Its first report, in a task of its own, says which parts are near now.
        Some(near) => {
            for id in ids {
                if let Some(element) = page.document.get_element_by_id(id) {
                    near.observe(&element);
                }
            }
            std::mem::forget(near);
        }
        None => ids.into_iter().for_each(|id| page.queue(Some(id))),
    }
}

/// A link to a section (`#write-path`): its part is taken over first, before those at
/// the top, and the page brought to the live element (the browser was on its way to
/// the rendered one the take-over replaced).
fn arrive_at_hash(page: &Page) {
    let Some(target) = page.hash_target() else {
        return;
    };
    page.take_over_around(Some(target.into()));
    if let Some(target) = page.hash_target() {
        target.scroll_into_view();
    }
}

/// Takes a part over when the reader reaches into it before it came near: focus (Tab,
/// a script), a press, a link to it.
fn listen(page: &Rc<Page>) {
    let on = |target: &web_sys::EventTarget, name: &str, f: Box<dyn Fn(Event)>| {
        let closure = Closure::<dyn Fn(Event)>::new(f);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            name,
            closure.as_ref().unchecked_ref(),
            &options,
        );
        closure.forget();
    };
    let document: &web_sys::EventTarget = &page.document;
    let p = Rc::clone(page);
    on(
        document,
        "focusin",
        Box::new(move |event| {
            p.take_over_around(event.target());
        }),
    );
    let p = Rc::clone(page);
    on(
        document,
        "pointerdown",
        Box::new(move |event| {
            let mouse = event
                .dyn_ref::<PointerEvent>()
                .is_some_and(|e| e.pointer_type() != "touch");
            // A touch's click comes after the touch ends, on the element then under it.
            p.pressed.set(p.take_over_around(event.target()) && mouse);
        }),
    );
    let p = Rc::clone(page);
    on(
        document,
        "pointerup",
        Box::new(move |event| {
            if p.pressed.replace(false) {
                click_again(event.target());
            }
        }),
    );
    let p = Rc::clone(page);
    if let Some(window) = p.document.default_view() {
        on(
            &window,
            "hashchange",
            Box::new(move |_| {
                p.take_over_around(p.hash_target().map(Into::into));
            }),
        );
    }
}

/// What the press that took a part over would have done: the click, on the app's
/// element under the pointer when it was released (a list opens its options).
fn click_again(target: Option<web_sys::EventTarget>) {
    let Some(element) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    let _ = element.focus();
    if element.is_instance_of::<HtmlSelectElement>() {
        let show = js_sys::Reflect::get(&element, &"showPicker".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(show) = show {
            let _ = show.call0(&element);
        }
    } else {
        element.click();
    }
}

impl Page {
    /// Takes over the part `id` later, after those queued before it (with none, just
    /// makes sure `ready` is called once the queue is empty).
    fn queue(self: &Rc<Self>, id: Option<&'static str>) {
        self.near.borrow_mut().extend(id);
        if !self.draining.replace(true) {
            let page = Rc::clone(self);
            next_task(move || page.drain());
        }
    }

    /// Takes over the next queued part now and the rest in later tasks.
    fn drain(self: Rc<Self>) {
        let next = self.near.borrow_mut().pop_front();
        match next {
            Some(id) => {
                self.take_over_part(id);
                next_task(move || self.drain());
            }
            None => {
                self.draining.set(false);
                if let Some(ready) = self.ready.borrow_mut().take() {
                    ready();
                }
            }
        }
    }

    /// The element the URL's `#hash` names.
    fn hash_target(&self) -> Option<Element> {
        let hash = self.document.location()?.hash().ok()?;
        self.document.get_element_by_id(hash.strip_prefix('#')?)
    }

    /// Takes over at once the waiting part that holds `target`, if any; whether it did.
    fn take_over_around(&self, target: Option<web_sys::EventTarget>) -> bool {
        let Some(node) = target.and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else {
            return false;
        };
        let id = self.waiting.borrow().iter().find_map(|(id, _)| {
            self.document
                .get_element_by_id(id)
                .filter(|part| part.contains(Some(&node)))
                .map(|_| *id)
        });
        id.is_some_and(|id| self.take_over_part(id))
    }

    /// Takes over the part `id` if it is still waiting; whether it did.
    fn take_over_part(&self, id: &'static str) -> bool {
        let part = {
            let mut waiting = self.waiting.borrow_mut();
            let Some(at) = waiting.iter().position(|(part, _)| *part == id) else {
                return false;
            };
            waiting.remove(at)
        };
        let Some(rendered) = self.document.get_element_by_id(id) else {
            return false;
        };
        let timing = window().performance();
        let mark = format!("take-over #{id}");
        timing.as_ref().map(|t| t.mark(&mark));
        let settings = self.settings;
        let shown = self.owner.with(|| RwSignal::new(true));
        let view = part.1;
        take_over(&self.document, &rendered, move |into| {
            leptos::mount::mount_to(into, move || {
                provide_context(settings);
                provide_context(OnScreen(shown.into()));
                view()
            })
            .forget();
        });
        timing.map(|t| t.measure_with_start_mark(&mark, &mark));
        if let Some(live) = self.document.get_element_by_id(id) {
            let _ = live.set_attribute(LIVE_MARK, "");
            if let Some(screen) = &self.screen {
                screen.observe(&live);
            }
        }
        self.on_screen.borrow_mut().push((id, shown));
        if self.waiting.borrow().is_empty() {
            let _ = self.body.remove_attribute(RENDERED_MARK);
        }
        true
    }

    fn set_on_screen(&self, id: &str, shown: bool) {
        for (part, signal) in self.on_screen.borrow().iter() {
            if *part == id && signal.get_untracked() != shown {
                signal.set(shown);
            }
        }
    }
}

/// What a shared link asked for that could not be used, at the top of `<main>` (the
/// rendered page has no URL, so it never shows the notice).
fn show_url_notice(document: &Document, settings: PageSettings) {
    let Some(main) = document.get_element_by_id("main") else {
        return;
    };
    let Some(staging) = document.create_element("div").ok() else {
        return;
    };
    let into = staging.clone().unchecked_into::<HtmlElement>();
    leptos::mount::mount_to(into, move || {
        provide_context(settings);
        view! { <UrlNotice/> }
    })
    .forget();
    while let Some(node) = staging.last_child() {
        let _ = main.prepend_with_node_1(&node);
    }
}

/// Replaces the `rendered` element with the app's, built by `mount` into the element
/// it is given, keeping what the reader did with the rendered one.
pub fn take_over(document: &Document, rendered: &Element, mount: impl FnOnce(HtmlElement)) {
    let changed = changed_controls(rendered);
    let focused = document
        .active_element()
        .and_then(|active| index_in(rendered, FOCUSABLE, &active));
    let Some(staging) = document
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    mount(staging.clone());
    keep_static_blocks(rendered, &staging);
    let Some(built) = staging.first_element_child() else {
        return;
    };
    let nodes = js_sys::Array::new();
    while let Some(node) = staging.first_child() {
        let _ = staging.remove_child(&node);
        nodes.push(&node);
    }
    let _ = rendered.replace_with_with_node(&nodes);

    restore(&built, changed);
    if let Some(index) = focused {
        if let Some(control) = all(&built, FOCUSABLE)
            .into_iter()
            .nth(index as usize)
            .and_then(|c| c.dyn_into::<HtmlElement>().ok())
        {
            let _ = control.focus();
        }
    }
}

/// Puts the rendered static blocks in place of the app's identical ones.
fn keep_static_blocks(rendered: &Element, built: &Element) {
    let (old, new) = (all(rendered, STATIC_BLOCKS), all(built, STATIC_BLOCKS));
    if old.len() != new.len() {
        return;
    }
    for (old, new) in old.iter().zip(&new) {
        // Same text and shape (attribute order may differ between the two renderers).
        let same = old.text_content() == new.text_content()
            && old.child_element_count() == new.child_element_count()
            && old.get_elements_by_tag_name("*").length()
                == new.get_elements_by_tag_name("*").length();
        if same {
            let _ = new.replace_with_with_node_1(old);
        }
    }
}

fn controls(root: &Element) -> Vec<Element> {
    all(root, CONTROLS)
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn index_in(root: &Element, selector: &str, element: &Element) -> Option<u32> {
    all(root, selector)
        .iter()
        .position(|c| c.is_same_node(Some(element)))
        .and_then(|i| u32::try_from(i).ok())
}

/// The controls whose value differs from the markup's.
fn changed_controls(root: &Element) -> Vec<ChangedControl> {
    controls(root)
        .into_iter()
        .zip(0..)
        .filter_map(|(element, index)| {
            let change = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "checkbox" | "radio" => (input.checked() != input.default_checked())
                        .then(|| Change::Checked(input.checked())),
                    _ => (input.value() != input.default_value())
                        .then(|| Change::Value(input.value())),
                }
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                (Ok(area.value()) != area.default_value()).then(|| Change::Value(area.value()))
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                let rendered = select
                    .query_selector("option[selected]")
                    .ok()
                    .flatten()
                    .and_then(|o| o.get_attribute("value"));
                rendered
                    .is_some_and(|r| r != select.value())
                    .then(|| Change::Value(select.value()))
            } else {
                None
            };
            Some(ChangedControl {
                index,
                change: change?,
            })
        })
        .collect()
}

/// Sets each control as the reader left it and tells the app, as the browser would have.
fn restore(root: &Element, changed: Vec<ChangedControl>) {
    let all = controls(root);
    for ChangedControl { index, change } in changed {
        let Some(element) = all.get(index as usize) else {
            continue;
        };
        match change {
            Change::Value(value) => {
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    input.set_value(&value);
                } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                    area.set_value(&value);
                } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                    select.set_value(&value);
                }
            }
            Change::Checked(checked) => {
                if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    input.set_checked(checked);
                }
            }
        }
        for name in ["input", "change"] {
            let init = EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = Event::new_with_event_init_dict(name, &init) {
                let _ = element.dispatch_event(&event);
            }
        }
    }
}
