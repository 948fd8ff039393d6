//! The supervisor views inside the app (a grid head's or township supervisor's review
//! queue, incident inbox, dashboard and exports, when online): the web view asks, the
//! app sends the request to the console API with the device token and hands back the
//! server's answer as it came.
//!
//! The shell takes a [`ConsoleLink`] under the app's lock ([`FieldApp::console_link`])
//! and sends without it ([`call`], [`save_export`]), so a slow network never holds up
//! the field screens. Every request is checked first ([`check`]): only `GET` and `POST`,
//! only paths under `/api/v1/console` that cannot climb out of it, no sign-in or
//! sign-out (the browser console's), a JSON body of at most [`MAX_BODY`] bytes.

use std::path::{Path, PathBuf};

use gridwalk_sync::{ConsoleLink, ConsoleMethod};

use super::FieldApp;
use crate::dto::{AppError, ConsoleReply, ConsoleRequest, SaveExportInput, SavedExport};
use crate::error::codes;

/// Where the console API lives on the server.
pub const API_BASE: &str = "/api/v1/console";
/// The largest request body the app sends (a batch of 500 reviews is about 60 KB).
pub const MAX_BODY: usize = 1 << 20;
/// The longest path, query included.
pub const MAX_PATH: usize = 2_000;

fn bad_request(zh: &str, en: String) -> AppError {
    AppError::new(codes::INVALID_CONSOLE_REQUEST, zh, en)
}

/// A checked request: the method, the full path and the body bytes.
pub type Checked = (ConsoleMethod, String, Option<Vec<u8>>);

/// Checks a request from the web view (see the module docs).
pub fn check(req: &ConsoleRequest) -> Result<Checked, AppError> {
    let method = match req.method.as_str() {
        "GET" => ConsoleMethod::Get,
        "POST" => ConsoleMethod::Post,
        other => {
            return Err(bad_request(
                "督导页面只能查询和提交，不支持该操作。",
                format!("Method {other:?} is not one the supervisor views use (GET, POST)."),
            )
            .on_field("method"));
        }
    };
    let p = req.path.as_str();
    let route = p.split(['?', '#']).next().unwrap_or("");
    let safe_chars = p
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '\\' | '#' | '"' | '<' | '>'));
    if !p.starts_with('/')
        || p.len() > MAX_PATH
        || !safe_chars
        || route.contains("//")
        || route.split('/').any(|seg| seg == ".." || seg == ".")
        || route.to_ascii_lowercase().contains("%2e")
        || route.to_ascii_lowercase().contains("%2f")
    {
        return Err(bad_request(
            "请求地址无效。",
            format!("{p:?} is not a console API path."),
        )
        .on_field("path"));
    }
    if route == "/session" && method != ConsoleMethod::Get {
        return Err(bad_request(
            "应用内的督导页面随应用登录，不能单独登录或退出。",
            "The supervisor views use the app's sign-in; they cannot sign in or out on their own."
                .into(),
        )
        .on_field("path"));
    }
    let body = match (&req.body, method) {
        (None, _) => None,
        (Some(_), ConsoleMethod::Get) => {
            return Err(
                bad_request("查询请求不能带内容。", "A GET request has no body.".into())
                    .on_field("body"),
            );
        }
        (Some(b), ConsoleMethod::Post) => {
            if b.len() > MAX_BODY {
                return Err(bad_request(
                    "提交的内容过大，请分批提交。",
                    format!(
                        "The body is {} bytes; at most {MAX_BODY}. Send it in parts.",
                        b.len()
                    ),
                )
                .on_field("body"));
            }
            if serde_json::from_str::<serde_json::Value>(b).is_err() {
                return Err(
                    bad_request("提交的内容格式不对。", "The body is not JSON.".into())
                        .on_field("body"),
                );
            }
            Some(b.as_bytes().to_vec())
        }
    };
    Ok((method, format!("{API_BASE}{p}"), body))
}

impl FieldApp {
    /// A link to the console API for the signed-in supervisor; `role_not_allowed` for
    /// roles without supervisor views, `not_signed_in` when nobody is.
    pub fn console_link(&self) -> Result<ConsoleLink, AppError> {
        let role = self.role()?;
        if !role.may_review() {
            return Err(AppError::new(
                codes::ROLE_NOT_ALLOWED,
                "督导页面只对网格长和网格指导员开放。",
                "The supervisor views are for grid heads and township supervisors.",
            ));
        }
        self.engine
            .console()
            .ok_or_else(crate::error::not_signed_in)
    }

    /// The directory exports are saved to when the shell has no better one.
    pub fn exports_dir(&self) -> PathBuf {
        self.dir.join("exports")
    }
}

/// Sends a checked request and returns the server's answer (errors included, for the
/// UI to read); `unreachable` when the server cannot be reached.
pub async fn call(link: &ConsoleLink, req: &ConsoleRequest) -> Result<ConsoleReply, AppError> {
    let (method, path, body) = check(req)?;
    let answer = link.send(method, &path, body).await?;
    Ok(ConsoleReply {
        status: answer.status,
        body: String::from_utf8_lossy(&answer.body).into_owned(),
    })
}

/// A file name safe to create in a directory: no separators, no leading dot, `.xlsx`.
pub fn safe_file_name(name: &str, export_id: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let stem_ok = cleaned.to_lowercase().ends_with(".xlsx") && cleaned.chars().count() > 5;
    if stem_ok && cleaned.len() <= 200 {
        cleaned
    } else {
        format!("gridwalk-export-{export_id}.xlsx")
    }
}

/// A path in `dir` for `name` that does not exist yet (`name (2).xlsx`, …).
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let stem = name.strip_suffix(".xlsx").unwrap_or(name);
    (2..10_000)
        .map(|i| dir.join(format!("{stem} ({i}).xlsx")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Downloads a finished export with the device token and saves it in `dir`. A refusal
/// of the server (not finished, not this user's, expired) comes back with its code.
pub async fn save_export(
    link: &ConsoleLink,
    input: &SaveExportInput,
    dir: &Path,
) -> Result<SavedExport, AppError> {
    let id = input.export_id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(
            bad_request("导出任务编号无效。", format!("{id:?} is not an export id."))
                .on_field("export_id"),
        );
    }
    let path = format!("{API_BASE}/exports/{id}/file");
    let answer = link.send(ConsoleMethod::Get, &path, None).await?;
    if answer.status != 200 {
        let body: Option<gridwalk_core::protocol::ErrorBody> =
            serde_json::from_slice(&answer.body).ok();
        return Err(match body {
            Some(b) => AppError::new(&b.code, b.message_zh, b.message_en),
            None => AppError::new(
                codes::UNREACHABLE,
                "服务器没有给出文件，请稍后重试。",
                format!(
                    "The server answered HTTP {} instead of the file. Try again later.",
                    answer.status
                ),
            ),
        });
    }
    let io = |e: std::io::Error| {
        AppError::new(
            codes::PROFILE_IO,
            "无法保存导出的文件，请检查存储空间后重试。",
            format!("The export could not be saved ({e}). Check the storage and try again."),
        )
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let target = free_path(dir, &safe_file_name(&input.file_name, id));
    std::fs::write(&target, &answer.body).map_err(io)?;
    Ok(SavedExport {
        path: target.display().to_string(),
        bytes: u32::try_from(answer.body.len()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, path: &str, body: Option<&str>) -> ConsoleRequest {
        ConsoleRequest {
            method: method.into(),
            path: path.into(),
            body: body.map(str::to_string),
        }
    }

    #[test]
    fn reads_and_decisions_under_the_console_api_pass_with_the_base_prefixed() {
        let (m, p, b) = check(&req("GET", "/reviews?status=unreviewed&limit=200", None)).unwrap();
        assert_eq!(m, ConsoleMethod::Get);
        assert_eq!(p, "/api/v1/console/reviews?status=unreviewed&limit=200");
        assert!(b.is_none());
        let (m, _, b) = check(&req("POST", "/reviews", Some(r#"{"decision":"approve"}"#))).unwrap();
        assert_eq!(m, ConsoleMethod::Post);
        assert!(b.is_some(), "the body goes along");
        assert!(
            check(&req("GET", "/incidents?q=%E5%BC%A0", None)).is_ok(),
            "an encoded query is fine"
        );
    }

    #[test]
    fn paths_that_could_leave_the_console_api_are_refused_on_the_path_field() {
        for p in [
            "reviews",
            "/../login",
            "/reviews/../../sync",
            "/%2e%2e/login",
            "/a%2Fb",
            "//evil.example/x",
            "/reviews\\..",
            "/reviews with space",
            "/会话",
        ] {
            let e = check(&req("GET", p, None)).unwrap_err();
            assert_eq!(e.code, codes::INVALID_CONSOLE_REQUEST, "{p}");
            assert_eq!(e.field.as_deref(), Some("path"), "{p}");
        }
        let long = format!("/reviews?q={}", "a".repeat(MAX_PATH));
        assert!(check(&req("GET", &long, None)).is_err(), "too long");
    }

    #[test]
    fn other_methods_sign_in_and_sign_out_and_bad_bodies_are_refused() {
        for m in ["PUT", "DELETE", "get", ""] {
            let e = check(&req(m, "/reviews", None)).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("method"), "{m:?}");
        }
        let e = check(&req("POST", "/session", Some("{}"))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"), "no separate sign-in");
        assert!(
            check(&req("GET", "/session", None)).is_ok(),
            "who am I is fine"
        );
        let e = check(&req("POST", "/reviews", Some("{not json"))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("body"));
        let e = check(&req("GET", "/reviews", Some("{}"))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("body"), "GET has no body");
        let big = format!("\"{}\"", "x".repeat(MAX_BODY));
        let e = check(&req("POST", "/reviews", Some(&big))).unwrap_err();
        assert!(e.message_en.contains("at most"), "{e:?}");
        assert!(!e.message_zh.is_empty());
    }

    #[test]
    fn export_file_names_cannot_leave_the_directory_or_hide() {
        assert_eq!(
            safe_file_name("走访台账-2026-11.xlsx", "x"),
            "走访台账-2026-11.xlsx"
        );
        assert_eq!(
            safe_file_name("../../etc/passwd.xlsx", "x"),
            "etcpasswd.xlsx"
        );
        assert_eq!(safe_file_name(".hidden.xlsx", "x"), "hidden.xlsx");
        assert_eq!(
            safe_file_name("report.exe", "e1"),
            "gridwalk-export-e1.xlsx"
        );
        assert_eq!(safe_file_name("", "e1"), "gridwalk-export-e1.xlsx");
    }
}
