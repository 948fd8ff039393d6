//! `gridwalk-datagen`: the command line over the library.
//!
//! ```text
//! gridwalk-datagen summary [--preset demo]            print a Chinese county summary
//! gridwalk-datagen dump --out FILE [flags]            write the JSON-lines dump, print sizes
//! gridwalk-datagen docs [flags]                       build the Automerge documents, print sizes
//! gridwalk-datagen fill --db FILE [flags]             fill a device store (SQLite)
//! ```
//!
//! Flags shared by every command: `--preset small|standard|large|demo` (alias
//! `--scale`), `--seed N`, `--households N`, `--visits N`, `--contacts N`,
//! `--incidents N`, `--base-date YYYY-MM-DD`, `--county 331102|莲都区|…`.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use gridwalk_datagen::{Config, Preset, Summary, docs, dump, fill, generate};

#[derive(Parser)]
#[command(
    name = "gridwalk-datagen",
    about = "Deterministic Gridwalk data for a Lishui-like county"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the county summary in Chinese.
    Summary {
        #[command(flatten)]
        opts: GenArgs,
    },
    /// Write the JSON-lines dump and print its raw and gzip-6 sizes.
    Dump {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        opts: GenArgs,
    },
    /// Build every Automerge document and print counts and sizes.
    Docs {
        #[command(flatten)]
        opts: GenArgs,
    },
    /// Fill a device store: reference rows and every document.
    Fill {
        /// The store file (created if missing).
        #[arg(long)]
        db: PathBuf,
        /// Then read the filled store back and print what a worker would see, in Chinese.
        #[arg(long)]
        summary: bool,
        #[command(flatten)]
        opts: GenArgs,
    },
}

#[derive(Args)]
struct GenArgs {
    /// small, standard, large or demo.
    #[arg(long, alias = "scale", default_value = "standard")]
    preset: String,
    /// Seed of every random stream.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Households (overrides the preset).
    #[arg(long)]
    households: Option<usize>,
    /// Visits (overrides the preset).
    #[arg(long)]
    visits: Option<usize>,
    /// Contact logs (overrides the preset).
    #[arg(long)]
    contacts: Option<usize>,
    /// Incidents (overrides the preset).
    #[arg(long)]
    incidents: Option<usize>,
    /// The base date ("today"), YYYY-MM-DD.
    #[arg(long)]
    base_date: Option<chrono::NaiveDate>,
    /// County code or name (331102 莲都区, 331121 青田县, 331127 景宁畲族自治县).
    #[arg(long)]
    county: Option<String>,
}

impl GenArgs {
    fn config(&self) -> Result<Config> {
        let Some(preset) = Preset::from_name(&self.preset) else {
            bail!(
                "unknown preset {:?}: use small, standard, large or demo",
                self.preset
            );
        };
        let mut cfg = Config::preset(preset);
        cfg.seed = self.seed;
        cfg.households = self.households.unwrap_or(cfg.households);
        cfg.visits = self.visits.unwrap_or(cfg.visits);
        cfg.contacts = self.contacts.unwrap_or(cfg.contacts);
        cfg.incidents = self.incidents.unwrap_or(cfg.incidents);
        cfg.base_date = self.base_date.unwrap_or(cfg.base_date);
        if let Some(c) = &self.county {
            cfg.county = gridwalk_datagen::config::county(c)
                .with_context(|| format!("unknown county {c:?}"))?;
        }
        Ok(cfg)
    }
}

mod store_report;

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Summary { opts } => {
            let ds = generate(&opts.config()?)?;
            print!("{}", Summary::of(&ds).summary_zh());
        }
        Command::Dump { out, opts } => {
            let started = Instant::now();
            let ds = generate(&opts.config()?)?;
            let generated = started.elapsed();
            let file = File::create(&out).with_context(|| format!("creating {}", out.display()))?;
            dump::write(&ds, BufWriter::new(file))?;
            let bytes = std::fs::read(&out)?;
            let gz = dump::gzip6_len(&bytes);
            println!(
                "{}: {} lines, {} bytes raw, {} bytes gzip-6 (generated in {:.2?})",
                out.display(),
                bytes.iter().filter(|b| **b == b'\n').count(),
                bytes.len(),
                gz,
                generated
            );
        }
        Command::Docs { opts } => {
            let started = Instant::now();
            let ds = generate(&opts.config()?)?;
            let generated = started.elapsed();
            let built = docs::build(&ds)?;
            let total: usize = built.iter().map(|d| d.bytes.len()).sum();
            println!(
                "{} documents, {} bytes saved (generated in {:.2?}, documents in {:.2?})",
                built.len(),
                total,
                generated,
                started.elapsed() - generated
            );
        }
        Command::Fill { db, summary, opts } => {
            let started = Instant::now();
            let ds = generate(&opts.config()?)?;
            let generated = started.elapsed();
            let r = fill::fill_path(&ds, &db, docs::default_threads())?;
            println!(
                "{}: {} documents imported ({} changed); generated in {:.2?}, documents built in {:.2?}, imported in {:.2?}",
                db.display(),
                r.documents,
                r.changed,
                generated,
                r.build,
                r.import
            );
            if summary {
                print!("\n{}", Summary::of(&ds).summary_zh());
                print!("{}", store_report::report_zh(&ds, &db)?);
            }
        }
    }
    Ok(())
}
