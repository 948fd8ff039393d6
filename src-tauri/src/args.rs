//! Launch arguments: `--profile DIR`, `--server URL`, `--sync-interval SECS`.
//!
//! Parsed with std so the shell pulls in no argument parser. Both `--flag value` and
//! `--flag=value` work. Unknown arguments are reported and ignored: a mobile launcher or a
//! WebDriver may pass its own. `GRIDWALK_PROFILE` stands in for `--profile`.

use std::path::PathBuf;
use std::time::Duration;

/// The periodic sync interval when none is given.
pub const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(300);

/// What the app was started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchArgs {
    /// The profile directory; `None` means the platform's app data directory.
    pub profile: Option<PathBuf>,
    /// A server address to prefill on the sign-in screen.
    pub server: Option<String>,
    /// How often to sync in the background while the server is reachable; zero disables.
    pub sync_interval: Duration,
    /// Arguments that were not understood (reported, then ignored).
    pub ignored: Vec<String>,
}

impl Default for LaunchArgs {
    fn default() -> Self {
        LaunchArgs {
            profile: None,
            server: None,
            sync_interval: DEFAULT_SYNC_INTERVAL,
            ignored: Vec::new(),
        }
    }
}

/// Why the arguments could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError(pub String);

impl std::fmt::Display for ArgsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\nusage: gridwalk-app [--profile DIR] [--server URL] [--sync-interval SECS]",
            self.0
        )
    }
}

impl LaunchArgs {
    /// Parses the arguments after the program name; `env_profile` is `GRIDWALK_PROFILE`.
    pub fn parse<I>(args: I, env_profile: Option<String>) -> Result<LaunchArgs, ArgsError>
    where
        I: IntoIterator<Item = String>,
    {
        let mut out = LaunchArgs {
            profile: env_profile.filter(|p| !p.is_empty()).map(PathBuf::from),
            ..LaunchArgs::default()
        };
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, ArgsError> {
                match inline.clone().or_else(|| it.next()) {
                    Some(v) if !v.is_empty() => Ok(v),
                    _ => Err(ArgsError(format!("{name} needs a value"))),
                }
            };
            match name.as_str() {
                "--profile" => out.profile = Some(PathBuf::from(value("--profile")?)),
                "--server" => {
                    let v = value("--server")?;
                    let url = if v.contains("://") {
                        v
                    } else {
                        format!("http://{v}")
                    };
                    out.server = Some(url.trim_end_matches('/').to_string());
                }
                "--sync-interval" => {
                    let v = value("--sync-interval")?;
                    let secs: u64 = v.parse().map_err(|_| {
                        ArgsError(format!(
                            "--sync-interval takes whole seconds (0 disables), not {v:?}"
                        ))
                    })?;
                    out.sync_interval = Duration::from_secs(secs);
                }
                _ => out.ignored.push(arg),
            }
        }
        Ok(out)
    }

    /// The process's own arguments and environment.
    pub fn from_env() -> Result<LaunchArgs, ArgsError> {
        LaunchArgs::parse(
            std::env::args().skip(1),
            std::env::var("GRIDWALK_PROFILE").ok(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<LaunchArgs, ArgsError> {
        LaunchArgs::parse(args.iter().map(|s| s.to_string()), None)
    }

    #[test]
    fn no_arguments_mean_the_app_data_dir_and_a_five_minute_sync() {
        assert_eq!(parse(&[]).unwrap(), LaunchArgs::default());
        assert_eq!(DEFAULT_SYNC_INTERVAL, Duration::from_secs(300));
    }

    #[test]
    fn every_flag_is_read_in_both_spellings() {
        let a = parse(&[
            "--profile",
            "/tmp/p",
            "--server=127.0.0.1:8787",
            "--sync-interval",
            "0",
        ])
        .unwrap();
        assert_eq!(a.profile, Some(PathBuf::from("/tmp/p")));
        assert_eq!(
            a.server.as_deref(),
            Some("http://127.0.0.1:8787"),
            "a bare host:port gets http:// so the sign-in screen shows a usable address"
        );
        assert_eq!(a.sync_interval, Duration::ZERO, "0 disables periodic sync");
        let b = parse(&["--profile=/x", "--server", "https://gw.example.cn/"]).unwrap();
        assert_eq!(b.profile, Some(PathBuf::from("/x")));
        assert_eq!(b.server.as_deref(), Some("https://gw.example.cn"));
    }

    #[test]
    fn the_environment_profile_is_used_unless_the_flag_overrides_it() {
        let env = Some("/from/env".to_string());
        let a = LaunchArgs::parse(Vec::<String>::new(), env.clone()).unwrap();
        assert_eq!(a.profile, Some(PathBuf::from("/from/env")));
        let b = LaunchArgs::parse(vec!["--profile".into(), "/flag".into()], env).unwrap();
        assert_eq!(b.profile, Some(PathBuf::from("/flag")));
    }

    #[test]
    fn a_missing_or_malformed_value_is_refused_with_the_usage() {
        let e = parse(&["--profile"]).unwrap_err();
        assert!(e.to_string().contains("usage:"), "{e}");
        assert!(parse(&["--sync-interval", "5m"]).is_err());
        assert!(parse(&["--sync-interval=-1"]).is_err());
        assert!(parse(&["--server="]).is_err());
    }

    #[test]
    fn unknown_arguments_are_kept_aside_not_fatal() {
        let a = parse(&["-psn_0_1234", "--sync-interval", "60"]).unwrap();
        assert_eq!(a.ignored, vec!["-psn_0_1234".to_string()]);
        assert_eq!(a.sync_interval, Duration::from_secs(60));
    }
}
