//! The sweep chart: throughput (left axis, blue circles) and p99 latency (right axis,
//! orange triangles) against the swept setting, with a dashed line at the user's value.
//!
//! Drawn with plotters' canvas backend and its drawing primitives (see
//! `ui::canvas_chart`).

use super::ChartAxis;
use crate::engine::tradeoff::SweepPoint;
use crate::ui::canvas_chart::{self, ChartCanvas, ValueAxis};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, FontStyle, FontTransform, RGBColor};
use plotters_backend::{BackendCoord, DrawingBackend};

const THROUGHPUT_COLOR: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const LATENCY_COLOR: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);

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
    let Some(ChartCanvas {
        mut backend,
        ratio,
        width,
        height,
        ink,
        text,
    }) = ChartCanvas::prepare(canvas, 320, 240)
    else {
        return;
    };
    if points.is_empty() {
        return;
    }
    let px = |css: f64| css * ratio;
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
    let font = |style: FontStyle, color: &RGBColor, h: HPos, v: VPos| {
        canvas_chart::font(ratio, style, color, h, v)
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
