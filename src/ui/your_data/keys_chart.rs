//! The share chart of "Your keys": one bar per partition (its share of the records) and
//! a dashed line at the even share, drawn with plotters' canvas backend and primitives,
//! as the trade-off chart is.

use crate::engine::keys::PartitionShares;
use crate::ui::canvas_chart::{self, ChartCanvas, ValueAxis};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, FontStyle, RGBColor, TextStyle};
use plotters_backend::DrawingBackend;

const BAR_COLOR: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const HOT_COLOR: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);

/// Each partition's share of the placed records, in percent.
pub fn shares_percent(shares: &PartitionShares) -> Vec<f64> {
    let placed: u64 = shares.records.iter().sum();
    shares
        .records
        .iter()
        .map(|&r| {
            if placed == 0 {
                0.0
            } else {
                100.0 * r as f64 / placed as f64
            }
        })
        .collect()
}

/// Which partitions get an axis label: all up to 16, then every n-th, and the last.
pub fn labelled(partitions: usize) -> impl Fn(usize) -> bool {
    let every = partitions.div_ceil(16).max(1);
    move |p| p % every == 0 || p + 1 == partitions
}

/// Draws the shares on `canvas`, sized to its CSS box at the device's pixel density;
/// the largest partition's bar in the accent colour. Failing to draw leaves the canvas
/// blank (the table beside it has the numbers).
pub fn draw(canvas: web_sys::HtmlCanvasElement, shares: &PartitionShares) {
    let Some(ChartCanvas {
        mut backend,
        ratio,
        width,
        height,
        ink,
        text,
    }) = ChartCanvas::prepare(canvas, 280, 200)
    else {
        return;
    };
    let percent = shares_percent(shares);
    let n = percent.len();
    if n == 0 {
        return;
    }
    let px = |css: f64| css * ratio;
    let (l, r, t, b) = (px(48.0), width - px(12.0), px(12.0), height - px(36.0));
    let max = percent.iter().copied().fold(0.0, f64::max);
    let axis = ValueAxis::for_max(max);
    let y = |v: f64| (b - v / axis.top * (b - t)).round() as i32;
    let column = (r - l) / n as f64;
    let font = |color: &RGBColor, h: HPos, v: VPos| -> TextStyle<'static> {
        canvas_chart::font(ratio, FontStyle::Normal, color, h, v)
    };
    let gap = px(6.0) as i32;
    let grid = ink.mix(0.25);
    let show_label = labelled(n);
    let _ = (|| -> Result<(), plotters_backend::DrawingErrorKind<_>> {
        for v in axis.ticks() {
            backend.draw_line((l as i32, y(v)), (r as i32, y(v)), &grid)?;
            let label = format!("{}%", axis.label(v));
            backend.draw_text(
                &label,
                &font(&ink, HPos::Right, VPos::Center),
                (l as i32 - gap, y(v)),
            )?;
        }
        for (p, &share) in percent.iter().enumerate() {
            let x0 = (l + p as f64 * column + column * 0.15).round() as i32;
            let x1 = (l + (p + 1) as f64 * column - column * 0.15).round() as i32;
            let color = if share == max { HOT_COLOR } else { BAR_COLOR };
            backend.draw_rect((x0, y(share)), (x1.max(x0 + 1), b as i32), &color, true)?;
            if show_label(p) {
                let x = (l + (p as f64 + 0.5) * column).round() as i32;
                backend.draw_text(
                    &p.to_string(),
                    &font(&ink, HPos::Center, VPos::Top),
                    (x, b as i32 + gap / 2),
                )?;
            }
        }
        backend.draw_line((l as i32, b as i32), (r as i32, b as i32), &ink)?;
        backend.draw_text(
            "partition",
            &font(&ink, HPos::Center, VPos::Bottom),
            (((l + r) / 2.0) as i32, height as i32 - gap / 2),
        )?;
        // The even share: where every bar would end if the keys spread perfectly.
        let even = y(100.0 / n as f64);
        let dash = px(6.0) as i32;
        let mut x = l as i32;
        while x < r as i32 {
            backend.draw_line(
                (x, even),
                ((x + dash).min(r as i32), even),
                &Color::stroke_width(&text, ratio as u32),
            )?;
            x += 2 * dash;
        }
        backend.draw_text(
            "even share",
            &font(&text, HPos::Right, VPos::Bottom),
            (r as i32, even - gap / 2),
        )?;
        backend.present()
    })();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_percentages_of_the_placed_records() {
        let shares = PartitionShares {
            partition_count: 4,
            records: vec![1, 1, 2, 0],
            keys: vec![1, 1, 1, 0],
            max_over_mean: 2.0,
            unplaced_records: 9,
        };
        assert_eq!(shares_percent(&shares), vec![25.0, 25.0, 50.0, 0.0]);
        let none = PartitionShares {
            records: vec![0, 0],
            ..shares
        };
        assert_eq!(shares_percent(&none), vec![0.0, 0.0]);
    }

    #[test]
    fn axis_labels_thin_out_past_sixteen_partitions() {
        let few = labelled(12);
        assert!((0..12).all(&few));
        let many = labelled(64);
        let shown: Vec<usize> = (0..64).filter(|&p| many(p)).collect();
        assert_eq!(
            shown,
            vec![0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 63]
        );
    }
}
