//! Self-test questions. STUB.
