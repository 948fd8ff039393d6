//! After the day: no change lost, checked record by record through the read API
//! (`GET /api/v1/docs/{id}`, as a device of the document's grid; on two nodes the reads
//! alternate between them), and each grid's feed checked in storage once the nodes have
//! stopped: sequence numbers 1..n, and n = what the county had plus every change pushed.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use gridwalk_server::storage::Storage;
use tokio::sync::Semaphore;

use crate::plan::Expected;
use crate::world::Loaded;

/// What the checks found.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Visits pushed.
    pub visits_pushed: usize,
    /// Visits the server holds of those.
    pub visits_found: usize,
    /// Incidents pushed.
    pub incidents_pushed: usize,
    /// Incidents the server holds of those.
    pub incidents_found: usize,
    /// Households whose visit count is not what was loaded plus what was pushed.
    pub miscounted: usize,
    /// Grids whose feed is not 1..n with n as expected.
    pub bad_feeds: usize,
    /// The first few problems.
    pub problems: Vec<String>,
}

impl Verdict {
    /// Changes lost (or doubled): 0 when everything is there exactly once.
    pub fn lost(&self) -> usize {
        self.visits_pushed - self.visits_found
            + (self.incidents_pushed - self.incidents_found)
            + self.miscounted
            + self.bad_feeds
    }

    fn problem(&mut self, p: String) {
        if self.problems.len() < 10 {
            self.problems.push(p);
        }
    }
}

async fn read(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    id: &str,
) -> Result<serde_json::Value> {
    let resp = http
        .get(format!("{url}/api/v1/docs/{id}"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await?;
    let status = resp.status();
    let body = resp.bytes().await?;
    if !status.is_success() {
        bail!(
            "reading {id} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(serde_json::from_slice(&body)?)
}

/// Reads every household visited and every incident reported through the read API.
pub async fn records(
    http: &reqwest::Client,
    urls: &[String],
    token_of_grid: &BTreeMap<String, String>,
    expected: &Expected,
) -> Result<Verdict> {
    let gate = Arc::new(Semaphore::new(16));
    let mut tasks = Vec::new();
    for (n, (id, (grid, base, visits))) in expected.visits.iter().enumerate() {
        let token = token_of_grid
            .get(grid)
            .context("a device in the grid")?
            .clone();
        let (url, http, id, gate) = (
            urls[n % urls.len()].clone(),
            http.clone(),
            id.clone(),
            gate.clone(),
        );
        let (base, visits) = (*base, visits.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            let v = read(&http, &url, &token, &id).await?;
            let held = v["doc"]["visits"].as_object().cloned().unwrap_or_default();
            let found = visits.iter().filter(|vid| held.contains_key(*vid)).count();
            let exact = held.len() == base + visits.len();
            anyhow::Ok((id, visits.len(), found, exact, held.len(), base))
        }));
    }
    let mut verdict = Verdict::default();
    for t in tasks {
        let (id, pushed, found, exact, held, base) = t.await??;
        verdict.visits_pushed += pushed;
        verdict.visits_found += found;
        if found < pushed {
            verdict.problem(format!(
                "household {id}: {found} of {pushed} pushed visits held"
            ));
        }
        if !exact {
            verdict.miscounted += 1;
            verdict.problem(format!(
                "household {id}: {held} visits, expected {base} loaded + {pushed} pushed"
            ));
        }
    }
    for (k, (id, grid)) in expected.incidents.iter().enumerate() {
        let token = token_of_grid.get(grid).context("a device in the grid")?;
        verdict.incidents_pushed += 1;
        match read(http, &urls[k % urls.len()], token, id).await {
            Ok(v) if v["doc"]["events"].as_object().is_some_and(|e| e.len() == 1) => {
                verdict.incidents_found += 1;
            }
            Ok(v) => verdict.problem(format!("incident {id}: events {}", v["doc"]["events"])),
            Err(e) => verdict.problem(format!("incident {id}: {e:#}")),
        }
    }
    Ok(verdict)
}

/// Checks every grid's feed in storage: 1..n without gap or duplicate, n as expected.
pub fn feeds(
    storage: &dyn Storage,
    loaded: &Loaded,
    expected: &Expected,
    verdict: &mut Verdict,
) -> Result<()> {
    for (grid, hw) in &loaded.high_water {
        let seqs = storage.feed_seqs(grid)?;
        let want = *hw as usize + expected.changes_per_grid.get(grid).copied().unwrap_or(0);
        let dense = seqs.iter().enumerate().all(|(i, s)| *s == i as i64 + 1);
        if !dense || seqs.len() != want {
            verdict.bad_feeds += 1;
            verdict.problem(format!(
                "grid {grid}: {} feed entries (dense: {dense}), expected {want}",
                seqs.len()
            ));
        }
    }
    Ok(())
}
