//! The measurements, each through the real request path (HTTP, `Caller`, the handlers, the
//! store) except the ceiling, which is the store's plain multi-row insert.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use portal_domain::Week;
use portal_store::bench::RawActualLine;
use portal_store::Store;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::{json_of, succeeded, Api};
use crate::council::{Council, CpliFacts};

/// What Generate Actuals answered, without the week it also sends back.
#[derive(Deserialize)]
struct Generated {
    created: u64,
}

async fn generate(api: &Api, token: &str, service_id: i64, week: Week) -> anyhow::Result<u64> {
    let what = format!("generating {week} at service {service_id}");
    let response = api
        .request(
            Method::POST,
            &format!("/services/{service_id}/weeks/{week}/actuals/generate"),
            Some(token),
        )
        .send()
        .await?;
    let body = succeeded(response, &what).await?.bytes().await?;
    let generated: Generated = serde_json::from_slice(&body).with_context(|| what.clone())?;
    Ok(generated.created)
}

/// Generates every service's weeks, `concurrency` requests at a time (setting up, not
/// measured). Returns the lines created.
pub async fn generate_weeks(
    api: &Api,
    token: &str,
    council: &Council,
    weeks: &[Week],
    concurrency: usize,
) -> anyhow::Result<u64> {
    let jobs: Arc<Vec<(i64, Week)>> = Arc::new(
        weeks
            .iter()
            .flat_map(|week| council.services.iter().map(|service| (service.id, *week)))
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (api, token, jobs, next) = (
            api.clone(),
            token.to_owned(),
            Arc::clone(&jobs),
            Arc::clone(&next),
        );
        tasks.spawn(async move {
            let mut created = 0;
            while let Some(&(service_id, week)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                created += generate(&api, &token, service_id, week).await?;
            }
            anyhow::Ok(created)
        });
    }
    let mut created = 0;
    while let Some(result) = tasks.join_next().await {
        created += result??;
    }
    Ok(created)
}

/// Generating one week for every CPLI: each service's Generate Actuals, one after another
/// (as the council's providers would, each on their own). Returns the lines created and the
/// time the requests took.
pub async fn generation(
    api: &Api,
    token: &str,
    council: &Council,
    week: Week,
) -> anyhow::Result<(u64, Duration)> {
    let mut created = 0;
    let mut took = Duration::ZERO;
    for service in &council.services {
        let started = Instant::now();
        created += generate(api, token, service.id, week).await?;
        took += started.elapsed();
    }
    Ok((created, took))
}

fn lines_in_week(week: &Value) -> u64 {
    week["clients"]
        .as_array()
        .map(|clients| {
            clients
                .iter()
                .map(|client| client["lines"].as_array().map_or(0, Vec::len))
                .sum::<usize>()
        })
        .and_then(|lines| u64::try_from(lines).ok())
        .unwrap_or(0)
}

async fn read_week(api: &Api, token: &str, service_id: i64, week: Week) -> anyhow::Result<Value> {
    let response = api
        .request(
            Method::GET,
            &format!("/services/{service_id}/weeks/{week}/actuals"),
            Some(token),
        )
        .send()
        .await?;
    json_of(response, &format!("reading {week} at service {service_id}")).await
}

/// One service's week as the readers see it.
pub struct GridReads {
    /// Lines in the week.
    pub lines: u64,
    /// Bytes of JSON in one answer.
    pub bytes: u64,
    /// One reader alone, one request after another: the cost of a request without queueing.
    pub alone: Vec<Duration>,
    /// Every request of the concurrent readers.
    pub concurrent: Vec<Duration>,
}

/// Reading one service's week: first one reader alone, `reads_each` times; then `readers`
/// people signed in, each reading it `reads_each` times, one request after another, all at
/// once. Each time is from sending to the last byte read.
pub async fn grid_read(
    api: &Api,
    email: &str,
    service_id: i64,
    week: Week,
    readers: usize,
    reads_each: usize,
) -> anyhow::Result<GridReads> {
    let mut tokens = Vec::new();
    for _ in 0..readers.max(1) {
        tokens.push(api.sign_in(email).await?);
    }
    let path = format!("/services/{service_id}/weeks/{week}/actuals");
    // The first reads warm the caches, as a running server's would be.
    let mut lines = 0;
    for token in tokens.iter().take(2) {
        lines = lines_in_week(&read_week(api, token, service_id, week).await?);
    }
    let mut alone = Vec::new();
    let mut bytes = 0;
    for _ in 0..reads_each {
        let started = Instant::now();
        let response = api
            .request(Method::GET, &path, Some(&tokens[0]))
            .send()
            .await?;
        let body = succeeded(response, "reading the week")
            .await?
            .bytes()
            .await?;
        alone.push(started.elapsed());
        bytes = u64::try_from(body.len())?;
    }
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        let (api, path) = (api.clone(), path.clone());
        tasks.spawn(async move {
            let mut timings = Vec::new();
            for _ in 0..reads_each {
                let started = Instant::now();
                let response = api.request(Method::GET, &path, Some(&token)).send().await?;
                let body = succeeded(response, "reading the week")
                    .await?
                    .bytes()
                    .await?;
                timings.push(started.elapsed());
                anyhow::ensure!(!body.is_empty(), "an empty week");
            }
            anyhow::Ok(timings)
        });
    }
    let mut concurrent = Vec::new();
    while let Some(result) = tasks.join_next().await {
        concurrent.extend(result??);
    }
    Ok(GridReads {
        lines,
        bytes,
        alone,
        concurrent,
    })
}

/// A client's week as the grid shows it, to save it back.
struct ClientWeek {
    client_id: String,
    version: i64,
    lines: Vec<Value>,
}

fn client_weeks(week: &Value) -> anyhow::Result<Vec<ClientWeek>> {
    week["clients"]
        .as_array()
        .context("a week without clients")?
        .iter()
        .map(|client| {
            Ok(ClientWeek {
                client_id: client["client"]["id"]
                    .as_str()
                    .context("a client without an id")?
                    .to_owned(),
                version: client["version"]
                    .as_i64()
                    .context("a week without version")?,
                lines: client["lines"]
                    .as_array()
                    .context("a client without lines")?
                    .clone(),
            })
        })
        .collect()
}

/// Saving one client's week, `count` times, one after another, each a different client of
/// the service while there are any (a changed comment on every line, figures as planned).
/// Returns the lines saved per request on average (rounded) and every save's time.
pub async fn saves(
    api: &Api,
    token: &str,
    service_id: i64,
    week: Week,
    count: usize,
) -> anyhow::Result<(u64, Vec<Duration>)> {
    let mut clients = client_weeks(&read_week(api, token, service_id, week).await?)?;
    anyhow::ensure!(!clients.is_empty(), "no clients to save");
    let mut timings = Vec::new();
    let mut lines_saved = 0;
    for n in 0..count {
        let index = n % clients.len();
        let client = &mut clients[index];
        let lines: Vec<Value> = client
            .lines
            .iter()
            .map(|line| {
                json!({
                    "cpli_id": line["cpli_id"],
                    "actual": line["planned"],
                    "frustrated": "0",
                    "missed": "0",
                    "extra": "0",
                    "visits": line["visits"],
                    "comment": format!("Checked against the rota ({n})"),
                })
            })
            .collect();
        lines_saved += lines.len();
        let body = json!({ "version": client.version, "lines": lines });
        let path = format!(
            "/services/{service_id}/weeks/{week}/clients/{}/actuals",
            client.client_id
        );
        let started = Instant::now();
        let response = api
            .request(Method::PUT, &path, Some(token))
            .json(&body)
            .send()
            .await?;
        let response = succeeded(response, "saving a client's week").await?;
        let etag = response.headers().get("etag").cloned();
        response.bytes().await?;
        timings.push(started.elapsed());
        client.version = etag
            .as_ref()
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim_matches('"').parse().ok())
            .context("a save without its new version")?;
    }
    let average = lines_saved.div_ceil(count.max(1));
    Ok((u64::try_from(average).unwrap_or(0), timings))
}

/// The two operations of the file import (DOMAIN 4.8), when this build has them.
fn import_operations(document: &Value) -> Option<(String, String)> {
    let paths = document["paths"].as_object()?;
    let upload = paths
        .keys()
        .find(|path| path.starts_with("/api/v1/services/") && path.ends_with("/imports"))?;
    let commit = paths
        .keys()
        .find(|path| path.starts_with("/api/v1/imports/") && path.ends_with("/commit"))?;
    Some((upload.clone(), commit.clone()))
}

/// What importing came to: measured, or why not.
pub enum Import {
    Measured {
        /// Lines the imports wrote.
        rows: u64,
        /// Files the lines were split into.
        files: usize,
        took: Duration,
    },
    NotMeasured(String),
}

const IMPORT_HEADER: &str = "cpli_id,week,actual,frustrated,missed,extra,visits,comment\n";

/// The lines a provider would import: `lines` of the service's recorded weeks, newest week
/// first, each as planned with a new comment (so each is a change), in files of at most
/// `per_file` lines, each with its header row.
fn import_files(cplis: &[CpliFacts], weeks: &[Week], lines: usize, per_file: usize) -> Vec<String> {
    let mut rows = Vec::new();
    'weeks: for week in weeks.iter().rev() {
        for cpli in cplis {
            if rows.len() == lines {
                break 'weeks;
            }
            let hours = cpli.weekly_hundredths / 100;
            rows.push(format!(
                "{},{week},{hours},0,0,0,{hours},Imported from the rota\n",
                cpli.id
            ));
        }
    }
    rows.chunks(per_file.max(1))
        .map(|chunk| format!("{IMPORT_HEADER}{}", chunk.concat()))
        .collect()
}

/// Importing `lines` lines into the big service: each file uploaded (checked into a
/// preview) and committed ("Update system"), one after another, all timed together.
/// Measured only when this build documents the import endpoint.
pub async fn import(
    api: &Api,
    token: &str,
    council: &Council,
    weeks: &[Week],
    lines: usize,
    per_file: usize,
) -> anyhow::Result<Import> {
    let Some((upload, commit)) = import_operations(&api.openapi().await?) else {
        return Ok(Import::NotMeasured(
            "not measured: import endpoint not yet available".into(),
        ));
    };
    let service = &council.services[0];
    let files = import_files(&service.cplis, weeks, lines, per_file);
    let upload = upload
        .trim_start_matches("/api/v1")
        .replace("{service_id}", &service.id.to_string());
    let commit = commit.trim_start_matches("/api/v1").to_owned();
    let count = files.len();
    let mut written = 0;
    let mut took = Duration::ZERO;
    for (n, file) in files.into_iter().enumerate() {
        let started = Instant::now();
        let response = api
            .request(Method::POST, &upload, Some(token))
            .query(&[("reference", format!("bench-{n}.csv"))])
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            let shown: String = body.chars().take(300).collect();
            return Ok(Import::NotMeasured(format!(
                "not measured: the import endpoint refused the bench's file ({status}: {shown})"
            )));
        }
        let preview: Value = response.json().await?;
        let id = preview["id"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| preview["id"].as_i64().map(|id| id.to_string()))
            .context("the import's preview names no id")?;
        let commit = match commit.find('{').zip(commit.find('}')) {
            Some((open, close)) => format!("{}{id}{}", &commit[..open], &commit[close + 1..]),
            None => commit.clone(),
        };
        let response = api
            .request(Method::POST, &commit, Some(token))
            .send()
            .await?;
        let committed = json_of(response, "committing the import").await?;
        took += started.elapsed();
        written += committed["counts"]["written"]
            .as_u64()
            .context("a committed import without its written count")?;
    }
    Ok(Import::Measured {
        rows: written,
        files: count,
        took,
    })
}

/// The ceiling: `rows` lines written by the store's plain multi-row insert in one
/// transaction, into weeks from `first_week` on that nothing else uses.
pub async fn raw_insert(
    store: &Store,
    council: &Council,
    rows: u64,
    first_week: Week,
) -> anyhow::Result<Duration> {
    let cplis: Vec<&CpliFacts> = council.cplis().collect();
    anyhow::ensure!(!cplis.is_empty(), "no CPLIs to write lines for");
    let rows = usize::try_from(rows)?;
    let mut week = first_week;
    let mut lines = Vec::with_capacity(rows);
    for n in 0..rows {
        if n > 0 && n % cplis.len() == 0 {
            week = week.next();
        }
        let cpli = cplis[n % cplis.len()];
        lines.push(RawActualLine {
            service_id: cpli.service_id,
            client_id: cpli.client_id,
            cpli_id: cpli.id,
            service_level_id: cpli.service_level_id,
            week,
            planned_hundredths: cpli.weekly_hundredths,
            visits_hundredths: cpli.weekly_hundredths,
            rate_pence: cpli.rate_pence,
            cost_pence: cpli.weekly_hundredths * cpli.rate_pence / 100,
        });
    }
    let started = Instant::now();
    store.bench_raw_insert_actual_lines(&lines).await?;
    Ok(started.elapsed())
}

/// Requests of one report, timed from sending to the last byte read.
pub struct ReportReads {
    /// Rows in the report (client-CPLI-weeks).
    pub rows: u64,
    pub bytes: u64,
    pub timings: Vec<Duration>,
}

/// The Commissioned vs Actuals report over `first`..`last` for everything the caller sees,
/// `reads` times one after another (after one warming read), as JSON or as CSV.
pub async fn commissioned_report(
    api: &Api,
    token: &str,
    first: Week,
    last: Week,
    csv: bool,
    reads: usize,
) -> anyhow::Result<ReportReads> {
    let path = format!(
        "/reports/commissioned-vs-actuals?from={}&to={}{}",
        first.monday(),
        last.sunday(),
        if csv { "&format=csv" } else { "" }
    );
    let what = "reading Commissioned vs Actuals";
    let warm = succeeded(
        api.request(Method::GET, &path, Some(token)).send().await?,
        what,
    )
    .await?
    .bytes()
    .await?;
    let rows = if csv {
        // Less the header row.
        u64::try_from(warm.iter().filter(|&&byte| byte == b'\n').count())?.saturating_sub(1)
    } else {
        let report: Value = serde_json::from_slice(&warm).context(what)?;
        u64::try_from(report["rows"].as_array().map_or(0, Vec::len))?
    };
    anyhow::ensure!(rows > 0, "the report has no rows");
    let mut timings = Vec::new();
    let mut bytes = 0;
    for _ in 0..reads.max(1) {
        let started = Instant::now();
        let response = api.request(Method::GET, &path, Some(token)).send().await?;
        let body = succeeded(response, what).await?.bytes().await?;
        timings.push(started.elapsed());
        bytes = u64::try_from(body.len())?;
    }
    Ok(ReportReads {
        rows,
        bytes,
        timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_is_found_by_its_documented_paths() {
        let without = json!({ "paths": { "/api/v1/services": {} } });
        assert!(import_operations(&without).is_none());
        let with = json!({ "paths": {
            "/api/v1/services/{service_id}/imports": {},
            "/api/v1/imports/{import_id}/commit": {},
        } });
        assert_eq!(
            import_operations(&with),
            Some((
                "/api/v1/services/{service_id}/imports".to_owned(),
                "/api/v1/imports/{import_id}/commit".to_owned()
            ))
        );
    }

    #[test]
    fn the_import_is_split_into_files_of_the_lines_asked() {
        let cpli = |id| CpliFacts {
            id,
            client_id: 3,
            service_id: 1,
            service_level_id: 2,
            weekly_hundredths: 500,
            rate_pence: 2_000,
        };
        let weeks = [
            Week::parse("2026-11-09").unwrap(),
            Week::parse("2026-11-16").unwrap(),
        ];
        let files = import_files(&[cpli(7), cpli(8)], &weeks, 3, 2);
        assert_eq!(files.len(), 2);
        assert_eq!(
            files[0],
            format!(
                "{IMPORT_HEADER}7,2026-11-16,5,0,0,0,5,Imported from the rota\n\
                 8,2026-11-16,5,0,0,0,5,Imported from the rota\n"
            )
        );
        assert_eq!(
            files[1],
            format!("{IMPORT_HEADER}7,2026-11-09,5,0,0,0,5,Imported from the rota\n")
        );
    }
}
