//! What the end-to-end benches share: the machine's CPU steal per phase, percentiles, and the
//! resident memory of a process.

#![allow(dead_code)]

pub mod rng;

use std::time::Duration;

/// The machine's CPU counters: (steal, total) ticks from `/proc/stat`. On a shared virtual
/// machine the tail latency follows steal time, so each phase reports it beside its figures.
pub fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .take(8)
        .filter_map(|t| t.parse().ok())
        .collect();
    (ticks.len() == 8).then(|| (ticks[7], ticks.iter().sum()))
}

/// The share of CPU time stolen between two readings of [`cpu_ticks`].
pub fn steal_between(before: Option<(u64, u64)>, after: Option<(u64, u64)>) -> Option<f64> {
    match (before, after) {
        (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => Some((s1 - s0) as f64 / (t1 - t0) as f64),
        _ => None,
    }
}

/// Steal as printed: "0 %", or "n/a" off Linux.
pub fn steal_text(steal: Option<f64>) -> String {
    steal.map_or_else(|| "n/a".to_string(), |s| format!("{:.1} %", s * 100.0))
}

/// The `q` quantile (0..=1) of sorted latencies, nearest rank.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A field of `/proc/PID/status` (or `/proc/self/status`) in kB, e.g. `VmRSS`.
pub fn proc_status_kb(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// CPU time this process used so far (user + system), from `/proc/self/stat`; none off Linux.
/// Read at both ends of a phase it says how many cores the phase kept busy.
#[allow(dead_code)] // not every bench reads it
pub fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: the fields start after its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // Linux reports in USER_HZ, 100 per second on every architecture it runs on here.
    Some(Duration::from_millis((utime + stime) * 10))
}
