//! The results as a Markdown table, on stdout and in BENCHMARKS.md, with the machine they
//! were measured on. Each database's table sits between its own markers, so a run on one
//! database leaves the other's figures and the hand-written analysis alone.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::stats::{
    hundredths_text, ms_text, percentile, ratio_hundredths, rows_per_second, seconds_text,
    thousands,
};

/// What a measurement came to.
pub enum Figure {
    /// One timed piece of work.
    Total(Duration),
    /// Many requests' times.
    Latency(Vec<Duration>),
    NotMeasured(String),
}

/// What a measurement is held to.
#[derive(Clone, Copy)]
pub enum Target {
    /// Its rate at least this many hundredths of the raw insert's.
    RatioAtLeast(u64),
    /// Its 99th percentile at most this long.
    P99AtMost(Duration),
    /// It is the ceiling itself.
    Ceiling,
    /// None: it explains another figure.
    Context,
}

pub struct Row {
    pub name: String,
    /// The lines written or read (per request, for latencies).
    pub rows: u64,
    pub figure: Figure,
    /// The rate of the raw insert this is compared with (rows a second).
    pub ceiling_rate: u64,
    pub target: Target,
}

impl Row {
    /// Rows a second: of the whole piece of work, or of one request at the median.
    pub fn rate(&self) -> Option<u64> {
        match &self.figure {
            Figure::Total(took) => Some(rows_per_second(self.rows, *took)),
            Figure::Latency(timings) => Some(rows_per_second(self.rows, percentile(timings, 50))),
            Figure::NotMeasured(_) => None,
        }
    }

    fn ratio(&self) -> Option<u64> {
        self.rate()
            .map(|rate| ratio_hundredths(rate, self.ceiling_rate))
    }

    fn time_text(&self) -> String {
        match &self.figure {
            Figure::Total(took) => ms_text(*took),
            Figure::Latency(timings) => format!(
                "p50 {}, p99 {} ({} requests)",
                ms_text(percentile(timings, 50)),
                ms_text(percentile(timings, 99)),
                timings.len()
            ),
            Figure::NotMeasured(why) => why.clone(),
        }
    }

    fn target_text(&self) -> String {
        match self.target {
            Target::RatioAtLeast(hundredths) => format!("ratio ≥ {}", hundredths_text(hundredths)),
            Target::P99AtMost(limit) => format!("p99 ≤ {}", ms_text(limit)),
            Target::Ceiling => "(ceiling)".into(),
            Target::Context => "(for context)".into(),
        }
    }

    /// Met, missed, or nothing to say.
    pub fn verdict(&self) -> &'static str {
        match (&self.figure, self.target) {
            (Figure::NotMeasured(_), _) => "not measured",
            (_, Target::Ceiling | Target::Context) => "",
            (_, Target::RatioAtLeast(least)) => {
                if self.ratio().is_some_and(|ratio| ratio >= least) {
                    "met"
                } else {
                    "**missed**"
                }
            }
            (Figure::Latency(timings), Target::P99AtMost(limit)) => {
                if percentile(timings, 99) <= limit {
                    "met"
                } else {
                    "**missed**"
                }
            }
            (Figure::Total(took), Target::P99AtMost(limit)) => {
                if *took <= limit {
                    "met"
                } else {
                    "**missed**"
                }
            }
        }
    }
}

/// One database's run.
pub struct Run {
    /// `sqlite` or `postgres`: names its markers in BENCHMARKS.md.
    pub key: &'static str,
    pub database: String,
    pub scale: String,
    pub setup: Vec<(String, Duration)>,
    pub rows: Vec<Row>,
    pub finished_at: String,
}

impl Run {
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "### {}\n\nRun {}; {}.\n\n",
            self.database, self.finished_at, self.scale
        );
        out.push_str(
            "| measurement | rows | time | rows/s | ratio to raw insert | target | result |\n\
             | --- | ---: | --- | ---: | ---: | --- | --- |\n",
        );
        for row in &self.rows {
            let (rate, ratio) = match row.rate() {
                Some(rate) => (
                    thousands(rate),
                    hundredths_text(ratio_hundredths(rate, row.ceiling_rate)),
                ),
                None => ("–".into(), "–".into()),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                row.name,
                thousands(row.rows),
                row.time_text(),
                rate,
                ratio,
                row.target_text(),
                row.verdict()
            ));
        }
        out.push_str("\nSetting up (not measured): ");
        let steps: Vec<String> = self
            .setup
            .iter()
            .map(|(step, took)| format!("{step} {}", seconds_text(*took)))
            .collect();
        out.push_str(&steps.join("; "));
        out.push_str(".\n");
        out
    }
}

/// The machine, from /proc and the toolchain.
pub fn machine(now: &str) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown".to_owned(), |(_, model)| model.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or("unknown".to_owned(), |kib| {
            let tenths = kib * 10 / (1024 * 1024);
            format!("{}.{} GiB", tenths / 10, tenths % 10)
        });
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or("unknown".to_owned(), |text| text.trim().to_owned());
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or("unknown".to_owned(), |text| text.trim().to_owned());
    format!(
        "| | |\n| --- | --- |\n| CPU | {cpu} |\n| cores | {cores} |\n| memory | {memory} |\n\
         | OS | {os}, Linux {kernel} |\n| compiler | {rustc}, profile `bench-release` |\n\
         | date | {now} |\n"
    )
}

fn markers(key: &str) -> (String, String) {
    (
        format!("<!-- bench:{key} -->"),
        format!("<!-- /bench:{key} -->"),
    )
}

/// `text` with the part between `key`'s markers replaced by `content` (markers appended
/// at the end when missing).
pub fn replace_between(text: &str, key: &str, content: &str) -> String {
    let (open, close) = markers(key);
    match (text.find(&open), text.find(&close)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{open}\n{content}{}", &text[..start], &text[end..])
        }
        _ => format!("{}\n{open}\n{content}{close}\n", text.trim_end()),
    }
}

/// Writes the machine and each run into the file, leaving everything else as it was.
pub fn record(path: &Path, machine: &str, runs: &[Run]) -> anyhow::Result<()> {
    let mut text = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".into());
    text = replace_between(&text, "machine", machine);
    for run in runs {
        text = replace_between(&text, run.key, &run.markdown());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_replaces_only_its_own_part() {
        let text = "# B\n\nprose\n<!-- bench:sqlite -->\nold\n<!-- /bench:sqlite -->\nmore prose\n";
        let updated = replace_between(text, "sqlite", "new\n");
        assert_eq!(
            updated,
            "# B\n\nprose\n<!-- bench:sqlite -->\nnew\n<!-- /bench:sqlite -->\nmore prose\n"
        );
        let appended = replace_between(&updated, "postgres", "pg\n");
        assert!(appended.starts_with(&updated.trim_end().to_owned()));
        assert!(appended.ends_with("<!-- bench:postgres -->\npg\n<!-- /bench:postgres -->\n"));
    }

    #[test]
    fn verdicts_follow_the_targets() {
        let row = |figure, target| Row {
            name: String::new(),
            rows: 1_000,
            figure,
            ceiling_rate: 10_000,
            target,
        };
        // 1,000 rows in 0.5 s: 2,000 rows/s, 0.20 of the ceiling.
        let total = || Figure::Total(Duration::from_millis(500));
        assert_eq!(row(total(), Target::RatioAtLeast(20)).verdict(), "met");
        assert_eq!(
            row(total(), Target::RatioAtLeast(21)).verdict(),
            "**missed**"
        );
        let latencies = || Figure::Latency(vec![Duration::from_millis(10); 100]);
        let limit = |ms| Target::P99AtMost(Duration::from_millis(ms));
        assert_eq!(row(latencies(), limit(10)).verdict(), "met");
        assert_eq!(row(latencies(), limit(9)).verdict(), "**missed**");
        assert_eq!(
            row(Figure::NotMeasured("why".into()), limit(9)).verdict(),
            "not measured"
        );
    }
}
