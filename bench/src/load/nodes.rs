//! Server nodes: real `gridwalk-server serve` child processes on free loopback ports,
//! their bound address read from the line the binary prints when it listens, their CPU
//! time and peak resident set read from procfs, and killed when dropped (so an error or
//! a panic anywhere in the run never leaves a server behind).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// Where the nodes store: one SQLite file, or one PostgreSQL database.
#[derive(Debug, Clone)]
pub enum Database {
    /// `--db FILE`.
    Sqlite(PathBuf),
    /// `--database postgres://…`.
    Postgres(String),
}

impl Database {
    /// The global flags that select this database on the server's command line.
    pub fn flags(&self) -> Vec<String> {
        match self {
            Database::Sqlite(p) => vec!["--db".into(), p.display().to_string()],
            Database::Postgres(url) => vec!["--database".into(), url.clone()],
        }
    }
}

/// One running server process.
pub struct Node {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        // Killed by its own id; a node that already exited is simply reaped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What procfs says about a node.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// User + system CPU seconds so far.
    pub cpu_seconds: f64,
    /// Peak resident set (VmHWM), bytes.
    pub peak_rss_bytes: u64,
}

impl Node {
    /// Starts `bin` serving `db` on a free loopback port and waits (bounded) for the line
    /// that says where it listens.
    pub fn start(bin: &Path, db: &Database) -> Result<Node> {
        let mut child = Command::new(bin)
            .args(db.flags())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("the node's stdout")?;
        let (tx, rx) = mpsc::channel();
        // The reader keeps draining stdout after the address line, so the node never
        // blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(url) = line.split("listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                    sent = true;
                }
            }
        });
        let mut node = Node {
            child,
            url: String::new(),
        };
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => node.url = url,
            Err(_) => {
                if let Ok(Some(status)) = node.child.try_wait() {
                    bail!("the server exited before listening: {status}");
                }
                bail!("the server did not report its address within 60 s");
            }
        }
        Ok(node)
    }

    /// The node's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time and peak RSS now.
    pub fn usage(&self) -> Usage {
        usage_of(self.pid())
    }

    /// Fails if the node has exited.
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("server node {} exited during the run: {status}", self.url);
        }
        Ok(())
    }
}

/// CPU seconds (fields 14 and 15 of `/proc/<pid>/stat`, at USER_HZ = 100) and VmHWM
/// of a process.
pub fn usage_of(pid: u32) -> Usage {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start with the state.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm_kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    Usage {
        cpu_seconds: (ticks(11) + ticks(12)) as f64 / 100.0,
        peak_rss_bytes: hwm_kb * 1024,
    }
}

/// The `gridwalk-server` binary: `--server-bin`, else the one beside this executable
/// (cargo puts every binary of the workspace in one directory).
pub fn server_bin(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    let exe = std::env::current_exe()?;
    let dir = exe.parent().context("the executable's directory")?;
    // A test binary lives one level down, in `deps/`.
    for d in [dir, dir.parent().unwrap_or(dir)] {
        let p = d.join("gridwalk-server");
        if p.is_file() {
            return Ok(p);
        }
    }
    bail!(
        "gridwalk-server not found beside {}: build it first (cargo build -p gridwalk-server, with the same profile) or pass --server-bin",
        exe.display()
    )
}
