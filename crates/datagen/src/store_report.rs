//! What a filled device store shows a worker, read back through the store's own queries
//! and printed in Chinese: the proof that `make run` produced a working store.

use anyhow::Result;
use gridwalk_core::reference::rules::default_visit_rules;
use gridwalk_core::rules::due::DueStatus;
use gridwalk_datagen::{Dataset, fill};
use gridwalk_store::Store;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Opens the store at `db` and reports due visits, open incidents, conflicts, sync debt
/// and a sample search, each as the field screens would query them.
pub fn report_zh(ds: &Dataset, db: &Path) -> Result<String> {
    let store = Store::open_with(db, fill::options(ds))?;
    let now = ds.config.now();
    let due = store.due_visits(&default_visit_rules(), now, 0)?;
    let overdue = due
        .iter()
        .filter(|d| d.status == DueStatus::Overdue)
        .count();
    let today = due.iter().filter(|d| d.status == DueStatus::Due).count();
    let incidents = store.open_incidents(None)?;
    let conflicts = store.open_conflicts()?;
    let debt = store.sync_debt(now)?;
    let stored = store.storage_bytes()?;
    let surname = ds
        .households
        .first()
        .and_then(|h| h.members.first())
        .and_then(|m| m.name.chars().next())
        .unwrap_or('叶')
        .to_string();
    let started = Instant::now();
    let hits = store.search(&surname, 50)?;
    let took = started.elapsed();
    let mut out = String::new();
    writeln!(out, "\n设备库：{}", db.display())?;
    writeln!(out, "今日应访：{today} 户；逾期未访：{overdue} 户")?;
    writeln!(
        out,
        "未办结事件：{} 件；待处理冲突：{} 条",
        incidents.len(),
        conflicts.len()
    )?;
    writeln!(
        out,
        "待同步：{} 项操作；文档数据 {:.1} MB，数据库文件 {:.1} MB",
        debt.pending_actions,
        stored.document_bytes as f64 / 1e6,
        stored.file_bytes as f64 / 1e6
    )?;
    writeln!(
        out,
        "搜索“{surname}”：命中 {} 户（显示前 50，用时 {:.1} 毫秒）",
        hits.len(),
        took.as_secs_f64() * 1e3
    )?;
    if let Some(h) = hits.first() {
        writeln!(out, "  例：{}", h.address)?;
    }
    Ok(out)
}
