//! Progress of the statistics engine's load from the database: a bar redrawn in place on a
//! terminal (share of the `member_events` rows, rate, time left), a plain line every few
//! seconds when stderr is not a terminal (a log file, a pipe), and a log record every ten
//! seconds when the server loads it.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Where the progress goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A bar on a terminal, redrawn with `\r`.
    Bar,
    /// Plain lines on stderr.
    Lines,
    /// `tracing` records (the server).
    Log,
}

/// Redraw the bar at most this often.
const BAR_EVERY: Duration = Duration::from_millis(100);
/// A plain line at most this often.
const LINE_EVERY: Duration = Duration::from_secs(5);
/// A log record at most this often.
const LOG_EVERY: Duration = Duration::from_secs(10);
/// Cells of the bar.
const BAR_WIDTH: usize = 30;

/// Progress of one load. Feed it the rows read so far with [`LoadProgress::update`]; call
/// [`LoadProgress::finish`] when the load is over (it clears the bar).
#[derive(Debug)]
pub struct LoadProgress {
    mode: Mode,
    total: Option<u64>,
    started: Instant,
    shown: Option<Instant>,
    drawn: bool,
}

impl LoadProgress {
    /// `total`: the rows expected (an estimate is fine; `None` shows no share or time left).
    /// `cli`: a command-line run (bar or lines on stderr) rather than the server (log).
    pub fn new(total: Option<u64>, cli: bool) -> LoadProgress {
        let tty =
            std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let mode = match (cli, tty) {
            (false, _) => Mode::Log,
            (true, true) => Mode::Bar,
            (true, false) => Mode::Lines,
        };
        LoadProgress {
            mode,
            total: total.filter(|t| *t > 0),
            started: Instant::now(),
            shown: None,
            drawn: false,
        }
    }

    /// `rows` event rows have been read.
    pub fn update(&mut self, rows: u64) {
        let now = Instant::now();
        let every = match self.mode {
            Mode::Bar => BAR_EVERY,
            Mode::Lines => LINE_EVERY,
            Mode::Log => LOG_EVERY,
        };
        if now.duration_since(self.shown.unwrap_or(self.started)) < every {
            return;
        }
        self.shown = Some(now);
        let elapsed = now.duration_since(self.started);
        match self.mode {
            Mode::Bar => {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{}\x1b[K", bar_line(rows, self.total, elapsed));
                let _ = err.flush();
                self.drawn = true;
            }
            Mode::Lines => eprintln!("{}", plain_line(rows, self.total, elapsed)),
            Mode::Log => {
                let per_second = rate(rows, elapsed) as u64;
                match self.total {
                    Some(total) => tracing::info!(
                        rows,
                        total,
                        percent = format!("{:.1}", share(rows, total) * 100.0),
                        per_second,
                        "statistics engine: loading"
                    ),
                    None => tracing::info!(rows, per_second, "statistics engine: loading"),
                }
            }
        }
    }

    /// The load is over (done or failed): clears the bar so the next line starts clean.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

/// Rows a second so far.
fn rate(rows: u64, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        rows as f64 / s
    } else {
        0.0
    }
}

/// Share done, at most 1 (the total may be an estimate).
fn share(rows: u64, total: u64) -> f64 {
    (rows as f64 / total as f64).min(1.0)
}

/// Time left at the rate so far, when it can be told.
fn left(rows: u64, total: Option<u64>, elapsed: Duration) -> Option<Duration> {
    let total = total?;
    let r = rate(rows, elapsed);
    (r > 0.0 && rows < total).then(|| Duration::from_secs_f64((total - rows) as f64 / r))
}

/// `1:05`, `12:00:07`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A count in 万 with one decimal (`446.0 万`).
fn wan(n: f64) -> String {
    format!("{:.1} 万", n / 10_000.0)
}

/// The terminal bar: `统计引擎载入 [#####-----]  45.3%  201.5 万/446.0 万条  123.4 万条/秒  剩余 0:02`.
fn bar_line(rows: u64, total: Option<u64>, elapsed: Duration) -> String {
    let speed = format!("{}条/秒", wan(rate(rows, elapsed)));
    match total {
        Some(t) => {
            let f = share(rows, t);
            let cells = ((f * BAR_WIDTH as f64).round() as usize).min(BAR_WIDTH);
            format!(
                "统计引擎载入 [{}{}] {:5.1}%  {}/{}条  {}  剩余 {}",
                "#".repeat(cells),
                "-".repeat(BAR_WIDTH - cells),
                f * 100.0,
                wan(rows as f64),
                wan(t as f64),
                speed,
                left(rows, total, elapsed).map_or_else(|| "—".to_string(), clock)
            )
        }
        None => format!(
            "统计引擎载入：已读 {}条党员记载  {}  用时 {}",
            wan(rows as f64),
            speed,
            clock(elapsed)
        ),
    }
}

/// One plain line (stderr is not a terminal).
fn plain_line(rows: u64, total: Option<u64>, elapsed: Duration) -> String {
    let speed = format!("{}条/秒", wan(rate(rows, elapsed)));
    match total {
        Some(t) => format!(
            "统计引擎载入中：{:.1}%（已读 {}/{}条党员记载，{}，约剩 {}）",
            share(rows, t) * 100.0,
            wan(rows as f64),
            wan(t as f64),
            speed,
            left(rows, total, elapsed).map_or_else(|| "—".to_string(), clock)
        ),
        None => format!(
            "统计引擎载入中：已读 {}条党员记载（{}）",
            wan(rows as f64),
            speed
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_with_total() {
        let line = bar_line(2_000_000, Some(4_000_000), Duration::from_secs(2));
        assert_eq!(
            line,
            "统计引擎载入 [###############---------------]  50.0%  200.0 万/400.0 万条  100.0 万条/秒  剩余 0:02"
        );
    }

    #[test]
    fn estimate_overrun_and_no_total() {
        // A PostgreSQL estimate below the real count: full bar, nothing left, no panic.
        let line = bar_line(5_000_000, Some(4_000_000), Duration::from_secs(5));
        assert!(
            line.contains("[##############################] 100.0%"),
            "{line}"
        );
        assert!(line.ends_with("剩余 —"), "{line}");
        let line = bar_line(1_000_000, None, Duration::from_secs(65));
        assert!(
            line.contains("100.0 万条") && line.ends_with("用时 1:05"),
            "{line}"
        );
        assert!(bar_line(0, Some(10), Duration::ZERO).contains("  0.0%"));
    }

    #[test]
    fn plain_lines_and_clock() {
        assert_eq!(
            plain_line(1_000_000, Some(4_000_000), Duration::from_secs(1)),
            "统计引擎载入中：25.0%（已读 100.0 万/400.0 万条党员记载，100.0 万条/秒，约剩 0:03）"
        );
        assert_eq!(clock(Duration::from_secs(3 * 3600 + 7)), "3:00:07");
        assert_eq!(clock(Duration::from_secs(59)), "0:59");
    }
}
