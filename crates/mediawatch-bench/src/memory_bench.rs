//! `mediawatch-bench memory`: the idle memory of the Mediawatch window holding a large database, side by side
//! with Liferea (a GTK/WebKitGTK feed reader) subscribed to as many feeds, in the same run.
//!
//! One Xvfb display of its own (`-fbdir`, so the screen can be saved as a PNG), one local feed server (the
//! refresh benchmark's generated feeds on loopback hosts: nothing leaves the machine), and for each run, each
//! app in turn in a throw-away HOME and XDG folders under its own `dbus-run-session`:
//!
//! - Mediawatch: the app binary with `MEDIAWATCH_DB` set to the given database, opened in place (never
//!   copied). The generated database's sources are import sources (`import:` URLs), which the scheduler never
//!   fetches; the server's counts during the run say whether anything was fetched.
//! - Liferea: `$XDG_CONFIG_HOME/liferea/feedlist.opml` written with the N feeds before it starts (1.14 reads
//!   its feed list there and updates every subscription at startup); it is ready when its
//!   `$XDG_DATA_HOME/liferea/liferea.db` holds every feed and every item.
//!
//! Both windows are set to 1280 × 820 (Mediawatch's own size). When the window is up and the process tree has
//! been quiet (under 3 % of a core for 5 s in a row), the bench waits `idle_secs` more and reads
//! `/proc/PID/smaps_rollup` of every process of the app's tree (the app and its descendants: the
//! WebKitWebProcess and WebKitNetworkProcess): PSS, RSS and USS (`Private_Clean + Private_Dirty`), summed.
//! The session bus and what it activates (portals, the accessibility bus) are not counted, for either app.
//! Then SIGTERM to the tree (SIGKILL after 15 s) and to anything left that carries the run's HOME.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::feeds;
use crate::server::{Counts, FeedServer};
use crate::stats;

#[derive(Clone)]
pub struct Options {
    /// The Mediawatch app binary (`target/release/mediawatch-app`).
    pub app: PathBuf,
    /// The database it opens (in place).
    pub db: PathBuf,
    pub feeds: usize,
    pub items: usize,
    pub seed: u64,
    /// Seconds to wait, once the window is up and quiet, before memory is read.
    pub idle_secs: u64,
    pub runs: usize,
    /// The Liferea binary; `None` measures Mediawatch alone.
    pub liferea: Option<String>,
    /// Where the screen is saved (one PNG per app, first run).
    pub shots: Option<PathBuf>,
    /// Seconds each app may take to come up, fetch and go quiet.
    pub timeout_secs: u64,
}

type Res<T> = Result<T, String>;

/// Both windows' size: Mediawatch's own (tauri.conf.json).
const WINDOW: (u32, u32) = (1280, 820);
/// Quiet: the tree used fewer CPU ticks than this per second (100 ticks = one core)...
const QUIET_TICKS: u64 = 3;
/// ...for this many seconds in a row.
const QUIET_SECS: u32 = 5;

/// Memory of one process or a sum, in kB.
#[derive(Debug, Clone, Copy, Default)]
struct Mem {
    rss: u64,
    pss: u64,
    pss_anon: u64,
    pss_file: u64,
    uss: u64,
}

impl std::ops::AddAssign for Mem {
    fn add_assign(&mut self, o: Mem) {
        self.rss += o.rss;
        self.pss += o.pss;
        self.pss_anon += o.pss_anon;
        self.pss_file += o.pss_file;
        self.uss += o.uss;
    }
}

fn rollup(pid: u32) -> Option<Mem> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let mut m = Mem::default();
    let mut seen = false;
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else { continue };
        let kb: u64 = v.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
        match k {
            "Rss" => {
                m.rss = kb;
                seen = true;
            }
            "Pss" => m.pss = kb,
            "Pss_Anon" => m.pss_anon = kb,
            "Pss_File" => m.pss_file = kb,
            "Private_Clean" | "Private_Dirty" => m.uss += kb,
            _ => {}
        }
    }
    seen.then_some(m)
}

/// PSS and RSS (kB) of a process's mappings of `file` (SQLite's `mmap` of a database: file cache pages).
fn mapped(pid: u32, file: &Path) -> (u64, u64) {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else { return (0, 0) };
    let want = file.to_string_lossy();
    let (mut pss, mut rss, mut inside) = (0, 0, false);
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            // A mapping's header: range, perms, offset, dev, inode, path.
            inside = words.nth(4).is_some_and(|_| line.ends_with(&*want));
            continue;
        }
        if inside {
            let kb: u64 = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            match first {
                "Pss:" => pss += kb,
                "Rss:" => rss += kb,
                _ => {}
            }
        }
    }
    (pss, rss)
}

/// `(ppid, utime + stime, comm)` of a process.
fn stat(pid: u32) -> Option<(u32, u64, String)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_string();
    let rest: Vec<&str> = text[close + 1..].split_whitespace().collect();
    let ppid = rest.get(1)?.parse().ok()?;
    let ticks = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
    Some((ppid, ticks, comm))
}

fn pids() -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect()
}

/// `root` and its descendants, with their comm.
fn tree(root: u32) -> Vec<(u32, String)> {
    let mut children: HashMap<u32, Vec<(u32, String)>> = HashMap::new();
    let mut root_comm = None;
    for pid in pids() {
        if let Some((ppid, _, comm)) = stat(pid) {
            if pid == root {
                root_comm = Some(comm.clone());
            }
            children.entry(ppid).or_default().push((pid, comm));
        }
    }
    let Some(comm) = root_comm else { return Vec::new() };
    let mut out = vec![(root, comm)];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i].0) {
            out.extend(kids.iter().cloned());
        }
        i += 1;
    }
    out
}

fn tree_ticks(root: u32) -> u64 {
    tree(root).iter().filter_map(|(pid, _)| stat(*pid)).map(|(_, t, _)| t).sum()
}

/// Processes (other than this one) that carry `NAME=value` in their environment.
fn marked(marker: &str) -> Vec<u32> {
    let me = std::process::id();
    pids()
        .into_iter()
        .filter(|&p| p != me)
        .filter(|p| {
            std::fs::read(format!("/proc/{p}/environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == marker.as_bytes()))
        })
        .collect()
}

/// Processes that have `path` (or its `-wal`) open.
fn holders(path: &Path) -> Vec<(u32, String)> {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let me = std::process::id();
    let mut out = Vec::new();
    for pid in pids().into_iter().filter(|&p| p != me) {
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { continue };
        if fds.filter_map(Result::ok).any(|fd| std::fs::read_link(fd.path()).is_ok_and(|t| t == path || t == wal)) {
            out.push((pid, stat(pid).map(|s| s.2).unwrap_or_default()));
        }
    }
    out
}

fn signal(sig: &str, pids: &[u32]) {
    if pids.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .args(pids.iter().map(u32::to_string))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn alive(pid: u32) -> bool {
    // A zombie has exited: only its parent's wait is missing.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s.rfind(')').and_then(|i| s[i + 1..].split_whitespace().next()) != Some("Z"))
}

// ---- the display -------------------------------------------------------------------------------------------

struct Display {
    child: Child,
    number: u32,
    fbdir: tempfile::TempDir,
}

impl Display {
    fn start() -> Res<Display> {
        for number in 90..200 {
            if Path::new(&format!("/tmp/.X{number}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
            {
                continue;
            }
            let fbdir = tempfile::Builder::new().prefix("mw-memory-fb-").tempdir().map_err(|e| e.to_string())?;
            let mut child = Command::new("Xvfb")
                .arg(format!(":{number}"))
                .args(["-screen", "0", "1400x900x24", "-nolisten", "tcp", "-fbdir"])
                .arg(fbdir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("cannot start Xvfb (apt-get install xvfb): {e}"))?;
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(15) {
                if child.try_wait().map_err(|e| e.to_string())?.is_some() {
                    break; // taken meanwhile: the next number
                }
                if socket.exists() {
                    return Ok(Display { child, number, fbdir });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        Err("no free X display between :90 and :199".into())
    }

    fn name(&self) -> String {
        format!(":{}", self.number)
    }

    /// The screen as a PNG (from Xvfb's XWD frame buffer file).
    fn screenshot(&self, to: &Path) -> Res<()> {
        let xwd = std::fs::read(self.fbdir.path().join("Xvfb_screen0")).map_err(|e| e.to_string())?;
        std::fs::write(to, xwd_to_png(&xwd)?).map_err(|e| format!("cannot write {}: {e}", to.display()))
    }

    fn xdotool(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("xdotool").args(args).env("DISPLAY", self.name()).stderr(Stdio::null()).output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        signal("TERM", &[self.child.id()]);
        let _ = self.child.wait();
    }
}

// ---- one app, running -----------------------------------------------------------------------------------------

struct Running {
    session: Child,
    /// The app's process (the child of `dbus-run-session` that is not the bus).
    root: u32,
    /// `HOME=...` of this run: everything left with it is ours to stop.
    marker: String,
    home: tempfile::TempDir,
}

impl Running {
    /// Starts `program` under its own `dbus-run-session` in a new throw-away HOME, which `prepare` gets first.
    fn start(
        program: &Path,
        extra_env: &[(&str, String)],
        display: &Display,
        prepare: impl FnOnce(&Path) -> Res<()>,
    ) -> Res<Running> {
        let home = tempfile::Builder::new().prefix("mw-memory-home-").tempdir().map_err(|e| e.to_string())?;
        let h = home.path();
        for d in [".config", ".local/share", ".cache", "run"] {
            std::fs::create_dir_all(h.join(d)).map_err(|e| e.to_string())?;
        }
        let mut perms = std::fs::metadata(h.join("run")).map_err(|e| e.to_string())?.permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o700);
        std::fs::set_permissions(h.join("run"), perms).map_err(|e| e.to_string())?;
        prepare(h)?;
        Ok(Running {
            session: {
                let mut c = Command::new("dbus-run-session");
                c.arg("--").arg(program).env_clear();
                c.env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()))
                    .env("LANG", "C.UTF-8")
                    .env("HOME", h)
                    .env("XDG_CONFIG_HOME", h.join(".config"))
                    .env("XDG_DATA_HOME", h.join(".local/share"))
                    .env("XDG_CACHE_HOME", h.join(".cache"))
                    .env("XDG_RUNTIME_DIR", h.join("run"))
                    .env("DISPLAY", display.name())
                    .env("GDK_BACKEND", "x11")
                    .env("NO_AT_BRIDGE", "1");
                for (k, v) in extra_env {
                    c.env(k, v);
                }
                c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
                c.spawn().map_err(|e| format!("cannot run dbus-run-session (apt-get install dbus-daemon): {e}"))?
            },
            root: 0,
            marker: format!("HOME={}", h.display()),
            home,
        })
        .and_then(|mut r| {
            let start = Instant::now();
            let session = r.session.id();
            while start.elapsed() < Duration::from_secs(20) {
                let app = tree(session).into_iter().skip(1).find(|(pid, comm)| {
                    comm != "dbus-daemon" && stat(*pid).is_some_and(|(ppid, _, _)| ppid == session)
                });
                if let Some((pid, _)) = app {
                    r.root = pid;
                    return Ok(r);
                }
                if r.session.try_wait().map_err(|e| e.to_string())?.is_some() {
                    return Err(format!("{} exited at once", program.display()));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(format!("{} did not start", program.display()))
        })
    }

    fn is_running(&self) -> bool {
        alive(self.root)
    }

    /// Waits for a visible window of the app, then sets its size and position.
    fn wait_window(&self, display: &Display, title: &str, timeout: Duration) -> Res<Duration> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            let mut ids = display.xdotool(&["search", "--onlyvisible", "--pid", &self.root.to_string()]);
            if ids.as_deref().is_none_or(|s| s.trim().is_empty()) {
                ids = display.xdotool(&["search", "--onlyvisible", "--name", title]);
            }
            if let Some(id) = ids.as_deref().and_then(|s| s.lines().next()).map(str::trim).filter(|s| !s.is_empty()) {
                let (w, h) = (WINDOW.0.to_string(), WINDOW.1.to_string());
                display.xdotool(&["windowsize", id, &w, &h]);
                display.xdotool(&["windowmove", id, "0", "0"]);
                return Ok(start.elapsed());
            }
            if !self.is_running() {
                return Err(format!("{title} exited before its window showed"));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!("no window of {title} after {} s", timeout.as_secs()))
    }

    /// Waits until `ready()` holds and the tree has been quiet for `QUIET_SECS` in a row.
    fn wait_quiet(&self, timeout: Duration, mut ready: impl FnMut() -> Res<bool>) -> Res<Duration> {
        let start = Instant::now();
        let mut last = tree_ticks(self.root);
        let mut quiet = 0;
        while start.elapsed() < timeout {
            std::thread::sleep(Duration::from_secs(1));
            if !self.is_running() {
                return Err("the app exited".into());
            }
            let now = tree_ticks(self.root);
            let used = now.saturating_sub(last);
            last = now;
            quiet = if used < QUIET_TICKS { quiet + 1 } else { 0 };
            if quiet >= QUIET_SECS && ready()? {
                return Ok(start.elapsed());
            }
        }
        Err(format!("not ready and quiet after {} s", timeout.as_secs()))
    }

    /// The tree's memory: the sum, and each process; and the PSS and RSS of the maps of `db` in it.
    fn memory(&self, db: &Path) -> (Mem, Vec<(String, Mem)>, (u64, u64)) {
        let mut total = Mem::default();
        let mut each = Vec::new();
        let mut map = (0, 0);
        for (pid, comm) in tree(self.root) {
            if let Some(m) = rollup(pid) {
                total += m;
                each.push((comm, m));
                let (p, r) = mapped(pid, db);
                map = (map.0 + p, map.1 + r);
            }
        }
        (total, each, map)
    }

    fn stop(&mut self) {
        let pids: Vec<u32> = tree(self.root).into_iter().map(|(p, _)| p).collect();
        signal("TERM", &pids);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) && pids.iter().any(|&p| alive(p)) {
            std::thread::sleep(Duration::from_millis(100));
        }
        let left: Vec<u32> = pids.iter().copied().filter(|&p| alive(p)).collect();
        if !left.is_empty() {
            eprintln!("  SIGKILL to {left:?}, still running 15 s after SIGTERM");
            signal("KILL", &left);
        }
        // dbus-run-session ends with its child and stops the bus; what the bus started ends with it.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self.session.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let start = Instant::now();
        loop {
            let left = marked(&self.marker);
            if left.is_empty() {
                break;
            }
            if start.elapsed() > Duration::from_secs(10) {
                signal("KILL", &left);
                break;
            }
            signal("TERM", &left);
            std::thread::sleep(Duration::from_millis(300));
        }
        let _ = self.session.kill();
        let _ = self.session.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.session.try_wait().ok().flatten().is_none() || !marked(&self.marker).is_empty() {
            self.stop();
        }
    }
}

// ---- one run of each app ------------------------------------------------------------------------------------

#[derive(Default)]
struct Sample {
    /// From start to window, and from window to ready and quiet.
    window: Duration,
    quiet: Duration,
    /// When it went quiet, and `idle_secs` later (the figure).
    at_quiet: Mem,
    idle: Mem,
    each: Vec<(String, Mem)>,
    /// PSS and RSS of the app's database file mapped into it (part of `idle`).
    db_map: (u64, u64),
    /// What the feed server answered from start to stop.
    served: Counts,
    /// Liferea: subscriptions and items in its database when measured.
    held: Option<(usize, usize)>,
}

fn measure_mediawatch(o: &Options, display: &Display, server: &FeedServer, shot: Option<&Path>) -> Res<Sample> {
    let before = server.counts();
    let mut app = Running::start(&o.app, &[("MEDIAWATCH_DB", o.db.display().to_string())], display, |_| Ok(()))?;
    let timeout = Duration::from_secs(o.timeout_secs);
    let window = app.wait_window(display, "Mediawatch", timeout)?;
    let quiet = app.wait_quiet(timeout, || Ok(true))?;
    let at_quiet = app.memory(&o.db).0;
    idle(&app, o.idle_secs)?;
    let (mem, each, db_map) = app.memory(&o.db);
    if let Some(p) = shot {
        display.screenshot(p)?;
    }
    app.stop();
    let served = server.counts().since(before);
    Ok(Sample { window, quiet, at_quiet, idle: mem, each, db_map, served, held: None })
}

fn measure_liferea(o: &Options, bin: &str, display: &Display, server: &FeedServer, shot: Option<&Path>) -> Res<Sample> {
    let before = server.counts();
    let feedlist = opml(&server.urls);
    // 1.14 reads `$XDG_CONFIG_HOME/liferea/feedlist.opml` (without it, its default list of web feeds).
    let mut app = Running::start(Path::new(bin), &[], display, |home| {
        let dir = home.join(".config/liferea");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("feedlist.opml"), &feedlist).map_err(|e| e.to_string())
    })?;
    let timeout = Duration::from_secs(o.timeout_secs);
    let window = app.wait_window(display, "Liferea", timeout)?;
    let db = app.home.path().join(".local/share/liferea/liferea.db");
    let want = (o.feeds, o.feeds * o.items);
    let quiet = app.wait_quiet(timeout, || {
        let fetched = server.counts().since(before).ok >= o.feeds as u64;
        Ok(fetched && liferea_holds(&db).is_some_and(|h| h == want))
    });
    let quiet = quiet.map_err(|e| {
        format!(
            "Liferea: {e} (its database holds {:?} (subscriptions, items) of {want:?}; the server answered {:?})",
            liferea_holds(&db),
            server.counts().since(before)
        )
    })?;
    let at_quiet = app.memory(&db).0;
    idle(&app, o.idle_secs)?;
    let (mem, each, db_map) = app.memory(&db);
    let held = liferea_holds(&db);
    if let Some(p) = shot {
        display.screenshot(p)?;
    }
    app.stop();
    Ok(Sample { window, quiet, at_quiet, idle: mem, each, db_map, served: server.counts().since(before), held })
}

fn idle(app: &Running, secs: u64) -> Res<()> {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(500).min(until.saturating_duration_since(Instant::now())));
        if !app.is_running() {
            return Err("the app exited while idle".into());
        }
    }
    Ok(())
}

/// `(subscriptions, items)` in Liferea's database, when it can be read.
fn liferea_holds(db: &Path) -> Option<(usize, usize)> {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).ok().map(|n| n as usize);
    Some((n("SELECT count(*) FROM subscription")?, n("SELECT count(*) FROM items")?))
}

fn opml(urls: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"1.0\">\n<head><title>bench</title></head>\n<body>\n",
    );
    for (i, u) in urls.iter().enumerate() {
        let _ = writeln!(s, "<outline title=\"Feed {i}\" text=\"Feed {i}\" type=\"rss\" xmlUrl=\"{u}\"/>");
    }
    s.push_str("</body>\n</opml>\n");
    s
}

/// What the Mediawatch database holds (read-only, before the runs).
fn mediawatch_holds(db: &Path) -> Res<String> {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| e.to_string())?;
    let n = |sql: &str| -> Res<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(|e| format!("{sql}: {e}")) };
    let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "{} articles, {} topic mentions, {} sources ({} of them fetched feeds), {} topics; {:.0} MB on disk",
        n("SELECT count(*) FROM articles")?,
        n("SELECT count(*) FROM mentions")?,
        n("SELECT count(*) FROM sources")?,
        n("SELECT count(*) FROM sources WHERE kind <> 'page'")?,
        n("SELECT count(*) FROM topics")?,
        size as f64 / 1e6
    ))
}

// ---- the report ---------------------------------------------------------------------------------------------

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    match v.len() {
        0 => 0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

/// `median (min–max)` in MB.
fn spread(v: Vec<u64>) -> String {
    let (lo, hi) = (v.iter().min().copied().unwrap_or(0), v.iter().max().copied().unwrap_or(0));
    format!("{} ({}–{})", mb(median(v)), mb(lo), mb(hi))
}

fn role(comm: &str) -> &str {
    match comm {
        "WebKitWebProces" => "WebKitWebProcess",
        "WebKitNetworkPr" => "WebKitNetworkProcess",
        c => c,
    }
}

fn package_version(pkg: &str) -> String {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", pkg])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "?".into())
}

pub fn run(o: &Options) -> Res<String> {
    if !o.app.is_file() {
        return Err(format!("{} is missing (make ui, then cargo build --release -p mediawatch-app)", o.app.display()));
    }
    let db = std::fs::canonicalize(&o.db).map_err(|e| format!("{}: {e}", o.db.display()))?;
    let busy = holders(&db);
    if !busy.is_empty() {
        return Err(format!("{} is open by {busy:?}: wait until it is done", db.display()));
    }
    let o = Options { db, ..o.clone() };
    let machine = stats::machine(None);
    eprintln!("machine: {machine}");
    let holds = mediawatch_holds(&o.db)?;
    eprintln!("Mediawatch's database: {holds}");
    let docs = feeds::generate(o.feeds, o.items, o.seed);
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let server = FeedServer::start(docs).map_err(|e| format!("cannot start the feed server: {e}"))?;
    eprintln!("serving {} feeds × {} items ({:.1} MB) on loopback hosts", o.feeds, o.items, bytes as f64 / 1e6);
    let display = Display::start()?;
    eprintln!("Xvfb on {}", display.name());
    if let Some(dir) = &o.shots {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let shot = |name: &str, run: usize| o.shots.as_ref().filter(|_| run == 1).map(|d| d.join(name));

    let mut mw: Vec<Sample> = Vec::new();
    let mut lf: Vec<Sample> = Vec::new();
    for run in 1..=o.runs {
        eprintln!("run {run}/{}", o.runs);
        let s = measure_mediawatch(&o, &display, &server, shot("mediawatch.png", run).as_deref())?;
        eprintln!(
            "  Mediawatch  window {:.1} s, quiet {:.1} s later; PSS {} MB (at quiet {} MB), RSS {}, USS {}; served {:?}",
            s.window.as_secs_f64(),
            s.quiet.as_secs_f64(),
            mb(s.idle.pss),
            mb(s.at_quiet.pss),
            mb(s.idle.rss),
            mb(s.idle.uss),
            s.served
        );
        mw.push(s);
        if let Some(bin) = &o.liferea {
            let s = measure_liferea(&o, bin, &display, &server, shot("liferea.png", run).as_deref())?;
            eprintln!(
                "  Liferea     window {:.1} s, fetched and quiet {:.1} s later; PSS {} MB (at quiet {} MB), RSS {}, USS {}; holds {:?}; served {:?}",
                s.window.as_secs_f64(),
                s.quiet.as_secs_f64(),
                mb(s.idle.pss),
                mb(s.at_quiet.pss),
                mb(s.idle.rss),
                mb(s.idle.uss),
                s.held,
                s.served
            );
            lf.push(s);
        }
    }

    let mut t = String::new();
    let _ = writeln!(t, "Machine: {machine}");
    let _ = writeln!(
        t,
        "WebKitGTK: libwebkit2gtk-4.1 {} (Mediawatch), libwebkit2gtk-4.0 {} (Liferea {}); Xvfb 1400×900×24, both windows \
         {}×{}; {} runs, interleaved; memory read {} s after the window was up and quiet.\n",
        package_version("libwebkit2gtk-4.1-0"),
        package_version("libwebkit2gtk-4.0-37"),
        package_version("liferea"),
        WINDOW.0,
        WINDOW.1,
        o.runs,
        o.idle_secs
    );
    let _ = writeln!(t, "Mediawatch: `{}`, database `{}`: {holds}.", o.app.display(), o.db.display());
    if let Some(held) = lf.last().and_then(|s| s.held) {
        let _ = writeln!(
            t,
            "Liferea: {} subscriptions, {} items in its database (the local server's {} feeds × {} items, {:.1} MB of RSS).",
            held.0,
            held.1,
            o.feeds,
            o.items,
            bytes as f64 / 1e6
        );
    }
    t.push('\n');
    let _ =
        writeln!(t, "| app (process tree) | PSS, MB | RSS, MB | USS, MB | PSS anon / file, MB | of which its database mapped (PSS / RSS), MB | PSS when quiet, MB |");
    let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(&str, &Vec<Sample>)> = vec![("Mediawatch", &mw)];
    if !lf.is_empty() {
        rows.push(("Liferea", &lf));
    }
    for (name, s) in &rows {
        let col = |f: fn(&Sample) -> u64| s.iter().map(f).collect::<Vec<_>>();
        let _ = writeln!(
            t,
            "| {name} | {} | {} | {} | {} / {} | {} / {} | {} |",
            spread(col(|s| s.idle.pss)),
            spread(col(|s| s.idle.rss)),
            spread(col(|s| s.idle.uss)),
            mb(median(col(|s| s.idle.pss_anon))),
            mb(median(col(|s| s.idle.pss_file))),
            mb(median(col(|s| s.db_map.0))),
            mb(median(col(|s| s.db_map.1))),
            spread(col(|s| s.at_quiet.pss)),
        );
    }
    t.push('\n');
    if !lf.is_empty() {
        let m = |s: &Vec<Sample>, f: fn(&Sample) -> u64| median(s.iter().map(f).collect()) as f64;
        let _ = writeln!(
            t,
            "Ratio Mediawatch / Liferea (medians): PSS {:.2}×, RSS {:.2}×, USS {:.2}×.\n",
            m(&mw, |s| s.idle.pss) / m(&lf, |s| s.idle.pss).max(1.0),
            m(&mw, |s| s.idle.rss) / m(&lf, |s| s.idle.rss).max(1.0),
            m(&mw, |s| s.idle.uss) / m(&lf, |s| s.idle.uss).max(1.0),
        );
    }
    let _ = writeln!(t, "Per process (median PSS / RSS / USS, MB):\n");
    for (name, s) in &rows {
        let mut by: Vec<(String, Vec<Mem>)> = Vec::new();
        for sample in s.iter() {
            for (comm, m) in &sample.each {
                let r = role(comm).to_string();
                match by.iter_mut().find(|(k, _)| *k == r) {
                    Some((_, v)) => v.push(*m),
                    None => by.push((r, vec![*m])),
                }
            }
        }
        let parts: Vec<String> = by
            .iter()
            .map(|(r, v)| {
                let col = |f: fn(&Mem) -> u64| median(v.iter().map(f).collect());
                format!("{r} {} / {} / {}", mb(col(|m| m.pss)), mb(col(|m| m.rss)), mb(col(|m| m.uss)))
            })
            .collect();
        let _ = writeln!(t, "- {name}: {}", parts.join("; "));
    }
    t.push('\n');
    for (name, s) in &rows {
        let secs = |f: fn(&Sample) -> Duration| {
            let mut v: Vec<f64> = s.iter().map(|x| f(x).as_secs_f64()).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        let mut served: Vec<String> =
            s.iter().map(|x| format!("{} × 200, {} other", x.served.ok, x.served.other)).collect();
        served.dedup();
        if served.len() == 1 {
            served[0].push_str(" in each run");
        }
        let _ = writeln!(
            t,
            "- {name}: window after {:.1} s, ready and quiet {:.1} s later (medians); the feed server answered it: {}.",
            secs(|x| x.window),
            secs(|x| x.quiet),
            served.join("; ")
        );
    }
    if let Some(dir) = &o.shots {
        let _ = writeln!(t, "\nScreens (first run): {}/mediawatch.png, {}/liferea.png", dir.display(), dir.display());
    }
    Ok(t)
}

// ---- XWD to PNG -------------------------------------------------------------------------------------------------

/// Xvfb's frame buffer file (XWD, 32 bits per pixel, TrueColor) as an RGB PNG (stored, uncompressed deflate).
fn xwd_to_png(x: &[u8]) -> Res<Vec<u8>> {
    let word = |i: usize| -> Res<usize> {
        x.get(i * 4..i * 4 + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(|| "short XWD header".to_string())
    };
    let (header, width, height, byte_order, bpp, stride, ncolors) =
        (word(0)?, word(4)?, word(5)?, word(7)?, word(11)?, word(12)?, word(19)?);
    if bpp != 32 {
        return Err(format!("XWD of {bpp} bits per pixel"));
    }
    let data = header + ncolors * 12;
    let mut raw = Vec::with_capacity(height * (width * 3 + 1));
    for y in 0..height {
        raw.push(0); // filter: none
        let row = x.get(data + y * stride..data + y * stride + width * 4).ok_or("short XWD")?;
        for p in row.chunks_exact(4) {
            // LSB first: B G R x; MSB first: x R G B.
            let (r, g, b) = if byte_order == 0 { (p[2], p[1], p[0]) } else { (p[1], p[2], p[3]) };
            raw.extend_from_slice(&[r, g, b]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks = raw.chunks(65_535).collect::<Vec<_>>();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(width as u32).to_be_bytes());
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &z), (b"IEND", &[])] {
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(body);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    Ok(png)
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_the_png_iend_chunk() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn a_two_by_one_xwd_becomes_a_png() {
        let mut x = vec![0u8; 100];
        for (i, v) in [(0, 100u32), (4, 2), (5, 1), (7, 0), (11, 32), (12, 8), (19, 0)] {
            x[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
        }
        x.extend_from_slice(&[0x30, 0x20, 0x10, 0, 0xff, 0xff, 0xff, 0]);
        let png = xwd_to_png(&x).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let at = png.windows(4).position(|w| w == b"IDAT").unwrap();
        // zlib header, one final stored block of 7 bytes: filter 0, then RGB 10 20 30, RGB ff ff ff.
        assert_eq!(
            &png[at + 4..at + 4 + 2 + 5 + 7],
            &[0x78, 1, 1, 7, 0, 0xf8, 0xff, 0, 0x10, 0x20, 0x30, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn the_tree_of_this_process_is_itself() {
        let me = std::process::id();
        let t = tree(me);
        assert_eq!(t.first().map(|x| x.0), Some(me));
        assert!(rollup(me).is_some_and(|m| m.pss > 0 && m.rss >= m.uss));
    }
}
