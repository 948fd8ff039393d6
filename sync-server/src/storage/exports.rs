//! Console export jobs as stored (`export_jobs`, migration `0003_exports`): what any node
//! needs to answer a job's progress poll and serve its finished workbook.

/// Why an export job failed: a stable code and messages in zh-CN and en.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportJobError {
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message_zh: String,
    /// English message.
    pub message_en: String,
}

/// One export job, without its file's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJobRow {
    /// Job id.
    pub id: String,
    /// The user who started it; the only one who may see it.
    pub owner_user_id: String,
    /// The export's kind code (`assessment`, `incidents`, `visits`).
    pub kind: String,
    /// The workbook's file name.
    pub file_name: String,
    /// Start time, UTC ms.
    pub created_at: i64,
    /// The last progress write (or the start, or the end), UTC ms.
    pub updated_at: i64,
    /// 0..=1.
    pub progress: f64,
    /// Set when the job failed.
    pub error: Option<ExportJobError>,
    /// The workbook is stored (the job succeeded).
    pub has_file: bool,
    /// The job and its file are deleted after this, UTC ms.
    pub expires_at: i64,
}

impl ExportJobRow {
    /// Finished, with a file or an error.
    pub fn done(&self) -> bool {
        self.has_file || self.error.is_some()
    }
}

/// How an export job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOutcome {
    /// The finished workbook.
    File(Vec<u8>),
    /// The failure.
    Failed(ExportJobError),
}
