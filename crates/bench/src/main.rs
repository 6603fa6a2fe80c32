//! `portal-bench`: builds a synthetic council in a fresh database (many providers, 10,000
//! CPLIs, a year of actuals), then measures the real server, in this process, through HTTP:
//! generating a week, reading a 2,000-client service-week under 32 concurrent readers,
//! saving one client's week, importing a 100,000-line file, a year of the Commissioned vs
//! Actuals report for the 2,000-client service, and, as the ceiling, a raw bulk
//! insert of as many lines. Prints a table and records it in BENCHMARKS.md.
//!
//! Run it with `scripts/bench.sh` (release build). Start reading at [`run_on`].
//!
//! - [`api`]: signing in and requests that fail loudly.
//! - [`council`]: the synthetic council, through the catalogue.
//! - [`measure`]: each measurement.
//! - [`report`]: the table, the machine, BENCHMARKS.md.
//! - [`stats`]: percentiles and rates in integers.

mod api;
mod council;
mod measure;
mod report;
mod stats;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use portal_domain::Week;
use portal_server::configuration::Settings;
use portal_server::startup::Application;
use time::OffsetDateTime;

use crate::api::Api;
use crate::council::Scale;
use crate::measure::Import;
use crate::report::{Figure, Row, Run, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Databases {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Database {
    Sqlite,
    Postgres,
}

#[derive(Debug, Parser)]
#[command(
    name = "portal-bench",
    about = "Builds a synthetic council in a fresh database and measures the portal through its HTTP API (BENCHMARKS.md)"
)]
struct Args {
    /// Which databases to measure.
    #[arg(long, value_enum, default_value = "both")]
    database: Databases,

    /// Care package line items in the council.
    #[arg(long, default_value_t = 10_000)]
    cplis: usize,

    /// Providers (one contract and one home-care service each).
    #[arg(long, default_value_t = 40)]
    providers: usize,

    /// Clients at the first provider's service, the one read and saved.
    #[arg(long, default_value_t = 2_000)]
    big_service_clients: usize,

    /// Weeks of actuals before the current week (52: a year).
    #[arg(long, default_value_t = 52)]
    weeks: usize,

    /// People reading the big service's week at once.
    #[arg(long, default_value_t = 32)]
    readers: usize,

    /// Reads each of them makes, one after another.
    #[arg(long, default_value_t = 10)]
    reads_each: usize,

    /// Client-week saves, one after another.
    #[arg(long, default_value_t = 300)]
    saves: usize,

    /// Reads of a year's Commissioned vs Actuals, one after another, as JSON and as CSV.
    #[arg(long, default_value_t = 5)]
    report_reads: usize,

    /// Lines imported (and written by the second raw insert).
    #[arg(long, default_value_t = 100_000)]
    import_lines: usize,

    /// Lines a file, at most: the server refuses files of more than 20,000 lines, so the
    /// import is sent as several files, one after another, timed together.
    #[arg(long, default_value_t = 20_000)]
    import_file_lines: usize,

    /// Requests (or catalogue entries) at once while setting up on PostgreSQL; SQLite,
    /// with its one writer, takes one generation at a time.
    #[arg(long, default_value_t = 4)]
    setup_concurrency: usize,

    /// A PostgreSQL database to connect to while creating (and after, dropping) the bench's own.
    #[arg(
        long,
        env = "PORTAL_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    postgres_admin_url: String,

    /// Where to record the results.
    #[arg(long, default_value = "BENCHMARKS.md")]
    record: PathBuf,

    /// Print the results only.
    #[arg(long)]
    no_record: bool,

    /// Keep the database afterwards (to EXPLAIN its queries, say); its location is logged.
    #[arg(long)]
    keep_database: bool,
}

/// A database made for one run, removed after it unless kept.
struct Throwaway {
    /// Holds the SQLite file, and stands in (empty) for the SPA's files.
    directory: PathBuf,
    /// The PostgreSQL server and the database made on it.
    postgres: Option<(String, String)>,
}

impl Throwaway {
    async fn create(database: Database, args: &Args) -> anyhow::Result<(Throwaway, String)> {
        let unique = format!(
            "{}_{}",
            std::process::id(),
            OffsetDateTime::now_utc().unix_timestamp()
        );
        let directory = std::env::temp_dir().join(format!("portal-bench-{unique}"));
        std::fs::create_dir_all(&directory)?;
        match database {
            Database::Sqlite => {
                let url = format!("sqlite://{}", directory.join("portal.db").display());
                Ok((
                    Throwaway {
                        directory,
                        postgres: None,
                    },
                    url,
                ))
            }
            Database::Postgres => {
                let name = format!("portal_bench_{unique}");
                let url =
                    portal_store::bench::create_postgres_database(&args.postgres_admin_url, &name)
                        .await
                        .context("cannot create the bench's PostgreSQL database: is PostgreSQL running (README)?")?;
                Ok((
                    Throwaway {
                        directory,
                        postgres: Some((args.postgres_admin_url.clone(), name)),
                    },
                    url,
                ))
            }
        }
    }

    async fn remove(self) {
        if let Err(error) = std::fs::remove_dir_all(&self.directory) {
            tracing::warn!(?error, "cannot remove {}", self.directory.display());
        }
        if let Some((admin_url, name)) = self.postgres {
            if let Err(error) = portal_store::bench::drop_postgres_database(&admin_url, &name).await
            {
                tracing::warn!(?error, "cannot drop the database {name}");
            }
        }
    }

    fn describe(&self) -> String {
        match &self.postgres {
            Some((_, name)) => format!("PostgreSQL database {name}"),
            None => self.directory.join("portal.db").display().to_string(),
        }
    }
}

/// The week `n` weeks before `week`.
fn weeks_before(week: Week, n: usize) -> Week {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    Week::containing(week.monday() - time::Duration::weeks(n))
}

fn now_text() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{} {:02}:{:02} UTC",
        portal_domain::calendar::iso_date(now.date()),
        now.hour(),
        now.minute()
    )
}

/// Creates a fresh database, measures on it, and removes it.
async fn run_on(database: Database, args: &Args) -> anyhow::Result<Run> {
    let (throwaway, url) = Throwaway::create(database, args).await?;
    tracing::info!("measuring on {}", throwaway.describe());
    let result = measure_on(database, &url, &throwaway.directory, args).await;
    if args.keep_database {
        tracing::info!("kept {}", throwaway.describe());
    } else {
        throwaway.remove().await;
    }
    result
}

/// A step of setting up, timed and logged.
async fn timed<T>(
    setup: &mut Vec<(String, Duration)>,
    step: &str,
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    tracing::info!("{step}…");
    let started = Instant::now();
    let value = work.await.with_context(|| step.to_owned())?;
    let took = started.elapsed();
    tracing::info!("{step}: {}", stats::seconds_text(took));
    setup.push((step.to_owned(), took));
    Ok(value)
}

async fn measure_on(
    database: Database,
    url: &str,
    directory: &std::path::Path,
    args: &Args,
) -> anyhow::Result<Run> {
    let mut settings = Settings::for_tests(url);
    settings.demo = false;
    settings.static_dir = directory.to_owned();
    // Setting up a year of weeks can outlast the default ten minutes.
    settings.token_minutes = 12 * 60;
    let application = Application::build(settings).await?;
    let port = application.port();
    let store = application.store();
    let server = tokio::spawn(application.run_until_stopped());
    let api = Api::new(port);

    let this_week = Week::containing(OffsetDateTime::now_utc().date());
    let year: Vec<Week> = (1..=args.weeks)
        .rev()
        .map(|n| weeks_before(this_week, n))
        .collect();
    let cplis_start = weeks_before(this_week, args.weeks + 4).monday();
    let setup_concurrency = match database {
        Database::Sqlite => 1,
        Database::Postgres => args.setup_concurrency,
    };
    let scale = Scale {
        cplis: args.cplis,
        providers: args.providers,
        big_service_clients: args.big_service_clients,
        concurrency: match database {
            Database::Sqlite => 2,
            Database::Postgres => args.setup_concurrency,
        },
    };

    let mut setup = Vec::new();
    let council = timed(
        &mut setup,
        &format!(
            "council ({} providers, {} CPLIs)",
            args.providers,
            stats::thousands(u64::try_from(args.cplis)?)
        ),
        council::build(&store, scale, cplis_start),
    )
    .await?;
    let operator = api.sign_in(&council.operator).await?;
    let year_lines = timed(
        &mut setup,
        &format!("{} weeks of actuals", args.weeks),
        measure::generate_weeks(&api, &operator, &council, &year, setup_concurrency),
    )
    .await?;
    tracing::info!("{} lines in the year", stats::thousands(year_lines));

    tracing::info!("measuring: generating {this_week} for every service");
    let (generated, generation_took) =
        measure::generation(&api, &operator, &council, this_week).await?;
    anyhow::ensure!(generated > 0, "generating the week created nothing");

    let big = &council.services[0];
    let last_week = year.last().copied().unwrap_or(this_week);
    tracing::info!(
        "measuring: {} readers of the big service's {last_week}",
        args.readers
    );
    let reads = measure::grid_read(
        &api,
        &council.big_provider_contact,
        big.id,
        last_week,
        args.readers,
        args.reads_each,
    )
    .await?;

    tracing::info!("measuring: {} saves of a client's week", args.saves);
    let contact = api.sign_in(&council.big_provider_contact).await?;
    let (saved_lines, saves) =
        measure::saves(&api, &contact, big.id, this_week, args.saves).await?;

    tracing::info!("measuring: importing a file");
    let import = measure::import(
        &api,
        &contact,
        &council,
        &year,
        args.import_lines,
        args.import_file_lines,
    )
    .await?;

    tracing::info!("measuring: a year of Commissioned vs Actuals");
    let first_week = year.first().copied().unwrap_or(this_week);
    let report_json = measure::commissioned_report(
        &api,
        &contact,
        first_week,
        last_week,
        false,
        args.report_reads,
    )
    .await?;
    let report_csv = measure::commissioned_report(
        &api,
        &contact,
        first_week,
        last_week,
        true,
        args.report_reads,
    )
    .await?;

    tracing::info!("measuring: the raw inserts");
    let far_future = Week::containing(time::macros::date!(2031 - 01 - 06));
    let raw_small = measure::raw_insert(&store, &council, generated, far_future).await?;
    let import_rows = u64::try_from(args.import_lines)?;
    let raw_large = measure::raw_insert(
        &store,
        &council,
        import_rows,
        weeks_before(far_future, 52 * 2),
    )
    .await?;
    let small_rate = stats::rows_per_second(generated, raw_small);
    let large_rate = stats::rows_per_second(import_rows, raw_large);

    let database_name = store.bench_database_version().await?;
    server.abort();
    store.close().await;

    let lines = |n: usize| stats::thousands(u64::try_from(n).unwrap_or(0));
    let mut rows = vec![
        Row {
            name: format!(
                "Generate one week for {} CPLIs ({} services, one request each)",
                lines(args.cplis),
                council.services.len()
            ),
            rows: generated,
            figure: Figure::Total(generation_took),
            ceiling_rate: small_rate,
            target: Target::RatioAtLeast(30),
        },
        Row {
            name: format!(
                "Read a {}-client service-week ({} KiB of JSON), {} concurrent readers",
                lines(big.clients),
                stats::thousands(reads.bytes / 1024),
                args.readers
            ),
            rows: reads.lines,
            figure: Figure::Latency(reads.concurrent),
            ceiling_rate: small_rate,
            target: Target::P99AtMost(Duration::from_millis(50)),
        },
        Row {
            name: "The same week, one reader alone".into(),
            rows: reads.lines,
            figure: Figure::Latency(reads.alone),
            ceiling_rate: small_rate,
            target: Target::Context,
        },
        Row {
            name: "Save one client's week".into(),
            rows: saved_lines,
            figure: Figure::Latency(saves),
            ceiling_rate: small_rate,
            target: Target::P99AtMost(Duration::from_millis(20)),
        },
    ];
    for (report, format) in [(&report_json, "JSON"), (&report_csv, "CSV")] {
        rows.push(Row {
            name: format!(
                "Commissioned vs Actuals for {} weeks of the {}-client service, every row ({} KiB of {format})",
                args.weeks,
                lines(big.clients),
                stats::thousands(report.bytes / 1024),
            ),
            rows: report.rows,
            figure: Figure::Latency(report.timings.clone()),
            ceiling_rate: small_rate,
            target: Target::P99AtMost(Duration::from_millis(1000)),
        });
    }
    rows.push(match import {
        Import::Measured { rows, files, took } => Row {
            name: if files > 1 {
                format!(
                    "Import {} lines: {files} CSV files of {} (the most the server takes in one), each previewed and committed",
                    stats::thousands(rows),
                    lines(args.import_file_lines)
                )
            } else {
                format!(
                    "Import a {}-line CSV, previewed and committed",
                    stats::thousands(rows)
                )
            },
            rows,
            figure: Figure::Total(took),
            ceiling_rate: large_rate,
            target: Target::RatioAtLeast(25),
        },
        Import::NotMeasured(why) => Row {
            name: format!("Import a {}-line CSV", lines(args.import_lines)),
            rows: import_rows,
            figure: Figure::NotMeasured(why),
            ceiling_rate: large_rate,
            target: Target::RatioAtLeast(25),
        },
    });
    for (count, took, rate) in [
        (generated, raw_small, small_rate),
        (import_rows, raw_large, large_rate),
    ] {
        rows.push(Row {
            name: format!(
                "Raw bulk insert of {} lines, one transaction",
                stats::thousands(count)
            ),
            rows: count,
            figure: Figure::Total(took),
            ceiling_rate: rate,
            target: Target::Ceiling,
        });
    }
    Ok(Run {
        key: match database {
            Database::Sqlite => "sqlite",
            Database::Postgres => "postgres",
        },
        database: database_name,
        scale: format!(
            "{} CPLIs at {} providers, the big service with {} clients, {} weeks of actuals \
             before the current week ({} lines)",
            lines(args.cplis),
            args.providers,
            lines(big.clients),
            args.weeks,
            stats::thousands(year_lines)
        ),
        setup,
        rows,
        finished_at: now_text(),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,portal_bench=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let databases = match args.database {
        Databases::Sqlite => vec![Database::Sqlite],
        Databases::Postgres => vec![Database::Postgres],
        Databases::Both => vec![Database::Sqlite, Database::Postgres],
    };
    let mut runs = Vec::new();
    for database in databases {
        let run = run_on(database, &args).await?;
        println!("{}", run.markdown());
        runs.push(run);
    }
    if !args.no_record {
        report::record(&args.record, &report::machine(&now_text()), &runs)?;
        tracing::info!("recorded in {}", args.record.display());
    }
    Ok(())
}
