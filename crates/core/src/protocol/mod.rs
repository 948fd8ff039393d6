//! Sync protocol v1: the types of the one `POST /api/v1/sync` round trip.
//!
//! The design is a change feed per grid (DESIGN.md §3). A request carries the device's
//! pushed changes grouped by document, a cursor per grid it holds, a first-sync page token
//! while the device is still downloading its scope, and audit events recorded offline. A
//! response carries the positions of the pushed documents wholly stored, a result for
//! every other pushed document (code, reason, the hash of every accepted or quarantined
//! change), the changes since each cursor (never the device's own), revokes, the scope
//! when it differs from the grids of the cursors sent, reference-data updates, the
//! cursors that moved, and `more` when the device must call again.
//!
//! Encoding: MessagePack with field names ([`encode`] / [`decode`]), gzip-compressed on the
//! wire ([`compress`] / [`decompress`], `Content-Encoding: gzip`) when longer than
//! [`COMPRESS_ABOVE`] bytes ([`encode_body`]). Named fields let a later version add
//! optional fields without breaking an older peer; byte strings stay binary. Empty and
//! default fields are left out, so a no-op round trip carries almost nothing. Stored
//! documents are acknowledged by their position in the push; only refusals carry a code
//! and a reason. A golden-file test freezes the encoding.
//!
//! Versions: the server accepts pushes from [`MIN_PUSH_VERSION`] up to
//! [`PROTOCOL_VERSION`], so an app that was offline over an upgrade loses nothing; an
//! older request is answered with HTTP 426.

mod codec;
mod types;

pub use codec::{COMPRESS_ABOVE, CodecError, compress, decode, decompress, encode, encode_body};
pub use types::*;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The oldest version whose pushes a server of this build still accepts. Version 1 is the
/// first, so there is nothing older to accept yet; the next version keeps accepting 1.
pub const MIN_PUSH_VERSION: u32 = 1;

/// The media type of a request and response body (before compression).
pub const CONTENT_TYPE: &str = "application/vnd.gridwalk.sync.v1+msgpack";
