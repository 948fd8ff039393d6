//! private document (being written).
