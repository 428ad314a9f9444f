//! The sweep chart: throughput (left axis, blue circles) and p99 latency (right axis,
//! orange triangles) against the swept setting, with a dashed line at the user's value.
//!
//! Drawn with plotters' canvas backend and its drawing primitives; the axes and ticks are
//! laid out here rather than by plotters' `ChartBuilder`, whose generic mesh and label
//! machinery alone cost about 30 kB of the page's 400 kB (gzip) budget.

use super::ChartAxis;
use crate::engine::tradeoff::SweepPoint;
use leptos::prelude::window;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontFamily, FontStyle, FontTransform, IntoFont, RGBColor, TextStyle};
use plotters_backend::{BackendCoord, DrawingBackend};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

/// Intervals on each value axis.
const TICKS: u32 = 5;
const THROUGHPUT_COLOR: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const LATENCY_COLOR: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);

/// A value axis from 0 to `top` in steps of `step`, both "nice" numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ValueAxis {
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

/// Where `value` falls on the chart's category axis (point `i` is at `i`): between two
/// points in proportion on a log scale (the sweeps grow about geometrically), and just
/// past either end when it is outside the sweep.
pub(super) fn axis_position(points: &[SweepPoint], value: f64) -> Option<f64> {
    let first = points.first()?;
    let last = points.last()?;
    if value <= first.x {
        return Some(if value < first.x { -0.35 } else { 0.0 });
    }
    if value >= last.x {
        let end = (points.len() - 1) as f64;
        return Some(if value > last.x { end + 0.35 } else { end });
    }
    let i = points.windows(2).position(|w| value <= w[1].x)?;
    let (a, b) = (points[i].x, points[i + 1].x);
    let scale = |x: f64| (x + 1.0).ln();
    let t = (scale(value) - scale(a)) / (scale(b) - scale(a)).max(f64::EPSILON);
    Some(i as f64 + t.clamp(0.0, 1.0))
}

/// A value of the swept setting as the axis shows it.
fn setting_label(axis: ChartAxis, x: f64) -> String {
    match axis {
        ChartAxis::LingerMs => format!("{x}"),
        ChartAxis::BatchSize if x >= 1024.0 => format!("{}K", x / 1024.0),
        ChartAxis::BatchSize => format!("{x}"),
    }
}

/// A colour token of the page (e.g. `--color-muted`) as the canvas's computed style has
/// it, so the chart's text follows the page's theme and contrast.
pub(crate) fn css_color(element: &web_sys::Element, token: &str) -> Option<RGBColor> {
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

/// The plot area in device pixels, and the mapping from data to it.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Points on the category axis.
    n: usize,
}

impl Frame {
    /// Category `i` (fractional between points) to x: point `i` at the centre of the
    /// i-th of `n` equal columns.
    fn x(&self, i: f64) -> i32 {
        (self.left + (i + 0.5) / self.n as f64 * (self.right - self.left)).round() as i32
    }

    fn y(&self, value: f64, axis: &ValueAxis) -> i32 {
        (self.bottom - value / axis.top * (self.bottom - self.top)).round() as i32
    }
}

/// Draws the sweep on `canvas`, sized to its CSS box at the device's pixel density.
/// Failing to draw leaves the canvas blank (the data table below it has the numbers).
pub(super) fn draw(
    canvas: web_sys::HtmlCanvasElement,
    axis: ChartAxis,
    points: &[SweepPoint],
    yours: f64,
) {
    let ratio = window().device_pixel_ratio().max(1.0);
    let css_width = canvas.client_width().max(320) as f64;
    let css_height = canvas.client_height().max(240) as f64;
    // Setting the size also clears the canvas.
    canvas.set_width((css_width * ratio) as u32);
    canvas.set_height((css_height * ratio) as u32);
    // The page's text tokens (the light theme's values if the style is unreadable).
    let ink = css_color(&canvas, "--color-muted").unwrap_or(RGBColor(0x56, 0x60, 0x72));
    let text = css_color(&canvas, "--color-text").unwrap_or(RGBColor(0x15, 0x19, 0x22));
    let Some(mut backend) = CanvasBackend::with_canvas_object(canvas) else {
        return;
    };
    if points.is_empty() {
        return;
    }
    let px = |css: f64| css * ratio;
    let (width, height) = (css_width * ratio, css_height * ratio);
    let frame = Frame {
        left: px(64.0),
        right: width - px(56.0),
        top: px(12.0),
        bottom: height - px(48.0),
        n: points.len(),
    };
    let throughput =
        ValueAxis::for_max(points.iter().map(|p| p.records_per_sec).fold(0.0, f64::max));
    let latency = ValueAxis::for_max(points.iter().map(|p| p.p99_ms).fold(0.0, f64::max));
    let font = |style: FontStyle, color: &RGBColor, h: HPos, v: VPos| -> TextStyle<'static> {
        // The family as a value, not the string "sans-serif", whose parsing would pull
        // Unicode's whole lower-casing table into the bundle.
        (FontFamily::SansSerif, px(12.0))
            .into_font()
            .style(style)
            .color(color)
            .pos(Pos::new(h, v))
    };
    let label = font(FontStyle::Normal, &ink, HPos::Center, VPos::Top);
    let left_label = font(FontStyle::Normal, &ink, HPos::Right, VPos::Center);
    let right_label = font(FontStyle::Normal, &ink, HPos::Left, VPos::Center);
    let (l, r, t, b) = (
        frame.left as i32,
        frame.right as i32,
        frame.top as i32,
        frame.bottom as i32,
    );
    let gap = px(6.0) as i32;
    let stroke = (2.0 * ratio) as u32;
    let marker = (4.0 * ratio) as i32;
    let grid = ink.mix(0.25);

    let _ = (|| -> Result<(), plotters_backend::DrawingErrorKind<_>> {
        // Grid lines and labels of both value axes.
        for v in throughput.ticks() {
            let y = frame.y(v, &throughput);
            backend.draw_line((l, y), (r, y), &grid)?;
            backend.draw_text(&throughput.label(v), &left_label, (l - gap, y))?;
        }
        for v in latency.ticks() {
            let y = frame.y(v, &latency);
            backend.draw_line((r, y), (r + gap / 2, y), &ink)?;
            backend.draw_text(&latency.label(v), &right_label, (r + gap, y))?;
        }
        // The axes, and the swept setting's values under the points.
        backend.draw_line((l, t), (l, b), &ink)?;
        backend.draw_line((r, t), (r, b), &ink)?;
        backend.draw_line((l, b), (r, b), &ink)?;
        for (i, p) in points.iter().enumerate() {
            let x = frame.x(i as f64);
            backend.draw_line((x, b), (x, b + gap / 2), &ink)?;
            backend.draw_text(&setting_label(axis, p.x), &label, (x, b + gap))?;
        }
        let middle = (t + b) / 2;
        let description = |h: HPos, v: VPos| font(FontStyle::Normal, &ink, h, v);
        backend.draw_text(
            axis.id(),
            &description(HPos::Center, VPos::Bottom),
            ((l + r) / 2, height as i32 - gap / 2),
        )?;
        backend.draw_text(
            "records/s",
            &description(HPos::Center, VPos::Top).transform(FontTransform::Rotate270),
            (gap / 2, middle),
        )?;
        backend.draw_text(
            "p99 ms",
            &description(HPos::Center, VPos::Bottom).transform(FontTransform::Rotate270),
            (width as i32 - gap / 2, middle),
        )?;

        // The two series: lines, then a marker shape per point.
        let line = |color: RGBColor| Color::stroke_width(&color, stroke);
        let rps: Vec<BackendCoord> = (0..points.len())
            .map(|i| {
                (
                    frame.x(i as f64),
                    frame.y(points[i].records_per_sec, &throughput),
                )
            })
            .collect();
        let p99: Vec<BackendCoord> = (0..points.len())
            .map(|i| (frame.x(i as f64), frame.y(points[i].p99_ms, &latency)))
            .collect();
        backend.draw_path(rps.iter().copied(), &line(THROUGHPUT_COLOR))?;
        backend.draw_path(p99.iter().copied(), &line(LATENCY_COLOR))?;
        for &(x, y) in &rps {
            backend.draw_circle((x, y), marker as u32, &THROUGHPUT_COLOR, true)?;
        }
        let size = marker + 1;
        for &(x, y) in &p99 {
            let triangle = [(x, y - size), (x - size, y + size), (x + size, y + size)];
            backend.fill_polygon(triangle, &LATENCY_COLOR)?;
        }

        // Your setting: a dashed line with its value, so it is not told by colour alone.
        if let Some(at) = axis_position(points, yours) {
            let x = frame.x(at);
            let dash = ((b - t) / 40).max(1);
            for y in (t..b).step_by(2 * dash as usize) {
                backend.draw_line(
                    (x, y),
                    (x, (y + dash).min(b)),
                    &Color::stroke_width(&text, ratio as u32),
                )?;
            }
            let value = match axis {
                ChartAxis::LingerMs => format!("yours: {yours} ms"),
                ChartAxis::BatchSize => format!("yours: {}", setting_label(axis, yours)),
            };
            // Left of the line in the right half of the chart, right of it otherwise.
            let right_half = at > (points.len() as f64 - 1.0) / 2.0;
            let (h, dx) = if right_half {
                (HPos::Right, -gap)
            } else {
                (HPos::Left, gap)
            };
            let style = font(FontStyle::Bold, &text, h, VPos::Top);
            backend.draw_text(&value, &style, (x + dx, t + gap / 2))?;
        }
        backend.present()
    })();
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
