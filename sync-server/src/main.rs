//! `gridwalk-server`: the sync server and its admin CLI (see [`gridwalk_server::cli`]).

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    gridwalk_server::cli::run(gridwalk_server::cli::Cli::parse()).await
}
