//! The Kafka producer (`KafkaProducer` and its `clients/.../producer/internals`): the
//! record accumulator, the sender, the metadata it has learned and the idempotence
//! state. It knows the cluster only from the messages in `protocol` that the world
//! carries: responses, metadata responses, disconnects and timeouts.

pub mod accumulator;
pub mod idempotence;
mod sender;
