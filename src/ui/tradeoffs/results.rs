//! What the section's results panel says, computed from where the measurement is: the
//! status line, the four score bars with their figures, and the table of figures. Plain
//! data with methods, tested natively; the `Results` component only lays it out.

use crate::engine::tradeoff::{
    Findings, MeasurementPlan, PartialScores, Progress, RunKind, LATENCY_LINGERS,
};
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

/// The runs the figures come from, in the order the panel groups them. A figure is only
/// ever shown under the run that measured it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// The throughput run: the workload sent as fast as the producer accepts it.
    FullSpeed,
    /// The latency run: a steady rate for at least five times `linger.ms`.
    SteadyRate,
    /// The leader-crash and lost-response replays.
    Replays,
}

impl Run {
    pub const ALL: [Run; 3] = [Run::FullSpeed, Run::SteadyRate, Run::Replays];

    /// For ids and `data-run`.
    pub fn id(self) -> &'static str {
        match self {
            Run::FullSpeed => "full-speed",
            Run::SteadyRate => "steady-rate",
            Run::Replays => "replays",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Run::FullSpeed => "Full-speed run",
            Run::SteadyRate => "Steady-rate run",
            Run::Replays => "Failure replays",
        }
    }

    /// The figures measured in this run, in order.
    pub fn figures(self) -> &'static [Figure] {
        match self {
            Run::FullSpeed => &[
                Figure::RecordsPerSec,
                Figure::MbPerSec,
                Figure::BatchSizeAvg(Run::FullSpeed),
                Figure::CompressionRate(Run::FullSpeed),
            ],
            Run::SteadyRate => &[
                Figure::P50,
                Figure::P99,
                Figure::BatchSizeAvg(Run::SteadyRate),
                Figure::CompressionRate(Run::SteadyRate),
            ],
            Run::Replays => &[Figure::Replay],
        }
    }

    /// The run's summary (both replays for [`Run::Replays`]).
    fn summaries(self, f: &Findings) -> Option<Vec<RunSummary>> {
        Some(match self {
            Run::FullSpeed => vec![f.throughput.clone()?],
            Run::SteadyRate => vec![f.latency.clone()?],
            Run::Replays => vec![f.leader_crash.clone()?, f.lost_response.clone()?],
        })
    }
}

/// A row of the figures table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    RecordsPerSec,
    MbPerSec,
    /// Kafka's `batch-size-avg` of one run's batches.
    BatchSizeAvg(Run),
    /// Kafka's `compression-rate-avg` of the same run's batches.
    CompressionRate(Run),
    P50,
    P99,
    Replay,
}

impl Figure {
    /// The row's name, and whether it is a Kafka metric's name (shown as code).
    pub fn name(self) -> (&'static str, bool) {
        match self {
            Figure::RecordsPerSec => ("Throughput", false),
            Figure::MbPerSec => ("Bandwidth", false),
            Figure::BatchSizeAvg(_) => ("batch-size-avg", true),
            Figure::CompressionRate(_) => ("compression-rate-avg", true),
            Figure::P50 => ("p50 latency, send to ack", false),
            Figure::P99 => ("p99 latency, send to ack", false),
            Figure::Replay => ("Lost / duplicated", false),
        }
    }

    /// For `data-figure`: the run's id first where two runs have the same figure.
    pub fn id(self) -> String {
        match self {
            Figure::RecordsPerSec => "records-per-sec".to_string(),
            Figure::MbPerSec => "mb-per-sec".to_string(),
            Figure::BatchSizeAvg(run) => format!("{}-batch-size-avg", run.id()),
            Figure::CompressionRate(run) => format!("{}-compression-rate", run.id()),
            Figure::P50 => "p50-ms".to_string(),
            Figure::P99 => "p99-ms".to_string(),
            Figure::Replay => "replay".to_string(),
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
                    "{} records/s, {:.1} MB/s in the full-speed run (×{:.2} the client's defaults)",
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
                    "p99 {}, p50 {} in the steady-rate run",
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

    /// What a run was, from its own summaries: how many records, how fast, how long.
    pub fn run_caption(&self, run: Run) -> Shown<String> {
        let shown = self.shown(|f| run.summaries(f));
        Shown {
            value: shown.value.map(|runs| {
                let sent: u64 = runs.iter().map(|r| r.records_sent).sum();
                match run {
                    Run::FullSpeed => format!(
                        "{} records sent as fast as the producer accepts them",
                        group_thousands(sent as f64)
                    ),
                    Run::SteadyRate => {
                        let plan = MeasurementPlan::default();
                        let window_ms = 1000.0 * sent as f64 / plan.latency_rate;
                        // At its upper bound the window may be shorter than five lingers.
                        let bound = if window_ms >= plan.latency_max_ms as f64 {
                            "the longest window measured: the producer closes at its end and \
                             sends what still lingers, so p99 is at most this long"
                                .to_string()
                        } else {
                            format!("at least {LATENCY_LINGERS} times linger.ms")
                        };
                        format!(
                            "{} records at {} records/s over {:.1} s ({bound})",
                            group_thousands(sent as f64),
                            group_thousands(plan.latency_rate),
                            window_ms / 1000.0,
                        )
                    }
                    Run::Replays => format!(
                        "{} records: a partition leader crashes and comes back; a broker's link to the producer is cut for 1.3 s, past the request timeout",
                        group_thousands(sent as f64)
                    ),
                }
            }),
            stale: shown.stale,
        }
    }

    /// A row of the figures table, from the run it belongs to.
    pub fn figure(&self, figure: Figure) -> Shown<String> {
        let run = |run: Run, text: &dyn Fn(&RunSummary) -> String| {
            self.shown(|f| run.summaries(f).map(|s| text(&s[0])))
        };
        match figure {
            Figure::RecordsPerSec => run(Run::FullSpeed, &|t| {
                format!("{} records/s", group_thousands(t.records_per_sec))
            }),
            Figure::MbPerSec => run(Run::FullSpeed, &|t| format!("{:.1} MB/s", t.mb_per_sec)),
            Figure::BatchSizeAvg(r) => run(r, &|t| {
                format!("{} bytes", group_thousands(t.metrics.batch_size_avg))
            }),
            Figure::CompressionRate(r) => run(r, &|t| {
                let rate = t.metrics.compression_rate_avg;
                if rate > 0.0 && rate < 1.0 {
                    format!("{rate:.2} ({:.1}× smaller)", 1.0 / rate)
                } else {
                    format!("{rate:.2}")
                }
            }),
            Figure::P50 => run(Run::SteadyRate, &|l| format_ms(l.latency.p50_ms)),
            Figure::P99 => run(Run::SteadyRate, &|l| format_ms(l.latency.p99_ms)),
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
            "100,000 records/s, 20.0 MB/s in the full-speed run (×2.50 the client's defaults)"
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
        assert_eq!(format_ms(2.71234), "2.71 ms");
        assert_eq!(format_ms(31.4159), "31.4 ms");
        assert_eq!(format_ms(314.159), "314 ms");
    }

    #[test]
    fn each_figure_comes_from_its_own_run_and_says_which() {
        let mut throughput = summary(100_000.0);
        throughput.records_sent = 5_000;
        throughput.metrics.batch_size_avg = 15_000.0;
        throughput.metrics.compression_rate_avg = 0.37;
        let mut latency = summary(5_000.0);
        latency.records_sent = 2_500;
        latency.metrics.batch_size_avg = 318.0;
        latency.metrics.compression_rate_avg = 0.98;
        latency.latency.p99_ms = 7.5;
        let mut readout = Readout {
            findings: Findings {
                throughput: Some(throughput),
                ..Findings::default()
            },
            ..Readout::default()
        };
        let value = |r: &Readout, f: Figure| r.figure(f).value;
        assert_eq!(
            value(&readout, Figure::BatchSizeAvg(Run::FullSpeed)).as_deref(),
            Some("15,000 bytes")
        );
        assert_eq!(
            value(&readout, Figure::CompressionRate(Run::FullSpeed)).as_deref(),
            Some("0.37 (2.7× smaller)")
        );
        // Nothing of the steady-rate run until it is done, not even borrowed figures.
        for &f in Run::SteadyRate.figures() {
            assert_eq!(value(&readout, f), None, "{f:?}");
        }
        readout.findings.latency = Some(latency);
        assert_eq!(
            value(&readout, Figure::BatchSizeAvg(Run::SteadyRate)).as_deref(),
            Some("318 bytes")
        );
        assert_eq!(
            value(&readout, Figure::CompressionRate(Run::SteadyRate)).as_deref(),
            Some("0.98 (1.0× smaller)")
        );
        assert_eq!(
            readout.run_caption(Run::FullSpeed).value.as_deref(),
            Some("5,000 records sent as fast as the producer accepts them")
        );
        assert_eq!(
            readout.run_caption(Run::SteadyRate).value.as_deref(),
            Some("2,500 records at 5,000 records/s over 0.5 s (at least 5 times linger.ms)")
        );
        assert_eq!(readout.run_caption(Run::Replays).value, None);
        // Every figure is listed under exactly one run, and ids are unique.
        let all: Vec<Figure> = Run::ALL.iter().flat_map(|r| r.figures()).copied().collect();
        let ids: std::collections::BTreeSet<String> = all.iter().map(|f| f.id()).collect();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn the_steady_rate_run_says_when_its_window_hit_the_bound() {
        let mut latency = summary(5_000.0);
        latency.records_sent = 100_000;
        let readout = Readout {
            findings: Findings {
                latency: Some(latency),
                ..Findings::default()
            },
            ..Readout::default()
        };
        let caption = readout.run_caption(Run::SteadyRate).value.unwrap();
        assert!(
            caption.starts_with(
                "100,000 records at 5,000 records/s over 20.0 s (the longest window measured"
            ),
            "{caption}"
        );
    }
}
