//! Passwords, device tokens, login with throttling, and request authentication
//! (DESIGN.md §5).
//!
//! - Passwords are argon2id PHC strings. Argon2 is for passwords only.
//! - A device token is 256 random bits, base64url without padding. Only its SHA-256 (hex)
//!   is stored, so authenticating a request is one indexed read.
//! - Logins are throttled per user and per address: after `login_failures` failures in a
//!   row the key is locked for `login_lock_ms`, and every attempt meanwhile is answered
//!   429 `too_many_attempts` without checking the password. A success clears both keys.
//! - A revoked device's token answers 401 `device_revoked`, so the app locks and wipes; so
//!   does a token of a disabled account.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{DeviceRow, UserRow};

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?
        .to_string())
}

/// Checks a password against a PHC string. A hash that cannot be parsed never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh device token: 256 random bits, base64url without padding.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token: SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `POST /api/v1/login` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// A name for the device, shown to admins ("张三的手机").
    pub device_name: String,
    /// The id the app wants for this device (its HLC node), if any. Ignored when taken.
    #[serde(default)]
    pub device_id: Option<String>,
}

/// `POST /api/v1/login` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    /// The device token: send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The registered device.
    pub device_id: String,
    /// The user.
    pub user_id: String,
    /// The user's role.
    pub role: gridwalk_core::reference::Role,
    /// Display name.
    pub name: String,
}

/// Checks a username and password with the login throttle (shared by the device login
/// and the console session): a locked key answers `too_many_attempts` without checking
/// the password, a failure counts against the user and the address, a success clears
/// both. `addr` is the client address.
pub fn check_credentials(
    state: &AppState,
    username: &str,
    password: &str,
    addr: &str,
) -> Result<UserRow, AppError> {
    let st = &state.storage;
    let now = state.now();
    let keys = [format!("user:{username}"), format!("addr:{addr}")];
    for k in &keys {
        if st.throttle(k)?.locked_until > now {
            return Err(AppError::TooManyAttempts);
        }
    }
    let user = st.user_by_username(username)?;
    // Verify against a real hash even for an unknown user, so timing does not tell
    // which usernames exist.
    let ok = match &user {
        Some(u) => verify_password(password, &u.password_hash),
        None => {
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        let l = &state.limits;
        for k in &keys {
            st.throttle_fail(k, now, l.login_failures, l.login_lock_ms)?;
        }
        return Err(AppError::BadCredentials);
    };
    if !user.active {
        return Err(AppError::AccountDisabled);
    }
    for k in &keys {
        st.throttle_clear(k)?;
    }
    Ok(user)
}

/// Logs in and registers a new device. `addr` is the client address used for throttling.
pub fn login(state: &AppState, req: &LoginRequest, addr: &str) -> Result<LoginResponse, AppError> {
    let st = &state.storage;
    let now = state.now();
    let user = check_credentials(state, &req.username, &req.password, addr)?;
    let token = new_token();
    let device_id = match &req.device_id {
        Some(id) if !id.trim().is_empty() && id.len() <= 64 => id.clone(),
        _ => uuid::Uuid::now_v7().to_string(),
    };
    let mut device = DeviceRow {
        id: device_id,
        user_id: user.id.clone(),
        name: req.device_name.chars().take(100).collect(),
        created_at: now,
        expires_at: now + state.limits.token_ttl_ms,
        revoked_at: None,
    };
    if let Err(crate::storage::StorageError::Exists(_)) =
        st.create_device(&device, &token_hash(&token))
    {
        device.id = uuid::Uuid::now_v7().to_string();
        st.create_device(&device, &token_hash(&token))?;
    }
    Ok(LoginResponse {
        token,
        device_id: device.id,
        user_id: user.id,
        role: user.role,
        name: user.name,
    })
}

/// A valid argon2id hash of a random password, for timing-safe unknown-user logins.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2X4Cy8k2MtnbUdJGdHzLK7JC5KhVuFCN0pSBQu0x3GM";

/// The device and user behind a request.
#[derive(Debug, Clone)]
pub struct Authed {
    /// The device.
    pub device: DeviceRow,
    /// Its user.
    pub user: UserRow,
}

/// Authenticates an `Authorization: Bearer <token>` header value.
pub fn authenticate(state: &AppState, header: Option<&str>) -> Result<Authed, AppError> {
    let token = header
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthorized)?;
    let (device, user) = state
        .storage
        .device_by_token(&token_hash(token))?
        .ok_or(AppError::Unauthorized)?;
    if device.revoked_at.is_some() || !user.active {
        return Err(AppError::DeviceRevoked);
    }
    if device.expires_at <= state.now() {
        return Err(AppError::TokenExpired);
    }
    Ok(Authed { device, user })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("网格员2026").unwrap();
        assert!(h.starts_with("$argon2id$"), "argon2id is the algorithm");
        assert!(verify_password("网格员2026", &h));
        assert!(!verify_password("wrong", &h));
        assert!(
            !verify_password("x", "not a hash"),
            "a broken hash never matches"
        );
    }

    #[test]
    fn tokens_are_256_bits_and_only_their_digest_is_kept() {
        let t = new_token();
        assert_eq!(t.len(), 43, "32 bytes base64url without padding");
        assert_ne!(t, new_token(), "tokens are random");
        assert_eq!(token_hash(&t).len(), 64, "SHA-256 hex");
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_cost_a_real_verification() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
