//! What the section's results panel says, computed from where the measurement is: the
//! status line, the four score bars with their figures, and the table of figures. Plain
//! data with methods, tested natively; the `Results` component only lays it out.

use crate::engine::tradeoff::{Findings, PartialScores, Progress, RunKind};
use crate::engine::RunSummary;

/// A value from the measurement in progress, or else the last one (marked stale).
#[derive(Clone, Debug, PartialEq)]
pub struct Shown<T> {
    pub value: Option<T>,
    pub stale: bool,
}

/// `pick` of the `current` findings, or else of the `previous` ones (stale).
pub fn shown<T>(
    current: &Findings,
    previous: Option<&Findings>,
    pick: impl Fn(&Findings) -> Option<T>,
) -> Shown<T> {
    match pick(current) {
        Some(value) => Shown {
            value: Some(value),
            stale: false,
        },
        None => Shown {
            value: previous.and_then(pick),
            stale: true,
        },
    }
}

/// The four scores, in the order the bars show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    Throughput,
    Durability,
    Latency,
    Risk,
}

impl Score {
    pub const ALL: [Score; 4] = [
        Score::Throughput,
        Score::Durability,
        Score::Latency,
        Score::Risk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Score::Throughput => "Throughput",
            Score::Durability => "Durability",
            Score::Latency => "Latency",
            Score::Risk => "Risk",
        }
    }

    /// For element ids, classes and `data-score`.
    pub fn id(self) -> &'static str {
        match self {
            Score::Throughput => "throughput",
            Score::Durability => "durability",
            Score::Latency => "latency",
            Score::Risk => "risk",
        }
    }

    pub fn direction(self) -> &'static str {
        match self {
            Score::Throughput | Score::Durability => "higher is better",
            Score::Latency | Score::Risk => "lower is better",
        }
    }

    fn pick(self, scores: &PartialScores) -> Option<f64> {
        match self {
            Score::Throughput => scores.throughput,
            Score::Durability => scores.durability,
            Score::Latency => scores.latency,
            Score::Risk => scores.risk,
        }
    }
}

/// The figures table's rows, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    RecordsPerSec,
    MbPerSec,
    BatchSizeAvg,
    P99,
    CompressionRate,
    Replay,
}

impl Figure {
    pub const ALL: [Figure; 6] = [
        Figure::RecordsPerSec,
        Figure::MbPerSec,
        Figure::BatchSizeAvg,
        Figure::P99,
        Figure::CompressionRate,
        Figure::Replay,
    ];

    /// The row's name, and whether it is a Kafka metric's name (shown as code).
    pub fn name(self) -> (&'static str, bool) {
        match self {
            Figure::RecordsPerSec => ("Throughput", false),
            Figure::MbPerSec => ("Bandwidth", false),
            Figure::BatchSizeAvg => ("batch-size-avg", true),
            Figure::P99 => ("p99 latency", false),
            Figure::CompressionRate => ("compression-rate-avg", true),
            Figure::Replay => ("Lost / duplicated in the replays", false),
        }
    }

    /// For `data-figure`.
    pub fn id(self) -> &'static str {
        match self {
            Figure::RecordsPerSec => "records-per-sec",
            Figure::MbPerSec => "mb-per-sec",
            Figure::BatchSizeAvg => "batch-size-avg",
            Figure::P99 => "p99-ms",
            Figure::CompressionRate => "compression-rate",
            Figure::Replay => "replay",
        }
    }
}

/// Where the measurement is, as the panel needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readout {
    /// What the measurement in progress found so far.
    pub findings: Findings,
    /// What the previous one found, kept until the new scores are in.
    pub previous: Option<Findings>,
    pub progress: Option<Progress>,
    /// Milliseconds from the settings' change to all four scores.
    pub scores_ms: Option<f64>,
    /// Kafka would refuse the settings: nothing is measured.
    pub invalid: bool,
}

impl Readout {
    /// `pick` of the findings in progress, or else of the previous ones (stale).
    pub fn shown<T>(&self, pick: impl Fn(&Findings) -> Option<T>) -> Shown<T> {
        shown(&self.findings, self.previous.as_ref(), pick)
    }

    /// The scores are still being measured.
    pub fn busy(&self) -> bool {
        !self.invalid && !self.progress.is_some_and(|p| p.scores_ready)
    }

    /// The announced status line (it changes only a few times per measurement).
    pub fn status(&self) -> String {
        if self.invalid {
            return "Kafka would refuse these settings, so nothing was measured.".to_string();
        }
        match (self.progress, self.scores_ms) {
            (Some(p), Some(ms)) if p.scores_ready => format!("Measured in {ms:.0} ms."),
            _ => "Measuring…".to_string(),
        }
    }

    /// Which run is going on (not announced).
    pub fn detail(&self) -> String {
        match self.progress {
            Some(p) if !p.done && !self.invalid => format!(
                "{} ({} of {} runs)",
                p.current.map_or("starting", |k: RunKind| k.label()),
                p.runs_done,
                p.runs_total
            ),
            _ => String::new(),
        }
    }

    /// How far the progress bar is, 0 to 1.
    pub fn fraction(&self) -> f64 {
        self.progress.map_or(0.0, |p| p.fraction())
    }

    /// A score, 0 to 100.
    pub fn score(&self, score: Score) -> Shown<f64> {
        let scores = self.shown(|f| Some(f.scores()));
        Shown {
            value: scores.value.and_then(|s| score.pick(&s)),
            stale: scores.stale,
        }
    }

    /// The measured numbers behind a score, in words (empty until they are in).
    pub fn score_figure(&self, score: Score) -> String {
        let text = match score {
            Score::Throughput => self.shown(|f| f.throughput.clone()).value.map(|t| {
                let reference = self
                    .findings
                    .reference
                    .as_ref()
                    .map(|r| r.records_per_sec)
                    .filter(|r| *r > 0.0);
                format!(
                    "{} records/s, {:.1} MB/s (×{:.2} Kafka's defaults)",
                    group_thousands(t.records_per_sec),
                    t.mb_per_sec,
                    reference.map_or(1.0, |r| t.records_per_sec / r),
                )
            }),
            Score::Durability => self.replays().value.map(|(c, x)| {
                format!(
                    "{} of {} records acknowledged and then lost in the failure replays",
                    group_thousands((c.fates.acked_lost + x.fates.acked_lost) as f64),
                    group_thousands((c.records_sent + x.records_sent) as f64),
                )
            }),
            Score::Latency => self.shown(|f| f.latency.clone()).value.map(|l| {
                format!(
                    "p99 {}, p50 {} at 5,000 records/s",
                    format_ms(l.latency.p99_ms),
                    format_ms(l.latency.p50_ms),
                )
            }),
            Score::Risk => self.replays().value.map(|(c, x)| {
                format!(
                    "{} lost, {} duplicated, {} out of order; {} failed with an error the application saw",
                    group_thousands((c.fates.acked_lost + x.fates.acked_lost) as f64),
                    group_thousands((c.fates.duplicated + x.fates.duplicated) as f64),
                    group_thousands((c.fates.reordered + x.fates.reordered) as f64),
                    group_thousands((c.fates.failed + x.fates.failed) as f64),
                )
            }),
        };
        text.unwrap_or_default()
    }

    /// A row of the figures table.
    pub fn figure(&self, figure: Figure) -> Shown<String> {
        match figure {
            Figure::RecordsPerSec => self
                .throughput_figure(|t| format!("{} records/s", group_thousands(t.records_per_sec))),
            Figure::MbPerSec => self.throughput_figure(|t| format!("{:.1} MB/s", t.mb_per_sec)),
            Figure::BatchSizeAvg => self.shown(|f| {
                f.latency.as_ref().map(|l| {
                    format!(
                        "{} bytes at 5,000 records/s",
                        group_thousands(l.metrics.batch_size_avg)
                    )
                })
            }),
            Figure::P99 => self.shown(|f| f.latency.as_ref().map(|l| format_ms(l.latency.p99_ms))),
            Figure::CompressionRate => self.throughput_figure(|t| {
                let rate = t.metrics.compression_rate_avg;
                if rate > 0.0 && rate < 1.0 {
                    format!("{rate:.2} ({:.1}× smaller)", 1.0 / rate)
                } else {
                    format!("{rate:.2}")
                }
            }),
            Figure::Replay => {
                let replays = self.replays();
                Shown {
                    value: replays.value.map(|(c, x)| {
                        format!(
                            "{} lost, {} duplicated",
                            group_thousands((c.fates.acked_lost + x.fates.acked_lost) as f64),
                            group_thousands((c.fates.duplicated + x.fates.duplicated) as f64),
                        )
                    }),
                    stale: replays.stale,
                }
            }
        }
    }

    fn throughput_figure(&self, text: impl Fn(&RunSummary) -> String) -> Shown<String> {
        self.shown(|f| f.throughput.as_ref().map(&text))
    }

    /// Both failure replays, once both are done.
    fn replays(&self) -> Shown<(RunSummary, RunSummary)> {
        self.shown(|f| Some((f.leader_crash.clone()?, f.lost_response.clone()?)))
    }
}

/// `n` rounded, with thousands separated by commas.
pub fn group_thousands(n: f64) -> String {
    let n = n.max(0.0).round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Milliseconds with as many decimals as are meaningful.
pub fn format_ms(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(records_per_sec: f64) -> RunSummary {
        RunSummary {
            records_per_sec,
            mb_per_sec: records_per_sec * 200.0 / 1e6,
            ..RunSummary::default()
        }
    }

    fn progress(scores_ready: bool, done: bool) -> Option<Progress> {
        Some(Progress {
            runs_done: 2,
            runs_total: 5,
            current: Some(RunKind::Latency),
            scores_ready,
            done,
        })
    }

    #[test]
    fn the_status_says_measuring_then_how_long_it_took_or_that_kafka_refuses() {
        let mut readout = Readout {
            progress: progress(false, false),
            ..Readout::default()
        };
        assert_eq!(readout.status(), "Measuring…");
        assert!(readout.busy());
        assert_eq!(readout.detail(), "latency at a steady rate (2 of 5 runs)");
        readout.progress = progress(true, true);
        readout.scores_ms = Some(212.4);
        assert_eq!(readout.status(), "Measured in 212 ms.");
        assert!(!readout.busy());
        assert_eq!(readout.detail(), "");
        readout.invalid = true;
        assert!(readout.status().starts_with("Kafka would refuse"));
        assert!(!readout.busy());
    }

    #[test]
    fn a_value_not_measured_yet_shows_the_previous_one_marked_stale() {
        let previous = Findings {
            throughput: Some(summary(50_000.0)),
            ..Findings::default()
        };
        let mut readout = Readout {
            previous: Some(previous),
            ..Readout::default()
        };
        assert_eq!(
            readout.figure(Figure::RecordsPerSec),
            Shown {
                value: Some("50,000 records/s".to_string()),
                stale: true
            }
        );
        readout.findings.throughput = Some(summary(1_234_567.0));
        assert_eq!(
            readout.figure(Figure::RecordsPerSec),
            Shown {
                value: Some("1,234,567 records/s".to_string()),
                stale: false
            }
        );
        assert_eq!(
            readout.figure(Figure::P99).value,
            None,
            "no latency run yet"
        );
    }

    #[test]
    fn throughput_is_compared_with_kafkas_defaults() {
        let readout = Readout {
            findings: Findings {
                reference: Some(summary(40_000.0)),
                throughput: Some(summary(100_000.0)),
                ..Findings::default()
            },
            ..Readout::default()
        };
        assert_eq!(
            readout.score_figure(Score::Throughput),
            "100,000 records/s, 20.0 MB/s (×2.50 Kafka's defaults)"
        );
        assert_eq!(readout.score_figure(Score::Risk), "", "no replays yet");
        assert_eq!(readout.score(Score::Risk).value, None);
    }

    #[test]
    fn the_replays_add_up_both_failures() {
        let mut crash = summary(1000.0);
        crash.records_sent = 1500;
        crash.fates.acked_lost = 3;
        crash.fates.duplicated = 1;
        let mut lost_response = summary(1000.0);
        lost_response.records_sent = 2500;
        lost_response.fates.duplicated = 1200;
        let readout = Readout {
            findings: Findings {
                leader_crash: Some(crash),
                lost_response: Some(lost_response),
                ..Findings::default()
            },
            ..Readout::default()
        };
        assert_eq!(
            readout.score_figure(Score::Durability),
            "3 of 4,000 records acknowledged and then lost in the failure replays"
        );
        assert_eq!(
            readout.figure(Figure::Replay).value.as_deref(),
            Some("3 lost, 1,201 duplicated")
        );
        assert!(readout.score(Score::Durability).value.is_some());
    }

    #[test]
    fn numbers_are_written_for_people() {
        assert_eq!(group_thousands(0.4), "0");
        assert_eq!(group_thousands(999.6), "1,000");
        assert_eq!(group_thousands(12_345_678.0), "12,345,678");
        assert_eq!(format_ms(3.14159), "3.14 ms");
        assert_eq!(format_ms(31.4159), "31.4 ms");
        assert_eq!(format_ms(314.159), "314 ms");
    }
}
