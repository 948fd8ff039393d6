//! conflict document (being written).
