//! The server's shared state: storage, limits, the clock, the per-process actor, the
//! per-device rate limiter and the bounded cache of loaded documents.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use automerge::ActorId;

use crate::loaded::Loaded;

use crate::storage::Storage;

/// Configurable limits. The benchmarks raise them so they measure the system, not the
/// throttle.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest compressed request body, bytes.
    pub max_body_bytes: usize,
    /// Largest request body after decompression, bytes.
    pub max_decompressed_bytes: usize,
    /// Most documents in one push.
    pub max_push_docs: usize,
    /// Requests per device per second (a token bucket of this size, refilled per second).
    pub requests_per_second: f64,
    /// Snapshot and change bytes per pull response before `more` is set.
    pub page_bytes: usize,
    /// Fold a document's pending changes into a new snapshot after this many.
    pub compact_after: usize,
    /// Loaded documents kept in memory.
    pub doc_cache: usize,
    /// Failed logins before a user or address is locked.
    pub login_failures: u32,
    /// How long a lock lasts, ms.
    pub login_lock_ms: i64,
    /// How long a device token lives, ms.
    pub token_ttl_ms: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_decompressed_bytes: 64 << 20,
            max_push_docs: 2_000,
            requests_per_second: 5.0,
            page_bytes: 2 << 20,
            compact_after: 64,
            doc_cache: 4_096,
            login_failures: 5,
            login_lock_ms: 15 * 60 * 1000,
            token_ttl_ms: 365 * 86_400_000,
        }
    }
}

impl Limits {
    /// Limits high enough that a benchmark measures the server, not the throttle.
    pub fn unthrottled() -> Limits {
        Limits {
            max_body_bytes: 256 << 20,
            max_decompressed_bytes: 1 << 30,
            max_push_docs: 1_000_000,
            requests_per_second: 1e9,
            ..Limits::default()
        }
    }
}

/// A source of "now", UTC ms. Tests pass a settable one.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    })
}

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub storage: Arc<dyn Storage>,
    /// Limits.
    pub limits: Arc<Limits>,
    /// The clock.
    pub clock: Clock,
    /// This process's Automerge actor for server-side writes (console reviews, dispatch):
    /// fresh per process, never shared between nodes.
    pub actor: ActorId,
    /// This process's id, as the device of server-side writes.
    pub process_id: String,
    pub(crate) rate: Arc<Mutex<HashMap<String, Bucket>>>,
    pub(crate) cache: Arc<Mutex<lru::LruCache<String, Loaded>>>,
    /// The console's writer lock, server clock and review-queue cache.
    pub console: Arc<crate::console::Shared>,
    /// The dashboard's and exports' hydrated documents per grid.
    pub dashboard: Arc<crate::console::dashboard::cache::Cache>,
}

/// A token bucket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    tokens: f64,
    at: i64,
}

impl AppState {
    /// State over a storage, with a fresh actor bound to this process.
    pub fn new(storage: Arc<dyn Storage>, limits: Limits, clock: Clock) -> anyhow::Result<Self> {
        let actor = ActorId::random();
        let process_id = format!("server:{}", uuid::Uuid::now_v7());
        // Bind the process actor so no device can ever claim it.
        storage.bind_actors(&process_id, &[actor.to_hex_string()], clock())?;
        let cap = NonZeroUsize::new(limits.doc_cache.max(1)).expect("at least one");
        Ok(AppState {
            storage,
            limits: Arc::new(limits),
            clock,
            actor,
            process_id,
            rate: Arc::new(Mutex::new(HashMap::new())),
            cache: Arc::new(Mutex::new(lru::LruCache::new(cap))),
            console: Arc::new(crate::console::Shared::default()),
            dashboard: Arc::default(),
        })
    }

    /// Now, UTC ms.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Takes one request token for a device; false when its bucket is empty.
    pub fn take_token(&self, device_id: &str) -> bool {
        let now = self.now();
        let rate = self.limits.requests_per_second;
        let burst = rate.max(1.0);
        let mut map = self.rate.lock().unwrap_or_else(|e| e.into_inner());
        let b = map.entry(device_id.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = (now - b.at).max(0) as f64 / 1000.0;
        b.tokens = (b.tokens + elapsed * rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Takes a loaded document out of the cache (the caller puts it back when done, so
    /// two requests never edit one in-memory copy).
    pub(crate) fn cache_take(&self, doc_id: &str) -> Option<Loaded> {
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop(doc_id)
    }

    /// Puts a document (in its stored state) back into the cache.
    pub(crate) fn cache_put(&self, doc_id: &str, doc: Loaded) {
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .put(doc_id.to_string(), doc);
    }
}
