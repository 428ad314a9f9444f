//! An application's send() blocked in the buffer pool (`BufferPool.allocate`): it returns
//! once memory frees up, or throws after max.block.ms; a send() called meanwhile starts
//! only when the blocked one has returned, as the application's thread is inside it.

use super::event::KafkaError;
use super::fault::Fault;
use super::{SimConfig, SimDuration, SimTime, Simulation};

/// Records of 10,000 bytes into a buffer of two batches' worth, with 16 KiB batches: the
/// third send() finds no memory until a batch is acknowledged.
fn small_buffer() -> SimConfig {
    let mut c = SimConfig::default();
    c.producer.batch_size = 16_384;
    c.producer.buffer_memory = 2 * 16_384;
    c.producer.max_block_ms = 500;
    c
}

const VALUE: u32 = 10_000;

/// Sends keyless records until one send() had to wait; returns how long it blocked
/// and what it returned.
fn send_until_one_blocks(sim: &mut Simulation) -> (SimDuration, Result<u32, KafkaError>) {
    for _ in 0..10 {
        let before = sim.now();
        let result = sim.send(None, VALUE).map(|c| c.partition());
        let blocked = sim.now().since(before);
        if blocked > SimDuration::ZERO {
            return (blocked, result);
        }
        assert!(result.is_ok(), "{result:?}");
    }
    panic!("no send() blocked");
}

#[test]
fn a_send_blocked_for_memory_returns_when_a_batch_is_acknowledged() {
    let mut sim = Simulation::new(small_buffer(), 42).unwrap();
    // The first send() waits for the topic's metadata; what follows is the buffer pool.
    sim.send(None, VALUE).unwrap();
    let (blocked, result) = send_until_one_blocks(&mut sim);
    assert!(result.is_ok(), "{result:?}");
    assert!(blocked < SimDuration::from_ms(500), "{blocked:?}");
    assert!(sim.metrics().bufferpool_wait_time_ns_total > 0.0);
    assert!(!sim.is_send_blocked());
    assert_eq!(sim.report().errors.len(), 0);
}

#[test]
fn a_send_blocked_for_memory_throws_after_max_block_ms() {
    let mut sim = Simulation::new(small_buffer(), 42).unwrap();
    sim.send(None, VALUE).unwrap();
    // No broker answers: nothing is acknowledged, and nothing expires within 500 ms.
    for broker in 0..3 {
        sim.apply_fault(Fault::Crash { broker });
    }
    let (blocked, result) = send_until_one_blocks(&mut sim);
    assert_eq!(result, Err(KafkaError::BufferExhausted));
    assert_eq!(blocked, SimDuration::from_ms(500), "max.block.ms");
    assert_eq!(
        sim.report().errors.get(KafkaError::BufferExhausted.name()),
        Some(&1)
    );
}

#[test]
fn a_send_called_while_another_is_blocked_starts_when_it_returns() {
    let mut sim = Simulation::new(small_buffer(), 42).unwrap();
    sim.send(None, VALUE).unwrap();
    // The workload-style hand-over does not wait: fill the buffer until one blocks.
    while !sim.is_send_blocked() {
        sim.start_send(None, VALUE).unwrap();
    }
    let blocked_at = sim.now();
    let choice = sim.send(Some(b"k"), VALUE);
    assert!(choice.is_ok(), "{choice:?}");
    assert!(
        sim.now() > blocked_at,
        "it waited for the earlier send() to return"
    );
    assert!(sim.now() < SimTime::ZERO + SimDuration::from_ms(10_000));
    assert!(!sim.is_send_blocked());
}
