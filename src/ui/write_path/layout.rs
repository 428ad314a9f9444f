//! Where everything in the write-path diagram goes, for a wide screen (brokers side by
//! side) or a narrow one (brokers stacked). Pure geometry, no Kafka.

/// Height of the lane above the brokers that carries writes to leaders past broker 0.
const WIDE_CHANNEL_H: f64 = 20.0;

/// A point in the diagram's SVG user units.
pub type Point = (f64, f64);

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn center(&self) -> Point {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    pub fn right_mid(&self) -> Point {
        (self.x + self.w, self.y + self.h / 2.0)
    }
    pub fn left_mid(&self) -> Point {
        (self.x, self.y + self.h / 2.0)
    }
    pub fn top_mid(&self) -> Point {
        (self.x + self.w / 2.0, self.y)
    }
    pub fn bottom_mid(&self) -> Point {
        (self.x + self.w / 2.0, self.y + self.h)
    }
}

/// Side by side for wide screens; stacked for phones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Wide,
    Tall,
}

/// The diagram's boxes for `brokers` brokers and `partitions` partitions.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub orientation: Orientation,
    pub width: f64,
    pub height: f64,
    pub app: Rect,
    pub partitioner: Rect,
    /// The producer box that holds the accumulator slots.
    pub accumulator: Rect,
    /// One slot per partition, where its batches wait.
    pub batch_slots: Vec<Rect>,
    /// One box per broker, in the order given.
    pub brokers: Vec<Rect>,
    /// `replica_slots[b][p]`: where partition `p`'s replica on broker `b` is drawn.
    pub replica_slots: Vec<Vec<Rect>>,
}

impl Layout {
    pub fn new(orientation: Orientation, brokers: usize, partitions: usize) -> Self {
        let brokers = brokers.max(1);
        let partitions = partitions.max(1);
        match orientation {
            Orientation::Wide => Self::wide(brokers, partitions),
            Orientation::Tall => Self::tall(brokers, partitions),
        }
    }

    fn wide(brokers: usize, partitions: usize) -> Self {
        let row_h = 64.0;
        // Above the boxes (which start at `top - 34`) runs the channel that carries writes
        // to leaders past broker 0, one lane per partition.
        let top = 56.0 + WIDE_CHANNEL_H;
        let rows_h = partitions as f64 * row_h;
        let height = top + rows_h + 28.0;
        let mid = top + rows_h / 2.0 - 8.0;
        let app = Rect {
            x: 8.0,
            y: mid - 30.0,
            w: 92.0,
            h: 60.0,
        };
        let partitioner = Rect {
            x: 122.0,
            y: mid - 30.0,
            w: 104.0,
            h: 60.0,
        };
        let accumulator = Rect {
            x: 246.0,
            y: top - 34.0,
            w: 124.0,
            h: rows_h + 40.0,
        };
        let batch_slots = (0..partitions)
            .map(|p| Rect {
                x: 262.0,
                y: top + p as f64 * row_h + 6.0,
                w: 92.0,
                h: 44.0,
            })
            .collect();
        let broker_w = 168.0;
        let gap = 18.0;
        let first_x = 410.0;
        let broker_rects: Vec<Rect> = (0..brokers)
            .map(|b| Rect {
                x: first_x + b as f64 * (broker_w + gap),
                y: top - 34.0,
                w: broker_w,
                h: rows_h + 40.0,
            })
            .collect();
        let replica_slots = broker_rects
            .iter()
            .map(|r| {
                (0..partitions)
                    .map(|p| Rect {
                        x: r.x + 10.0,
                        y: top + p as f64 * row_h + 6.0,
                        w: r.w - 20.0,
                        h: 50.0,
                    })
                    .collect()
            })
            .collect();
        let width = first_x + brokers as f64 * (broker_w + gap) - gap + 8.0;
        Layout {
            orientation: Orientation::Wide,
            width,
            height,
            app,
            partitioner,
            accumulator,
            batch_slots,
            brokers: broker_rects,
            replica_slots,
        }
    }

    fn tall(brokers: usize, partitions: usize) -> Self {
        let width = 360.0;
        let col_w = (width - 20.0) / partitions as f64;
        let app = Rect {
            x: 10.0,
            y: 8.0,
            w: 150.0,
            h: 48.0,
        };
        let partitioner = Rect {
            x: 200.0,
            y: 8.0,
            w: 150.0,
            h: 48.0,
        };
        // The accumulator's name sits just above its box (see `accumulator_label`), clear
        // of the partitioner's arrows; each slot's "Px · n queued" sits inside the slot.
        let accumulator = Rect {
            x: 6.0,
            y: 78.0,
            w: width - 12.0,
            h: 72.0,
        };
        let batch_slots = (0..partitions)
            .map(|p| Rect {
                x: 10.0 + p as f64 * col_w + 4.0,
                y: 86.0,
                w: col_w - 8.0,
                h: 56.0,
            })
            .collect();
        let band_h = 112.0;
        let first_y = 186.0;
        let broker_rects: Vec<Rect> = (0..brokers)
            .map(|b| Rect {
                x: 6.0,
                y: first_y + b as f64 * (band_h + 14.0),
                w: width - 12.0,
                h: band_h,
            })
            .collect();
        let replica_slots = broker_rects
            .iter()
            .map(|r| {
                (0..partitions)
                    .map(|p| Rect {
                        x: 10.0 + p as f64 * col_w + 4.0,
                        y: r.y + 30.0,
                        w: col_w - 8.0,
                        h: 74.0,
                    })
                    .collect()
            })
            .collect();
        let height = first_y + brokers as f64 * (band_h + 14.0) + 4.0;
        Layout {
            orientation: Orientation::Tall,
            width,
            height,
            app,
            partitioner,
            accumulator,
            batch_slots,
            brokers: broker_rects,
            replica_slots,
        }
    }

    /// Where the "RecordAccumulator" label starts: inside the box's top-left corner when
    /// wide, just above the box when tall (the partitioner's arrows cross the box's top).
    pub fn accumulator_label(&self) -> Point {
        let acc = self.accumulator;
        match self.orientation {
            Orientation::Wide => (acc.x + 6.0, acc.y + 16.0),
            Orientation::Tall => (acc.x + 2.0, acc.y - 6.0),
        }
    }

    /// Where a partition's "Px · n queued" label starts: above its slot when wide, inside
    /// the slot's top when tall (the arrow lands on the slot's top edge).
    pub fn slot_label(&self, partition: usize) -> Option<Point> {
        let slot = self.batch_slots.get(partition)?;
        Some(match self.orientation {
            Orientation::Wide => (slot.x + 4.0, slot.y - 3.0),
            Orientation::Tall => (slot.x + 5.0, slot.y + 16.0),
        })
    }

    /// Where a batch waits in its slot: below the label when the label is inside.
    pub fn slot_token(&self, partition: usize) -> Option<Point> {
        let slot = self.batch_slots.get(partition)?;
        Some(match self.orientation {
            Orientation::Wide => slot.center(),
            Orientation::Tall => (slot.x + slot.w / 2.0, slot.y + slot.h - 18.0),
        })
    }

    /// The write route from a partition's batch slot to its leader's replica slot. It
    /// runs in the gaps between boxes, never across another broker or a replica's text,
    /// and ends at the replica's offset row, where a batch on the leader rests without
    /// hiding the replica's title or numbers.
    pub fn write_route(&self, partition: usize, broker_index: usize) -> Option<Vec<Point>> {
        let from = self.batch_slots.get(partition)?;
        let to = self.replica_slots.get(broker_index)?.get(partition)?;
        let broker = self.brokers.get(broker_index)?;
        let end = match self.orientation {
            Orientation::Wide => (to.x, to.y + to.h - 7.0),
            Orientation::Tall => (to.x, to.y + to.h - 11.0),
        };
        Some(match self.orientation {
            Orientation::Wide => {
                let start = from.right_mid();
                let lane = partition as f64 * 5.0;
                // Between the accumulator and broker 0.
                let riser_x = self.accumulator.x + self.accumulator.w + 14.0 + lane;
                if broker_index == 0 {
                    vec![start, (riser_x, start.1), (riser_x, end.1), end]
                } else {
                    // Over the brokers in the channel, then down the gap before the leader's.
                    let channel_y = broker.y - WIDE_CHANNEL_H + 6.0 + lane;
                    let drop_x = broker.x - 14.0 + lane;
                    vec![
                        start,
                        (riser_x, start.1),
                        (riser_x, channel_y),
                        (drop_x, channel_y),
                        (drop_x, end.1),
                        end,
                    ]
                }
            }
            Orientation::Tall => {
                let start = from.bottom_mid();
                let turn_y = from.y + from.h + 10.0;
                let gap_x = to.x - 4.0;
                vec![
                    start,
                    (start.0, turn_y),
                    (gap_x, turn_y),
                    (gap_x, end.1),
                    end,
                ]
            }
        })
    }

    /// The replication route from the leader's replica slot to a follower's, through
    /// the gap below the row (wide) or beside the column (tall).
    pub fn replication_route(
        &self,
        partition: usize,
        leader_index: usize,
        follower_index: usize,
    ) -> Option<Vec<Point>> {
        let from = self.replica_slots.get(leader_index)?.get(partition)?;
        let to = self.replica_slots.get(follower_index)?.get(partition)?;
        let side = if follower_index > leader_index {
            1.0
        } else {
            -1.0
        };
        Some(match self.orientation {
            Orientation::Wide => {
                let gap_y = from.y + from.h + 7.0;
                let start_x = from.x + from.w / 2.0 + side * 12.0;
                let end_x = to.x + to.w / 2.0 - side * 12.0;
                vec![
                    (start_x, from.y + from.h),
                    (start_x, gap_y),
                    (end_x, gap_y),
                    (end_x, to.y + to.h),
                ]
            }
            Orientation::Tall => {
                let gap_x = from.x + from.w + 4.0;
                let start_y = from.y + from.h / 2.0 + side * 10.0;
                let end_y = to.y + to.h / 2.0 - side * 10.0;
                vec![
                    (from.x + from.w, start_y),
                    (gap_x, start_y),
                    (gap_x, end_y),
                    (to.x + to.w, end_y),
                ]
            }
        })
    }
}

/// SVG path data for a polyline.
pub fn path_d(points: &[Point]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" }))
        .collect()
}

/// A point `t` (0..1) of the way along a polyline, by length.
pub fn along_path(points: &[Point], t: f64) -> Point {
    let Some(&first) = points.first() else {
        return (0.0, 0.0);
    };
    let lengths: Vec<f64> = points
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
        .collect();
    let total: f64 = lengths.iter().sum();
    if total <= 0.0 {
        return first;
    }
    let mut remaining = t.clamp(0.0, 1.0) * total;
    for (i, len) in lengths.iter().enumerate() {
        if remaining <= *len && *len > 0.0 {
            return along_line((points[i], points[i + 1]), remaining / len);
        }
        remaining -= len;
    }
    *points.last().unwrap_or(&first)
}

/// A point `t` (0..1) of the way along a straight line.
pub fn along_line((a, b): (Point, Point), t: f64) -> Point {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether an axis-aligned segment passes through the inside of `r` (touching its
    /// edge does not count).
    fn crosses(a: Point, b: Point, r: &Rect) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x1 > r.x && x0 < r.x + r.w && y1 > r.y && y0 < r.y + r.h
    }

    #[test]
    fn wide_writes_never_cross_a_broker_other_than_the_leader() {
        let l = Layout::new(Orientation::Wide, 3, 3);
        for p in 0..3 {
            for leader in 0..3 {
                let route = l.write_route(p, leader).unwrap();
                // All but the last segment (which enters the replica) stay outside every
                // broker; the last crosses only the leader's box.
                let (last, rest) = route
                    .windows(2)
                    .collect::<Vec<_>>()
                    .split_last()
                    .map(|(l, r)| (*l, r.to_vec()))
                    .unwrap();
                for w in rest {
                    for (b, r) in l.brokers.iter().enumerate() {
                        assert!(
                            !crosses(w[0], w[1], r),
                            "P{p} to broker {leader} crosses broker {b}"
                        );
                    }
                }
                for (b, r) in l.brokers.iter().enumerate().filter(|(b, _)| *b != leader) {
                    assert!(!crosses(last[0], last[1], r), "P{p} enters broker {b}");
                }
                assert_eq!(
                    *route.last().unwrap(),
                    (
                        l.replica_slots[leader][p].x,
                        l.replica_slots[leader][p].y + l.replica_slots[leader][p].h - 7.0
                    )
                );
            }
        }
    }

    #[test]
    fn tall_labels_clear_the_partitioner_arrows_and_the_waiting_batch() {
        let l = Layout::new(Orientation::Tall, 3, 3);
        let (label_x, label_y) = l.accumulator_label();
        assert!(label_y < l.accumulator.y, "the label sits above the box");
        // "RecordAccumulator" at 11 px is at most ~7 px a character wide.
        let label_end = label_x + 17.0 * 7.0;
        let from = l.partitioner.bottom_mid();
        for p in 0..3 {
            let to = l.batch_slots[p].top_mid();
            let t = (label_y - from.1) / (to.1 - from.1);
            let x_at_label = from.0 + (to.0 - from.0) * t;
            assert!(
                x_at_label > label_end,
                "P{p}'s arrow crosses the label at x {x_at_label}"
            );
            let slot = l.batch_slots[p];
            let (_, text_y) = l.slot_label(p).unwrap();
            let (_, token_y) = l.slot_token(p).unwrap();
            assert!(
                text_y > slot.y && text_y < token_y - 9.0,
                "P{p}'s label is inside the slot, above the batch"
            );
            assert!(token_y + 9.0 < slot.y + slot.h);
        }
    }
}
