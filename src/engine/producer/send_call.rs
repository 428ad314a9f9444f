//! A send() call as the unit of retry, for a client that produces per call (kafkajs).
//!
//! kafkajs runs each `send()` inside its retrier (`src/producer/sendMessages.js` in
//! `src/retry/index.js`): when a request of the call fails with a retriable error, the
//! whole call waits, then sends again to every broker that has not answered; after
//! `retries` retries the call rejects (`KafkaJSNumberOfRetriesExceeded`). So the call's
//! failed batches retry together, after one wait, and the retries are counted per call.

use crate::engine::time::{SimDuration, SimTime};

/// kafkajs's retrier constants (`src/retry/defaults.js`): `factor` (the jitter) and
/// `multiplier`. `initialRetryTime`, `maxRetryTime` and `retries` are the producer's
/// `retry.backoff.ms`, `retry.backoff.max.ms` and `retries`.
const FACTOR: f64 = 0.2;
const MULTIPLIER: u64 = 2;

/// The retrier's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::engine) struct Retrier {
    pub initial_retry_time_ms: u64,
    pub max_retry_time_ms: u64,
    pub retries: u32,
}

/// One call's retrier state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CallRetry {
    /// Retries scheduled so far (`retryCount`).
    retry_count: u32,
    /// The wait before the next retry (`retryTime`).
    retry_time_ms: u64,
    /// When the scheduled retry goes.
    retry_after: SimTime,
}

/// The retrier state of every send() call that has failed and has batches left (few at
/// a time: a plain list), and the calls with such state that have had a batch done since
/// the sender last looked.
#[derive(Default)]
pub(in crate::engine) struct SendCalls(Vec<(u64, CallRetry)>, Vec<u64>);

impl SendCalls {
    /// A batch of `call` failed with a retriable error at `now`: when it is sent again, or
    /// `None` when the call has used its retries (and the batch fails). A batch that fails
    /// while its call waits for a retry goes with that retry. `unit` draws the jitter.
    pub(in crate::engine) fn retry_at(
        &mut self,
        call: u64,
        now: SimTime,
        retrier: Retrier,
        mut unit: impl FnMut() -> f64,
    ) -> Option<SimTime> {
        let i = match self.index(call) {
            Some(i) => i,
            None => {
                self.0.push((
                    call,
                    CallRetry {
                        retry_count: 0,
                        // `start(randomFromRetryTime(factor, initialRetryTime))`.
                        retry_time_ms: jittered(retrier.initial_retry_time_ms, unit()),
                        retry_after: SimTime::ZERO,
                    },
                ));
                self.0.len() - 1
            }
        };
        let state = &mut self.0[i].1;
        if now < state.retry_after {
            return Some(state.retry_after);
        }
        // `shouldRetry = retryCount < retries`.
        if state.retry_count >= retrier.retries {
            return None;
        }
        // `setTimeout(() => retry(nextRetryTime, retryCount + 1), retryTime)`.
        state.retry_after = now + SimDuration::from_ms(state.retry_time_ms);
        state.retry_count += 1;
        state.retry_time_ms = next_retry_time(state.retry_time_ms, retrier, unit());
        Some(state.retry_after)
    }
}

impl SendCalls {
    fn index(&self, call: u64) -> Option<usize> {
        (0..self.0.len()).find(|&i| self.0[i].0 == call)
    }

    /// Whether `call` has failed and may retry.
    pub(in crate::engine) fn contains(&self, call: u64) -> bool {
        self.index(call).is_some()
    }

    /// Drops the state of a call that is done.
    pub(in crate::engine) fn forget(&mut self, call: u64) {
        if let Some(i) = self.index(call) {
            self.0.swap_remove(i);
        }
    }

    /// A batch of `call` is done: the call may be too, once the batches being handled
    /// with it are back in the accumulator or done.
    pub(in crate::engine) fn batch_done(&mut self, call: u64) {
        if self.contains(call) && !self.1.contains(&call) {
            self.1.push(call);
        }
    }

    /// The calls [`SendCalls::batch_done`] noted, to look at now.
    pub(in crate::engine) fn take_done(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.1)
    }

    /// How many calls have retrier state.
    #[cfg(test)]
    pub(in crate::engine) fn len(&self) -> usize {
        self.0.len()
    }
}

/// `randomFromRetryTime(factor, retryTime)`: `Math.ceil` of a uniform draw within
/// ±`factor` of `retry_time`; `unit` is uniform in [0, 1).
fn jittered(retry_time_ms: u64, unit: f64) -> u64 {
    let t = retry_time_ms as f64;
    let delta = FACTOR * t;
    (unit * 2.0 * delta + (t - delta)).ceil() as u64
}

/// `calculateExponentialRetryTime`: the jittered wait times `multiplier`, capped at
/// `maxRetryTime`.
fn next_retry_time(retry_time_ms: u64, retrier: Retrier, unit: f64) -> u64 {
    (jittered(retry_time_ms, unit) * MULTIPLIER).min(retrier.max_retry_time_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAFKAJS: Retrier = Retrier {
        initial_retry_time_ms: 300,
        max_retry_time_ms: 30_000,
        retries: 5,
    };

    #[test]
    fn waits_grow_from_the_jittered_initial_time_and_stop_after_retries() {
        // With no jitter (unit 0.5): 300, then 600, 1200, 2400, 4800; a sixth failure ends
        // the call (retries 5).
        let mut calls = SendCalls::default();
        let mut now = SimTime::ZERO;
        let mut waits = Vec::new();
        while let Some(at) = calls.retry_at(7, now, KAFKAJS, || 0.5) {
            waits.push(at.since(now).as_us() / 1000);
            now = at;
        }
        assert_eq!(waits, [300, 600, 1200, 2400, 4800]);
    }

    #[test]
    fn jitter_compounds_and_the_cap_applies_after_it() {
        // randomFromRetryTime(0.2, 300) lies in [240, 360]; the next wait is twice a
        // draw around the previous one, at most maxRetryTime.
        assert_eq!(jittered(300, 0.0), 240);
        assert_eq!(jittered(300, 0.999_999), 360);
        assert_eq!(next_retry_time(240, KAFKAJS, 0.0), 384);
        assert_eq!(next_retry_time(20_000, KAFKAJS, 0.5), 30_000);
    }

    #[test]
    fn a_batch_failing_while_its_call_waits_joins_that_retry() {
        let mut calls = SendCalls::default();
        let first = calls.retry_at(1, SimTime::ZERO, KAFKAJS, || 0.5);
        assert_eq!(first, Some(SimTime::from_ms(300)));
        // Another broker's request of the same call fails 10 ms later: same retry, and
        // it does not count as one more.
        assert_eq!(
            calls.retry_at(1, SimTime::from_ms(10), KAFKAJS, || 0.5),
            first
        );
        // Another call has its own retrier.
        assert_eq!(
            calls.retry_at(2, SimTime::from_ms(10), KAFKAJS, || 0.5),
            Some(SimTime::from_ms(310))
        );
        let next = calls.retry_at(1, SimTime::from_ms(400), KAFKAJS, || 0.5);
        assert_eq!(next, Some(SimTime::from_ms(1_000)));
    }
}
