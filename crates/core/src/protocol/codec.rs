//! Encoding and compression of protocol messages. Pure functions: bytes in, bytes out.

use serde::{Serialize, de::DeserializeOwned};
use std::io::{Read, Write};

/// A body that cannot be encoded, decoded, compressed or decompressed.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The MessagePack body does not match the message type.
    #[error("malformed body: {0}")]
    Malformed(String),
    /// The gzip stream is broken.
    #[error("broken compression: {0}")]
    Compression(String),
    /// The decompressed body is larger than allowed.
    #[error("body larger than {0} bytes after decompression")]
    TooLarge(usize),
}

/// Encodes a message as MessagePack with field names.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    rmp_serde::to_vec_named(msg).expect("protocol types always encode")
}

/// Decodes a MessagePack message.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    rmp_serde::from_slice(bytes).map_err(|e| CodecError::Malformed(e.to_string()))
}

/// Gzip (level 6), as sent with `Content-Encoding: gzip`.
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 2 + 64),
        flate2::Compression::new(6),
    );
    enc.write_all(bytes).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail")
}

/// Bodies of up to this many bytes travel as they are: gzip's 18 bytes of framing would
/// cost more than it saves. Larger ones are gzipped and marked `Content-Encoding: gzip`.
pub const COMPRESS_ABOVE: usize = 160;

/// Encodes a message for the wire: the body, and whether it is gzipped (then it is sent
/// with `Content-Encoding: gzip`; otherwise with no `Content-Encoding`).
pub fn encode_body<T: Serialize>(msg: &T) -> (Vec<u8>, bool) {
    let raw = encode(msg);
    if raw.len() > COMPRESS_ABOVE {
        (compress(&raw), true)
    } else {
        (raw, false)
    }
}

/// Gunzips a body, refusing to inflate past `limit` bytes (a zip bomb stops there).
pub fn decompress(bytes: &[u8], limit: usize) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(bytes).take(limit as u64 + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| CodecError::Compression(e.to_string()))?;
    if out.len() > limit {
        return Err(CodecError::TooLarge(limit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_bomb_stops_at_the_limit() {
        let big = vec![0u8; 1 << 20];
        let z = compress(&big);
        assert!(
            matches!(decompress(&z, 1000), Err(CodecError::TooLarge(1000))),
            "inflation must stop at the limit"
        );
        assert_eq!(decompress(&z, 1 << 20).unwrap().len(), 1 << 20);
    }

    #[test]
    fn small_bodies_go_plain_and_large_ones_gzipped() {
        let (small, gz) = encode_body(&"tiny");
        assert!(!gz, "gzip framing would outweigh what it saves");
        assert_eq!(small, encode(&"tiny"));
        let text = "网格".repeat(200);
        let (large, gz) = encode_body(&text);
        assert!(gz, "a large body is compressed");
        assert_eq!(decompress(&large, 1 << 20).unwrap(), encode(&text));
    }

    #[test]
    fn garbage_is_broken_compression_not_a_panic() {
        assert!(matches!(
            decompress(b"not gzip", 100),
            Err(CodecError::Compression(_))
        ));
    }
}
