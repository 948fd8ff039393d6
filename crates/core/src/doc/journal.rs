//! journal document (being written).
