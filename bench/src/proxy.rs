//! A counting TCP proxy on loopback: every byte between the engine and the server passes
//! through it, so the benchmark counts what is really on the wire (request and status
//! lines, headers, chunk framing and bodies), not an estimate.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

/// Bytes seen in each direction, and connections opened.
#[derive(Debug, Default)]
pub struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
}

/// A reading of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    /// Client to server.
    pub up: u64,
    /// Server to client.
    pub down: u64,
    /// TCP connections opened.
    pub connections: u64,
}

impl Wire {
    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: Wire) -> Wire {
        Wire {
            up: self.up - earlier.up,
            down: self.down - earlier.down,
            connections: self.connections - earlier.connections,
        }
    }
}

impl Counters {
    /// The counters now.
    pub fn read(&self) -> Wire {
        Wire {
            up: self.up.load(Ordering::SeqCst),
            down: self.down.load(Ordering::SeqCst),
            connections: self.connections.load(Ordering::SeqCst),
        }
    }
}

/// Starts a proxy on 127.0.0.1:0 in front of `target`; returns its address and counters.
pub async fn start(target: SocketAddr) -> std::io::Result<(SocketAddr, Arc<Counters>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let counters = Arc::new(Counters::default());
    let c = counters.clone();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let c = c.clone();
            tokio::spawn(async move {
                let Ok(outbound) = TcpStream::connect(target).await else {
                    return;
                };
                c.connections.fetch_add(1, Ordering::SeqCst);
                let _ = inbound.set_nodelay(true);
                let _ = outbound.set_nodelay(true);
                let (ir, iw) = inbound.into_split();
                let (or, ow) = outbound.into_split();
                let c2 = c.clone();
                tokio::spawn(async move { pump(ir, ow, &c2.up).await });
                pump(or, iw, &c.down).await;
            });
        }
    });
    Ok((addr, counters))
}

async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, count: &AtomicU64) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                count.fetch_add(n as u64, Ordering::SeqCst);
                if to.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown().await;
}
