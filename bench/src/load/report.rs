//! The figures of one setup and the Markdown table of all of them.

use serde::Serialize;

use crate::nodes::Usage;

/// p50 / p95 / p99 of some latencies, milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Percentiles {
    /// How many.
    pub n: usize,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

impl Percentiles {
    /// From sorted latencies in seconds (nearest rank).
    pub fn of(sorted_seconds: &[f64]) -> Percentiles {
        let q = |p: f64| -> f64 {
            if sorted_seconds.is_empty() {
                return 0.0;
            }
            sorted_seconds[((sorted_seconds.len() as f64 - 1.0) * p).round() as usize] * 1e3
        };
        Percentiles {
            n: sorted_seconds.len(),
            p50: q(0.5),
            p95: q(0.95),
            p99: q(0.99),
        }
    }

    fn cell(&self) -> String {
        if self.n == 0 {
            return "–".into();
        }
        format!("{:.1} / {:.1} / {:.1}", self.p50, self.p95, self.p99)
    }
}

/// One node's use of the machine.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct NodeFigures {
    /// CPU seconds over the whole run (start, day, checks).
    pub cpu_seconds: f64,
    /// CPU seconds during the push phase.
    pub push_cpu_seconds: f64,
    /// Peak RSS, MB.
    pub peak_rss_mb: f64,
    /// Pushing syncs served by this node.
    pub push: Percentiles,
    /// No-op syncs served by this node.
    pub noop: Percentiles,
}

impl NodeFigures {
    /// From the usage before and after the push phase and at the end.
    pub fn of(before_push: Usage, after_push: Usage, end: Usage) -> NodeFigures {
        NodeFigures {
            cpu_seconds: end.cpu_seconds,
            push_cpu_seconds: after_push.cpu_seconds - before_push.cpu_seconds,
            peak_rss_mb: end.peak_rss_bytes as f64 / 1e6,
            ..NodeFigures::default()
        }
    }
}

/// What one setup measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SetupFigures {
    /// sqlite, pg1 or pg2.
    pub setup: String,
    /// Devices.
    pub devices: usize,
    /// Seconds to load the county into the fresh database.
    pub load_seconds: f64,
    /// Pushing syncs.
    pub push: Percentiles,
    /// No-op syncs.
    pub noop: Percentiles,
    /// First syncs.
    pub first: Percentiles,
    /// Wall seconds of the push phase.
    pub push_seconds: f64,
    /// Documents accepted in the push phase.
    pub docs_accepted: usize,
    /// Documents accepted per second of the push phase.
    pub merges_per_second: f64,
    /// No-op syncs per second of the no-op phase.
    pub noops_per_second: f64,
    /// No-op syncs that pulled something (should be 0).
    pub noops_not_empty: usize,
    /// Failed syncs and refused documents.
    pub errors: usize,
    /// Changes lost or doubled.
    pub lost: usize,
    /// Visits pushed and found.
    pub visits: (usize, usize),
    /// Incidents pushed and found.
    pub incidents: (usize, usize),
    /// Each node.
    pub nodes: Vec<NodeFigures>,
    /// The load generator's own CPU seconds during the push phase.
    pub client_push_cpu_seconds: f64,
}

/// The Markdown table: one row per setup, and one per node where there are several.
pub fn markdown(rows: &[SetupFigures]) -> String {
    let mut s = String::from(
        "| setup | node | devices | push sync p50/p95/p99 ms | no-op p50/p95/p99 ms | first sync p50/p95/p99 ms | merges/s | no-op syncs/s | errors | lost | server CPU s (push phase) | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let cpu: f64 = r.nodes.iter().map(|n| n.cpu_seconds).sum();
        let push_cpu: f64 = r.nodes.iter().map(|n| n.push_cpu_seconds).sum();
        let rss: f64 = r.nodes.iter().map(|n| n.peak_rss_mb).sum();
        s.push_str(&format!(
            "| {} | all | {} | {} | {} | {} | {:.0} | {:.0} | {} | {} | {:.1} ({:.1}) | {:.0} |\n",
            r.setup,
            r.devices,
            r.push.cell(),
            r.noop.cell(),
            r.first.cell(),
            r.merges_per_second,
            r.noops_per_second,
            r.errors,
            r.lost,
            cpu,
            push_cpu,
            rss
        ));
        if r.nodes.len() > 1 {
            for (i, n) in r.nodes.iter().enumerate() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} | {} | | | | | | {:.1} ({:.1}) | {:.0} |\n",
                    r.setup,
                    i + 1,
                    r.devices.div_ceil(r.nodes.len()),
                    n.push.cell(),
                    n.noop.cell(),
                    n.cpu_seconds,
                    n.push_cpu_seconds,
                    n.peak_rss_mb
                ));
            }
        }
    }
    s
}
