//! Kafka settings across clients. STUB.
