//! gridwalk-field-cli: the field app without a window, for tests and scripts.
//!
//! A thin command line over [`gridwalk_field::FieldApp`]: each subcommand is one app
//! method on a profile directory (the same store, session and settings files the app
//! uses), and prints one JSON value on stdout. Browser tests drive the device side of the
//! review loop with it.
//!
//! ```text
//! gridwalk-field-cli --profile DIR --server URL <command>
//!   login USER PASS            -> SessionView   {user_id, username, name, role, area_id, ...}
//!   sync                       -> SyncStatus    {online, pending, refused, last_sync_at, ...}
//!   returned                   -> ReturnedView[] [{record_kind, record_id, household_id,
//!                                                  address, record_at, reason, by, at}]
//!   record KIND ID             -> RecordView    {record_kind, record_id, status, reason,
//!                                                returned_by, returned_at, content, lineage,
//!                                                can_fix, pending, ...}
//!   add-visit --household ID --note TEXT [--service TEXT]
//!                              -> SavedVisit    {visit_id, incident_ids, gps_recorded}
//!                                 (a routine in-person visit, pending until the next sync)
//!   fix-visit VISIT_ID [--note TEXT] [--service TEXT]
//!                              -> RecordView (status `resubmitted`, `pending` true until
//!                                 the next sync)
//!   fix-contact CONTACT_ID --note TEXT -> RecordView
//!   report-incident --household ID --category CODE --description TEXT
//!                   [--urgency CODE] [--location TEXT]
//!                              -> {"id": INCIDENT_ID}
//!   incident-action ID ACTION [--note TEXT] [--rating LEVEL] [--channel CODE]
//!                              -> IncidentDetail {incident: {id, state, ...}, timeline,
//!                                                 allowed_actions, ...}
//!   visits --household ID      -> VisitView[]   [{id, at, note, service, review_status,
//!                                                  pending, ...}]
//!   today                      -> TodayView
//! ```
//!
//! Field names are those of `gridwalk_field::dto` (the UI contract, `ui/src/bindings/
//! field.ts`), so the output is as stable as the app's own contract. `--rating` is the
//! `level` field of a `rate` action (`satisfied`, `basically_satisfied`, `unsatisfied`);
//! `--channel` is `resident`, `worker` or `callback`. `--server` is needed by `login`
//! only; later commands use the server the profile signed in to.
//!
//! Exit codes: 0 with the result on stdout; 1 when the app refused, with
//! `{"error": {code, message_zh, message_en, field}}` on stdout; 2 for a malformed
//! command line, with the usage on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use gridwalk_field::dto::*;
use gridwalk_field::{AppError, FieldApp, FieldOptions};
use serde::Serialize;

const USAGE: &str = "usage: gridwalk-field-cli --profile DIR [--server URL] <command> [args]
commands:
  login USER PASS
  sync
  returned
  record visit|contact ID
  add-visit --household ID --note TEXT [--service TEXT]
  fix-visit VISIT_ID [--note TEXT] [--service TEXT]
  fix-contact CONTACT_ID --note TEXT
  report-incident --household ID --category CODE --description TEXT [--urgency CODE] [--location TEXT]
  incident-action ID ACTION [--note TEXT] [--rating LEVEL] [--channel CODE]
  visits --household ID
  today";

/// The command line after the global options: positional words and `--name value` pairs.
struct Args {
    words: Vec<String>,
    opts: Vec<(String, String)>,
}

impl Args {
    fn opt(&self, name: &str) -> Option<String> {
        self.opts
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn need(&self, name: &str) -> Result<String, String> {
        self.opt(name)
            .ok_or_else(|| format!("--{name} is required"))
    }

    fn word(&self, i: usize, what: &str) -> Result<String, String> {
        self.words
            .get(i)
            .cloned()
            .ok_or_else(|| format!("{what} is missing"))
    }
}

fn parse(argv: Vec<String>) -> Result<(PathBuf, Option<String>, Args), String> {
    let (mut profile, mut server) = (None, None);
    let mut words = Vec::new();
    let mut opts = Vec::new();
    let mut it = argv.into_iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            match name {
                "profile" => profile = Some(PathBuf::from(v)),
                "server" => server = Some(v),
                _ => opts.push((name.to_string(), v)),
            }
        } else {
            words.push(a);
        }
    }
    let profile = profile.ok_or("--profile is required")?;
    Ok((profile, server, Args { words, opts }))
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

async fn run(app: &mut FieldApp, server: Option<String>, a: &Args) -> Result<String, Failure> {
    let cmd = a.word(0, "the command")?;
    Ok(match cmd.as_str() {
        "login" => {
            let url = server.ok_or("--server is required for login")?;
            let (user, pass) = (a.word(1, "USER")?, a.word(2, "PASS")?);
            json(&app.login(&url, &user, &pass).await?)
        }
        "sync" => json(&app.sync_now(|_| {}).await?),
        "returned" => json(&app.returned_records()?),
        "record" => json(&app.record_detail(&RecordRef {
            record_kind: a.word(1, "KIND")?,
            record_id: a.word(2, "ID")?,
        })?),
        "add-visit" => json(&app.save_visit(&NewVisitInput {
            household_id: a.need("household")?,
            mode: "in_person".into(),
            kind: "routine".into(),
            campaign: None,
            persons_met: Vec::new(),
            observations: Vec::new(),
            needs: Vec::new(),
            service: a.opt("service").unwrap_or_default(),
            follow_up: None,
            gps: None,
            note: a.need("note")?,
        })?),
        "fix-visit" => json(&app.fix_visit(&FixVisitInput {
            visit_id: a.word(1, "VISIT_ID")?,
            note: a.opt("note"),
            service: a.opt("service"),
            ..FixVisitInput::default()
        })?),
        "fix-contact" => json(&app.fix_contact(&FixContactInput {
            contact_id: a.word(1, "CONTACT_ID")?,
            note: Some(a.need("note")?),
            mode: None,
        })?),
        "report-incident" => {
            let id = app.report_incident(&NewIncidentInput {
                category: a.need("category")?,
                urgency: a.opt("urgency").unwrap_or_else(|| "normal".into()),
                location: a.opt("location").unwrap_or_default(),
                gps: None,
                parties: String::new(),
                description: a.need("description")?,
                households: vec![a.need("household")?],
                self_handled_result: None,
            })?;
            json(&serde_json::json!({ "id": id }))
        }
        "incident-action" => {
            let mut fields = Vec::new();
            if let Some(level) = a.opt("rating") {
                fields.push(Choice {
                    value: "level".into(),
                    label: level,
                });
            }
            if let Some(channel) = a.opt("channel") {
                fields.push(Choice {
                    value: "channel".into(),
                    label: channel,
                });
            }
            json(&app.incident_act(&IncidentActionInput {
                incident_id: a.word(1, "ID")?,
                action: a.word(2, "ACTION")?,
                note: a.opt("note").unwrap_or_default(),
                fields,
            })?)
        }
        "visits" => json(&app.household_card(&a.need("household")?)?.visits),
        "today" => json(&app.today()?),
        other => return Err(Failure::Usage(format!("unknown command {other}"))),
    })
}

enum Failure {
    Usage(String),
    App(AppError),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

impl From<String> for Failure {
    fn from(e: String) -> Self {
        Failure::Usage(e)
    }
}

impl From<&str> for Failure {
    fn from(e: &str) -> Self {
        Failure::Usage(e.to_string())
    }
}

fn main() -> ExitCode {
    let (profile, server, args) = match parse(std::env::args().skip(1).collect()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let outcome = rt.block_on(async {
        let mut app = FieldApp::open(&profile, FieldOptions::default())?;
        run(&mut app, server, &args).await
    });
    match outcome {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::App(e)) => {
            println!("{}", json(&serde_json::json!({ "error": e })));
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("{e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
