//! Medians, and the machine line every benchmark report carries.

use std::process::Command;
use std::time::Duration;

/// Wall-clock samples of one scenario.
#[derive(Debug, Default, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    fn sorted(&self) -> Vec<Duration> {
        let mut v = self.0.clone();
        v.sort();
        v
    }

    /// The median (the mean of the two middle samples for an even count); zero without samples.
    pub fn median(&self) -> Duration {
        let v = self.sorted();
        match v.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2,
        }
    }

    pub fn min(&self) -> Duration {
        self.sorted().first().copied().unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.sorted().last().copied().unwrap_or_default()
    }

    /// The nearest-rank percentile (`p` in 0..=1): the smallest sample at least that share of the samples
    /// do not exceed; zero without samples.
    pub fn percentile(&self, p: f64) -> Duration {
        let v = self.sorted();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p.clamp(0.0, 1.0) * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }
}

/// Seconds with three decimals.
pub fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn first_line(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_string()).filter(|l| !l.is_empty())
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once([':', '='])?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// CPU model, cores, RAM, OS and kernel, rustc, and newsboat's version when `newsboat` is given.
pub fn machine(newsboat: Option<&str>) -> String {
    let cpu = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let ram = proc_field("/proc/meminfo", "MemTotal")
        .and_then(|v| v.split_whitespace().next().and_then(|kb| kb.parse::<f64>().ok()))
        .map_or("unknown RAM".into(), |kb| format!("{:.1} GiB RAM", kb / 1024.0 / 1024.0));
    let os = proc_field("/etc/os-release", "PRETTY_NAME").unwrap_or_else(|| "unknown OS".into());
    let kernel =
        std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_string()).unwrap_or_default();
    let rustc = first_line("rustc", &["--version"]).unwrap_or_else(|| "rustc unknown".into());
    let mut line = format!("{cpu}, {cores} cores, {ram}, {os} (Linux {kernel}), {rustc}");
    if let Some(nb) = newsboat {
        let v = first_line(nb, &["--version"]).unwrap_or_else(|| "newsboat unknown".into());
        let v = v.split(" - ").next().unwrap_or(&v).to_string();
        line.push_str(&format!(", {v}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let mut s = Samples::default();
        for ms in [30, 10, 20] {
            s.push(Duration::from_millis(ms));
        }
        assert_eq!(s.median(), Duration::from_millis(20));
        s.push(Duration::from_millis(40));
        assert_eq!(s.median(), Duration::from_millis(25));
        assert_eq!((s.min(), s.max()), (Duration::from_millis(10), Duration::from_millis(40)));
    }
}
