//! household document (being written).
