//! Faults a scenario or the user injects at a simulated time.

use super::time::SimTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Something that goes wrong (or is repaired) in the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// The broker process dies: connections reset, its replicas stop; the controller
    /// fences it after broker.session.timeout.ms and moves its leaderships.
    Crash {
        broker: u32,
    },
    /// The broker comes back with its log, truncates to the leaders and catches up.
    Restart {
        broker: u32,
    },
    /// Appends and replication on the broker take this much longer (0 repairs it).
    Slow {
        broker: u32,
        extra_ms: f64,
    },
    /// The broker stops handling requests for a while (a long GC pause or a stalled
    /// disk); requests queue up and are all handled when it resumes.
    Pause {
        broker: u32,
        ms: f64,
    },
    /// The network between the producer and the broker delivers nothing, without
    /// closing the connection: TCP holds what is sent either way and, once healed,
    /// retransmits it in order. The producer closes the connection when a request waits
    /// longer than request.timeout.ms.
    CutProducerLink {
        broker: u32,
    },
    HealProducerLink {
        broker: u32,
    },
    /// The broker's follower fetches stop (it falls behind and leaves the ISR).
    CutReplication {
        broker: u32,
    },
    HealReplication {
        broker: u32,
    },
}

impl Fault {
    pub fn broker(&self) -> u32 {
        match *self {
            Fault::Crash { broker }
            | Fault::Restart { broker }
            | Fault::Slow { broker, .. }
            | Fault::Pause { broker, .. }
            | Fault::CutProducerLink { broker }
            | Fault::HealProducerLink { broker }
            | Fault::CutReplication { broker }
            | Fault::HealReplication { broker } => broker,
        }
    }
}

/// A fault at a time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduledFault {
    pub at: SimTime,
    pub fault: Fault,
}

/// The spec syntax, for `--fault` and scenario files: `KIND:broker=ID[,ms=X]@TIME`.
pub const FAULT_SYNTAX: &str = "KIND:broker=ID@TIME where KIND is crash, restart, \
slow (add ,ms=EXTRA), pause (add ,ms=LENGTH), cut-producer, heal-producer, cut-replication or heal-replication, \
and TIME is like 250ms, 2s or 1.5s";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultParseError(pub String);

impl fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (expected {FAULT_SYNTAX})", self.0)
    }
}

impl std::error::Error for FaultParseError {}

/// Parses `250ms`, `2s`, `1.5s` or a bare number of milliseconds.
pub fn parse_time(text: &str) -> Result<SimTime, FaultParseError> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1_000_000.0)
    } else {
        (t, 1000.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 && v * scale < 1e15 => Ok(SimTime((v * scale) as u64)),
        _ => Err(FaultParseError(format!("bad time '{text}'"))),
    }
}

impl std::str::FromStr for ScheduledFault {
    type Err = FaultParseError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (what, at) = spec
            .rsplit_once('@')
            .ok_or_else(|| FaultParseError(format!("'{spec}' has no @TIME")))?;
        let at = parse_time(at)?;
        let (kind, args) = what.split_once(':').unwrap_or((what, ""));
        let mut broker = None;
        let mut extra_ms = None;
        for arg in args.split(',').filter(|a| !a.trim().is_empty()) {
            let (k, v) = arg
                .split_once('=')
                .ok_or_else(|| FaultParseError(format!("'{arg}' is not key=value")))?;
            match k.trim() {
                "broker" => {
                    broker = Some(
                        v.trim()
                            .parse::<u32>()
                            .map_err(|_| FaultParseError(format!("bad broker id '{v}'")))?,
                    )
                }
                "ms" => {
                    extra_ms = Some(
                        v.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite() && *x >= 0.0)
                            .ok_or_else(|| FaultParseError(format!("bad ms '{v}'")))?,
                    )
                }
                other => return Err(FaultParseError(format!("unknown argument '{other}'"))),
            }
        }
        let broker =
            broker.ok_or_else(|| FaultParseError(format!("'{spec}' names no broker=ID")))?;
        let fault = match kind.trim() {
            "crash" => Fault::Crash { broker },
            "restart" => Fault::Restart { broker },
            "slow" => Fault::Slow {
                broker,
                extra_ms: extra_ms.unwrap_or(50.0),
            },
            "pause" => Fault::Pause {
                broker,
                ms: extra_ms.unwrap_or(1000.0),
            },
            "cut-producer" => Fault::CutProducerLink { broker },
            "heal-producer" => Fault::HealProducerLink { broker },
            "cut-replication" => Fault::CutReplication { broker },
            "heal-replication" => Fault::HealReplication { broker },
            other => return Err(FaultParseError(format!("unknown fault '{other}'"))),
        };
        Ok(ScheduledFault { at, fault })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        let f: ScheduledFault = "crash:broker=1@250ms".parse().unwrap();
        assert_eq!(
            f,
            ScheduledFault {
                at: SimTime::from_ms(250),
                fault: Fault::Crash { broker: 1 }
            }
        );
        let f: ScheduledFault = "restart:broker=0@2s".parse().unwrap();
        assert_eq!(f.at, SimTime::from_ms(2000));
        let f: ScheduledFault = "slow:broker=2,ms=20@1.5s".parse().unwrap();
        assert_eq!(
            f.fault,
            Fault::Slow {
                broker: 2,
                extra_ms: 20.0
            }
        );
        assert_eq!(f.at, SimTime::from_ms(1500));
        let f: ScheduledFault = "pause:broker=0,ms=1500@1s".parse().unwrap();
        assert_eq!(
            f.fault,
            Fault::Pause {
                broker: 0,
                ms: 1500.0
            }
        );
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in [
            "crash@1s",
            "crash:broker=x@1s",
            "boom:broker=1@1s",
            "crash:broker=1",
            "crash:broker=1@-1s",
            "crash:broker=1@soon",
        ] {
            assert!(bad.parse::<ScheduledFault>().is_err(), "{bad}");
        }
    }
}
