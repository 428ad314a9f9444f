//! What the page's canvas charts share: a canvas sized to its CSS box at the device's
//! pixel density, the page's theme colours, "nice" value axes, and a redraw whenever what
//! a chart reads changes or the window is resized (a canvas's backing store does not
//! follow its box by itself).
//!
//! Charts draw with plotters' canvas backend and its drawing primitives; their axes are
//! laid out by hand rather than by plotters' `ChartBuilder`, whose generic mesh and label
//! machinery alone cost about 30 kB of the page's gzip budget.

use leptos::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, FontStyle, IntoFont, RGBColor, TextStyle};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

/// Intervals on a value axis.
const TICKS: u32 = 5;

/// A value axis from 0 to `top` in steps of `step`, both "nice" numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueAxis {
    pub step: f64,
    pub top: f64,
}

impl ValueAxis {
    /// The smallest axis of `TICKS` or fewer 1-, 2- or 5-times-a-power-of-ten steps that
    /// leaves some headroom above `max`.
    pub fn for_max(max: f64) -> ValueAxis {
        let max = if max.is_finite() && max > 0.0 {
            max * 1.1
        } else {
            1.0
        };
        let raw = max / TICKS as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        ValueAxis {
            step,
            top: (max / step).ceil() * step,
        }
    }

    /// The tick values, 0 to `top`.
    pub fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let n = (self.top / self.step).round() as u32;
        (0..=n).map(move |i| i as f64 * self.step)
    }

    /// A tick's label: as many decimals as the step needs, thousands as "k".
    pub fn label(&self, value: f64) -> String {
        let (value, step, suffix) = if self.step >= 1000.0 {
            (value / 1000.0, self.step / 1000.0, "k")
        } else {
            (value, self.step, "")
        };
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10().floor()) as usize
        };
        format!("{value:.decimals$}{suffix}")
    }
}

/// A colour token of the page (e.g. `--color-muted`) as the element's computed style has
/// it, so a chart's text follows the page's theme and contrast.
fn css_color(element: &web_sys::Element, token: &str) -> Option<RGBColor> {
    let window = window();
    let get_style: js_sys::Function = js_sys::Reflect::get(&window, &"getComputedStyle".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let style = get_style.call1(&window, element).ok()?;
    let get_value: js_sys::Function = js_sys::Reflect::get(&style, &"getPropertyValue".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let value = get_value.call1(&style, &token.into()).ok()?.as_string()?;
    let hex = value.trim().strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}

/// A canvas made ready to draw on: its backing store sized to its CSS box at the device's
/// pixel density (which also clears it), and the page's text colours.
pub struct ChartCanvas {
    pub backend: CanvasBackend,
    /// Device pixels per CSS pixel.
    pub ratio: f64,
    /// The drawing's size in device pixels.
    pub width: f64,
    pub height: f64,
    /// Axes, ticks and labels (`--color-muted`).
    pub ink: RGBColor,
    /// Emphasis (`--color-text`).
    pub text: RGBColor,
}

impl ChartCanvas {
    /// Sizes `canvas` to its CSS box, at least `min_width` by `min_height` CSS pixels.
    /// `None` when the browser gives no 2D context (the chart's table has the numbers).
    pub fn prepare(
        canvas: web_sys::HtmlCanvasElement,
        min_width: i32,
        min_height: i32,
    ) -> Option<ChartCanvas> {
        let ratio = window().device_pixel_ratio().max(1.0);
        let css_width = canvas.client_width().max(min_width) as f64;
        let css_height = canvas.client_height().max(min_height) as f64;
        canvas.set_width((css_width * ratio) as u32);
        canvas.set_height((css_height * ratio) as u32);
        // The light theme's values if the style is unreadable.
        let ink = css_color(&canvas, "--color-muted").unwrap_or(RGBColor(0x56, 0x60, 0x72));
        let text = css_color(&canvas, "--color-text").unwrap_or(RGBColor(0x15, 0x19, 0x22));
        Some(ChartCanvas {
            backend: CanvasBackend::with_canvas_object(canvas)?,
            ratio,
            width: css_width * ratio,
            height: css_height * ratio,
            ink,
            text,
        })
    }
}

/// The charts' 12 px sans-serif at `ratio` device pixels per CSS pixel, in `color`,
/// anchored at (`h`, `v`).
pub fn font(
    ratio: f64,
    style: FontStyle,
    color: &RGBColor,
    h: HPos,
    v: VPos,
) -> TextStyle<'static> {
    // The family as a value, not the string "sans-serif", whose parsing would pull
    // Unicode's whole lower-casing table into the bundle.
    (FontFamily::SansSerif, 12.0 * ratio)
        .into_font()
        .style(style)
        .color(color)
        .pos(Pos::new(h, v))
}

/// Draws the chart in `canvas` with `draw` once it is mounted, again whenever what `draw`
/// reads changes, and again when the window is resized, so the drawing keeps the size and
/// pixel density of its box.
pub fn use_chart(
    canvas: NodeRef<leptos::html::Canvas>,
    draw: impl Fn(web_sys::HtmlCanvasElement) + 'static,
) {
    let resized = RwSignal::new(0u32);
    // Effects only run in the browser, never while the page is rendered at build time.
    Effect::new(move |_| {
        let listener = window_event_listener(leptos::ev::resize, move |_| {
            resized.update(|n| *n = n.wrapping_add(1));
        });
        on_cleanup(move || listener.remove());
    });
    Effect::new(move |_| {
        resized.track();
        if let Some(c) = canvas.get() {
            draw(c);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_axes_use_nice_steps_and_leave_headroom() {
        let a = ValueAxis::for_max(41_234.0);
        assert_eq!((a.step, a.top), (10_000.0, 50_000.0));
        assert_eq!(a.ticks().count(), 6);
        assert_eq!(a.label(20_000.0), "20k");
        let a = ValueAxis::for_max(3.7);
        assert_eq!((a.step, a.top), (1.0, 5.0));
        let a = ValueAxis::for_max(0.42);
        assert_eq!(a.step, 0.1);
        assert_eq!(a.label(0.3), "0.3");
        let a = ValueAxis::for_max(1_800.0);
        assert_eq!((a.step, a.top), (500.0, 2_000.0));
        assert_eq!(a.label(1_500.0), "1500");
        let a = ValueAxis::for_max(2_300.0);
        assert_eq!((a.step, a.top), (1_000.0, 3_000.0));
        assert_eq!(a.label(3_000.0), "3k");
        // Nothing to show still gives a drawable axis.
        assert_eq!(ValueAxis::for_max(0.0).top, 1.0);
    }
}
