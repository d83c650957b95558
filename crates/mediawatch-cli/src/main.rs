//! `mediawatch`: the command line front door to mediawatch-core (see shared/design/CLI.md, the contract).
//! Each command parses its arguments, calls the core, and prints text or, with `--json`, one JSON document.
//!
//! This file holds the arguments (clap) and the dispatch; each command group runs in a module of its own
//! (`documents`: parse-feed and extract, `sources`, `fetching`: fetch and run, `import`, `topics`, `mentions`:
//! mentions and search, `matching`: match, `alerts`: rules and the inbox, `reports`: export, saved reports and stars,
//! `settings`: settings and secrets), and `output` is the one place that prints.

/// The allocator: html5ever and the DOM allocate per node and per text run (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod alerts;
mod documents;
mod fetching;
mod import;
mod matching;
mod mentions;
mod output;
mod reports;
mod settings;
mod sources;
mod topics;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use mediawatch_core::{CancellationToken, Error, FetchRequest, Mediawatch};

use output::Out;

#[derive(Parser)]
#[command(
    name = "mediawatch",
    version,
    about = "Media monitoring from the command line: sources, fetching, topics, mentions, alerts."
)]
struct Cli {
    /// The database (default: $MEDIAWATCH_DB, else the platform data directory, shared with the desktop app).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print exactly one JSON document on stdout; errors as {"error":{"code","message"}} on stderr.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a feed file or URL and print its items (no database).
    ParseFeed {
        /// A file path, or an http(s) URL.
        input: String,
        /// Plays the HTTP Content-Type header (e.g. "application/rss+xml; charset=windows-1251").
        #[arg(long = "content-type", value_name = "CT")]
        content_type: Option<String>,
        /// The document URL that relative links resolve against.
        #[arg(long, value_name = "DOC_URL")]
        url: Option<String>,
    },
    /// Extract the article from a saved HTML page or a URL (no database): title, byline, date, language,
    /// canonical URL, the text (paragraphs separated by blank lines) and the HTML (sanitised for display).
    Extract {
        /// A file path, or an http(s) URL.
        input: String,
        /// The page's URL, for relative links and the canonical URL (when INPUT is a file).
        #[arg(long, value_name = "PAGE_URL")]
        url: Option<String>,
        /// Plays the HTTP Content-Type header (e.g. "text/html; charset=gbk").
        #[arg(long = "content-type", value_name = "CT")]
        content_type: Option<String>,
    },
    /// Manage the news sources.
    #[command(subcommand)]
    Sources(SourcesCmd),
    /// Fetch the due sources (or all), store new articles and flag topics; prints a summary.
    Fetch {
        #[arg(long, value_name = "ID")]
        source: Option<i64>,
        /// Fetch every enabled source, due or not.
        #[arg(long)]
        all: bool,
    },
    /// Add saved HTML pages or JSON-lines articles (a file, or a folder read recursively) to the store as if
    /// fetched: deduplicated, matched against the topics, grouped into stories. Prints the same summary as
    /// `fetch`.
    Import { path: PathBuf },
    /// Run the scheduler in the foreground: fetch each source when it is due, store, flag topics, until
    /// interrupted (Ctrl-C). Progress on stderr.
    Run,
    /// Manage the tracked topics.
    #[command(subcommand)]
    Topics(TopicsCmd),
    /// Match documents against topics without a database (pure). Prints one JSON line per (document, topic)
    /// match: {"doc", "topic", "spans": [{"field", "start", "end", "term"}]} (character offsets).
    Match {
        /// One topic a line: ID<TAB>QUERY.
        #[arg(long, value_name = "FILE")]
        topics: PathBuf,
        /// JSON lines: {"id", "title", "text", "lang"?, "source"?, "url"?, "author"?}.
        #[arg(long, value_name = "FILE")]
        docs: PathBuf,
        /// Print documents/s and the number of topics on stderr.
        #[arg(long)]
        stats: bool,
        /// Match plain words by their Snowball stem (English, Russian) for every topic.
        #[arg(long)]
        stem: bool,
    },
    /// Full-text search over every stored article in the topic query language, newest first.
    Search {
        query: String,
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
        /// newest (default) or relevance (bm25, when the hits are few enough to rank them all).
        #[arg(long, value_name = "ORDER", value_parser = ["newest", "relevance"])]
        order: Option<String>,
        /// Only this source's articles (its id, as `sources list` prints it).
        #[arg(long, value_name = "ID")]
        source: Option<i64>,
        /// Only articles in this language (a code such as en, ru, zh; "" for an unknown language).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// Only articles that are mentions of this topic.
        #[arg(long, value_name = "NAME")]
        topic: Option<String>,
        /// Only articles not read yet (in the app).
        #[arg(long)]
        unread: bool,
        /// Print the matches counted per topic, source and language instead of the hits
        /// (`{"total", "topics", "sources", "langs", "capped"}` with --json).
        #[arg(long)]
        facets: bool,
    },
    /// The flagged articles, newest first (or by relevance), with topic names and highlighted spans.
    Mentions {
        #[arg(long, value_name = "NAME")]
        topic: Option<String>,
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
        /// Only this source's articles (its id, as `sources list` prints it).
        #[arg(long, value_name = "ID")]
        source: Option<i64>,
        /// Only articles in this language (a code such as en, ru, zh).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        /// Only articles not read yet (in the app).
        #[arg(long)]
        unread: bool,
        /// Only starred articles (`star ID`).
        #[arg(long)]
        starred: bool,
        /// Only articles of the sources in this group (any case; "" for the sources without a group).
        #[arg(long, value_name = "NAME")]
        group: Option<String>,
        /// newest (default) or relevance: by the mention's score (title matches weigh 3, text matches 1, times
        /// the distinct terms matched), then newest first.
        #[arg(long, value_name = "ORDER", value_parser = ["newest", "relevance"])]
        order: Option<String>,
    },
    /// Topic alerts: the rules, and the inbox of fired alerts with their deliveries.
    #[command(subcommand)]
    Alerts(AlertsCmd),
    /// The app's settings (the same ones its Settings page edits).
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Secrets (the SMTP password), kept in the OS keyring, or a file only you can read where there is none.
    #[command(subcommand)]
    Secrets(SecretsCmd),
    /// Write a report of the flagged articles: csv, json, ndjson, xlsx, pdf or html. The file is replaced
    /// only when the report is complete. Prints {"path", "format", "mentions", "articles", "bytes", "seconds"}
    /// with --json.
    Export {
        #[arg(long, value_name = "FORMAT", value_parser = ["csv", "json", "ndjson", "xlsx", "pdf", "html"])]
        format: String,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        args: Box<ReportArgs>,
    },
    /// Saved report definitions: save, list, run, remove, schedule (`run` writes the due ones).
    #[command(subcommand)]
    Reports(ReportsCmd),
    /// Star an article (reports with --starred take only the starred ones); --off takes the star away.
    Star {
        id: i64,
        #[arg(long)]
        off: bool,
    },
}

/// A report's scope and content (`export` and `reports save`).
#[derive(Args, Clone)]
pub struct ReportArgs {
    /// A topic's name (repeatable; none: every topic).
    #[arg(long, value_name = "NAME")]
    pub topic: Vec<String>,
    /// The first day (YYYY-MM-DD, a day of the report's zone: see --tz) or instant (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The day (YYYY-MM-DD, of the report's zone) or instant (RFC 3339) the report ends before.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The last DURATION before the report is written ("7d", "24h"), instead of --since/--until.
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["since", "until"])]
    pub last: Option<String>,
    /// A source's id (repeatable).
    #[arg(long, value_name = "ID")]
    pub source: Vec<i64>,
    /// A source group's name.
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// A language code (repeatable): en, ru, zh...
    #[arg(long, value_name = "CODE")]
    pub lang: Vec<String>,
    /// A query in the topic language the articles must also match.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Starred articles only.
    #[arg(long)]
    pub starred: bool,
    /// The newest N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// The report's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Each article's full text, not only the keyword-in-context snippets.
    #[arg(long)]
    pub full_text: bool,
    /// No volume charts.
    #[arg(long)]
    pub no_charts: bool,
    /// CSV: start with a UTF-8 byte order mark (Excel then reads Cyrillic and Chinese right).
    #[arg(long)]
    pub bom: bool,
    /// The IANA zone of the report's days and times, and of bare --since/--until dates (default
    /// `alerts.timezone`, else the system's). CSV and JSON times stay UTC.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

#[derive(Subcommand)]
pub enum ReportsCmd {
    /// Save a report definition under NAME (replacing one of that name; its schedule stays).
    Save {
        name: String,
        /// The format it is written in (default pdf; `run -o FILE` follows FILE's extension).
        #[arg(long, value_name = "FORMAT", value_parser = ["csv", "json", "ndjson", "xlsx", "pdf", "html"])]
        format: Option<String>,
        #[command(flatten)]
        args: Box<ReportArgs>,
    },
    /// The saved reports, with their schedules and last runs.
    List,
    /// Write a saved report now.
    Run {
        name: String,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Remove a saved report.
    Remove { name: String },
    /// Write a saved report by itself, daily or weekly, into a folder or by e-mail (`mediawatch run` and the
    /// desktop app write the due ones); --off stops it.
    Schedule {
        name: String,
        #[command(flatten)]
        opts: ScheduleArgs,
    },
}

#[derive(Args)]
pub struct ScheduleArgs {
    /// day or week.
    #[arg(long, value_name = "EVERY", required_unless_present = "off")]
    pub every: Option<String>,
    /// HH:MM (default 08:00).
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// mon … sun (weekly; default mon).
    #[arg(long, value_name = "D")]
    pub day: Option<String>,
    /// IANA zone (default: the system's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    #[arg(long, value_name = "DIR", conflicts_with = "email", required_unless_present_any = ["email", "off"])]
    pub to_dir: Option<PathBuf>,
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
    /// Stop the schedule.
    #[arg(long, conflicts_with_all = ["every", "to_dir", "email"])]
    pub off: bool,
}

#[derive(Subcommand)]
enum AlertsCmd {
    /// Alert rules: add, list, edit, remove, test.
    #[command(subcommand)]
    Rules(RulesCmd),
    /// Fired alerts, newest first, with their mentions and each delivery's status.
    List {
        #[arg(long)]
        unread: bool,
        #[arg(long, value_name = "ID")]
        rule: Option<i64>,
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
    },
    /// Mark an alert read (or every alert, with --all).
    Read {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<i64>,
        #[arg(long)]
        all: bool,
    },
    /// Evaluate the rules and send the deliveries that are due now (retries included).
    Deliver,
}

#[derive(Subcommand)]
enum RulesCmd {
    /// Add a rule. CH is desktop, inbox, webhook:URL, ntfy:URL or email:ADDRESS (repeatable); every alert is
    /// also kept in the inbox.
    Add(Box<RuleArgs>),
    /// List the rules.
    List,
    /// Change a rule; options left out stay as they are ("" clears --quiet and --min-interval).
    Edit {
        id: i64,
        #[command(flatten)]
        opts: Box<RuleArgs>,
        /// Unpause the rule.
        #[arg(long, conflicts_with = "paused")]
        resume: bool,
        /// Count syndicated copies one by one again.
        #[arg(long, conflicts_with = "new_stories_only")]
        all_stories: bool,
        /// Remove the rule's webhook secret (deliveries go unsigned).
        #[arg(long, conflicts_with = "secret_stdin")]
        no_secret: bool,
    },
    /// Remove a rule (its alerts stay in the inbox).
    Remove { id: i64 },
    /// Send a test alert through each of the rule's channels now, and report each channel's outcome.
    Test { id: i64 },
}

#[derive(Args)]
struct RuleArgs {
    /// The topic's name (or id).
    #[arg(long, value_name = "NAME")]
    topic: Option<String>,
    #[arg(long, value_parser = ["instant", "digest", "spike"])]
    kind: Option<String>,
    #[arg(long = "channel", value_name = "CH")]
    channels: Vec<String>,
    #[arg(long)]
    name: Option<String>,
    /// Digest: hour, day (default) or week.
    #[arg(long, value_parser = ["hour", "day", "week"])]
    every: Option<String>,
    /// Digest: the time of day, HH:MM (default 08:00).
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
    /// Digest: the day of a weekly digest (default mon).
    #[arg(long, value_parser = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])]
    day: Option<String>,
    /// The rule's IANA zone (default: the alerts.timezone setting, else the system's).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Spike: the recent window (default 6h).
    #[arg(long, value_name = "DURATION")]
    window: Option<String>,
    /// Spike: the baseline the window is compared with (default 14d).
    #[arg(long, value_name = "DURATION")]
    baseline: Option<String>,
    /// Spike: the least count that may alert (default 5).
    #[arg(long = "min-count", value_name = "N")]
    min_count: Option<u32>,
    /// Spike: low, medium (default) or high.
    #[arg(long, value_parser = ["low", "medium", "high"])]
    sensitivity: Option<String>,
    /// Quiet hours on the rule's clock, HH:MM-HH:MM: alerts wait, then go out once.
    #[arg(long, value_name = "HH:MM-HH:MM")]
    quiet: Option<String>,
    /// The least time between two alerts of the rule.
    #[arg(long = "min-interval", value_name = "DURATION")]
    min_interval: Option<String>,
    /// Syndicated copies of one story count once.
    #[arg(long = "new-stories-only")]
    new_stories_only: bool,
    /// Save the rule paused.
    #[arg(long)]
    paused: bool,
    /// Read a webhook secret (whsec_<base64>) from stdin: webhook deliveries are signed (Standard Webhooks).
    #[arg(long = "secret-stdin")]
    secret_stdin: bool,
}

#[derive(Subcommand)]
enum SettingsCmd {
    /// Print every setting, or one.
    Get { key: Option<String> },
    /// Set a setting ("" resets it to its default).
    Set { key: String, value: String },
}

#[derive(Subcommand)]
enum SecretsCmd {
    /// Read one secret from stdin (smtp.password) into the OS keyring; it is never printed back.
    Set { name: String },
}

#[derive(Subcommand)]
enum SourcesCmd {
    /// Add a feed URL.
    Add {
        url: String,
        #[arg(long)]
        name: Option<String>,
        /// Minutes between scheduled fetches.
        #[arg(long, value_name = "MINUTES")]
        interval: Option<u32>,
        /// When to fetch each item's article page for its full text.
        #[arg(long = "full-text", value_name = "MODE", value_parser = ["auto", "always", "never"])]
        full_text: Option<String>,
    },
    /// List the sources with their health.
    List,
    /// Change a source's settings; options left out stay as they are.
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        /// The folder to file the source under ("" takes it out of its folder).
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// Minutes between scheduled fetches.
        #[arg(long, value_name = "MINUTES")]
        interval: Option<u32>,
        #[arg(long = "full-text", value_name = "MODE", value_parser = ["auto", "always", "never"])]
        full_text: Option<String>,
        /// Fetch the source again on schedule.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Stop fetching the source (its articles stay).
        #[arg(long)]
        disable: bool,
    },
    /// Remove a source and its articles.
    Remove { id: i64 },
    /// Add the feeds of an OPML file (folders become groups; feeds already present are skipped).
    ImportOpml { file: PathBuf },
    /// Write every source to an OPML file (groups become folders).
    ExportOpml { file: PathBuf },
}

#[derive(Subcommand)]
enum TopicsCmd {
    /// Add a topic; stored articles are matched against it right away (progress on stderr; Ctrl-C cancels
    /// and adds nothing).
    Add {
        name: String,
        query: String,
        #[arg(long)]
        description: Option<String>,
        /// Match plain words by their Snowball stem (English, Russian) as well as exactly.
        #[arg(long)]
        stem: bool,
    },
    /// Change a topic's query (and optionally its name, description, stemming); stored articles are matched
    /// again (progress on stderr; Ctrl-C cancels and leaves the topic as it was).
    Edit {
        /// The topic's id or name.
        topic: String,
        query: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Match plain words by their Snowball stem.
        #[arg(long, conflicts_with = "no_stem")]
        stem: bool,
        /// Match words exactly (no stemming).
        #[arg(long = "no-stem")]
        no_stem: bool,
    },
    /// What a query would flag among the stored articles, without saving it.
    Preview {
        query: String,
        #[arg(long)]
        stem: bool,
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: u32,
    },
    /// List the topics.
    List,
    /// Remove a topic (by id or name) and its mentions.
    Remove { topic: String },
    /// Install the default topic pack; running it again changes nothing.
    AddDefaults,
    /// Show how a query is read, or where it is wrong.
    Check { query: String },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::usage_error(&e),
    };
    let out = Out { json: cli.json };
    // `match` is pure (no database, no network): it runs without the async runtime and its threads.
    if let Command::Match { topics, docs, stats, stem } = &cli.command {
        return match matching::match_files(topics, docs, *stats, *stem) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => out.fail(&e),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return out.fail(&Error::Internal(format!("cannot start the async runtime: {e}"))),
    };
    match runtime.block_on(run(cli, out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(&e),
    }
}

fn open(db: Option<PathBuf>) -> mediawatch_core::Result<Mediawatch> {
    let path = match db {
        Some(p) => p,
        None => mediawatch_core::default_db_path()?,
    };
    Mediawatch::open(path)
}

/// A cancellation token that Ctrl-C (SIGINT) cancels: long jobs stop cleanly, leaving nothing half-written.
fn cancel_on_interrupt() -> CancellationToken {
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    cancel
}

fn parse_date(s: &str, flag: &str) -> mediawatch_core::Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| Error::InvalidInput(format!("{flag} '{s}' is not a date (YYYY-MM-DD or RFC 3339)")))
}

/// Runs one command (every command but `match` runs here, inside the async runtime).
async fn run(cli: Cli, out: Out) -> mediawatch_core::Result<()> {
    match cli.command {
        Command::ParseFeed { input, content_type, url } => documents::parse_feed(&input, content_type, url, out).await,
        Command::Extract { input, url, content_type } => documents::extract(&input, url, content_type, out).await,
        Command::Sources(cmd) => sources::run(&open(cli.db)?, cmd, out).await,
        Command::Fetch { source, all } => fetching::fetch(&open(cli.db)?, FetchRequest { source, all }, out).await,
        Command::Import { path } => import::import(&open(cli.db)?, path, out).await,
        Command::Run => fetching::run_scheduler(&open(cli.db)?, out).await,
        Command::Topics(cmd) => topics::run(cli.db, cmd, out).await,
        // `main` runs `match` before the runtime starts; the arm stays so that `run` handles every command.
        Command::Match { topics, docs, stats, stem } => matching::match_files(&topics, &docs, stats, stem),
        Command::Search { query, since, until, limit, order, source, lang, topic, unread, facets } => {
            let filter = mentions::SearchFilter { since, until, source_id: source, lang, topic, unread_only: unread };
            mentions::search(&open(cli.db)?, query, filter, limit, order, facets, out).await
        }
        Command::Mentions { topic, since, until, limit, source, lang, unread, starred, group, order } => {
            let filter = mentions::Filter {
                topic,
                since,
                until,
                source_id: source,
                lang,
                unread_only: unread,
                starred_only: starred,
                group,
            };
            mentions::mentions(&open(cli.db)?, filter, order, limit, out).await
        }
        Command::Alerts(cmd) => alerts::run(&open(cli.db)?, cmd, out).await,
        Command::Settings(cmd) => settings::settings(&open(cli.db)?, cmd, out).await,
        Command::Secrets(cmd) => settings::secrets(&open(cli.db)?, cmd, out).await,
        Command::Export { format, output, args } => reports::export(&open(cli.db)?, &format, output, &args, out).await,
        Command::Reports(cmd) => reports::run(&open(cli.db)?, cmd, out).await,
        Command::Star { id, off } => reports::star(&open(cli.db)?, id, off, out).await,
    }
}
