//! `mediawatch export` (one report, in any format) and `mediawatch reports` (saved and scheduled report
//! definitions), and `star` for the articles a `--starred` report takes.

use std::path::{Path, PathBuf};

use mediawatch_core::model::{DigestEvery, ReportContent, ReportDefinition, ReportFormat, ReportSchedule, ReportScope};
use mediawatch_core::{Error, Mediawatch};

use crate::output::{self, Out};
use crate::{parse_date, ReportArgs, ReportsCmd, ScheduleArgs};

fn format(s: &str) -> mediawatch_core::Result<ReportFormat> {
    s.parse().map_err(Error::InvalidInput)
}

/// The format a file's extension names, if any.
fn format_of(path: &Path) -> Option<ReportFormat> {
    path.extension().and_then(|e| e.to_str()).and_then(|e| e.parse().ok())
}

/// The definition the flags describe. Bare `--since`/`--until` dates are days of the report's zone; when
/// they are given, the zone is written into the definition, so that a saved report's dates and its days
/// never come apart when `alerts.timezone` changes later.
pub async fn definition(
    core: &Mediawatch,
    a: &ReportArgs,
    format: ReportFormat,
) -> mediawatch_core::Result<ReportDefinition> {
    let zone = core.report_timezone(a.tz.clone()).await?;
    let bare = [&a.since, &a.until].into_iter().flatten().any(|s| chrono::DateTime::parse_from_rfc3339(s).is_err());
    Ok(ReportDefinition {
        scope: ReportScope {
            topics: a.topic.clone(),
            since: a.since.as_deref().map(|s| date_in(s, "--since", &zone)).transpose()?,
            until: a.until.as_deref().map(|s| date_in(s, "--until", &zone)).transpose()?,
            last: a.last.clone(),
            sources: a.source.clone(),
            group: a.group.clone(),
            langs: a.lang.clone(),
            query: a.query.clone(),
            starred: a.starred,
            limit: a.limit,
        },
        content: ReportContent {
            format,
            title: a.title.clone(),
            full_text: a.full_text,
            charts: !a.no_charts,
            bom: a.bom,
            timezone: (a.tz.is_some() || bare).then_some(zone),
        },
    })
}

/// An RFC 3339 instant, or the start of a day (YYYY-MM-DD) in `zone` (the core's reading of a local
/// midnight, daylight-saving gaps included).
fn date_in(s: &str, flag: &str, zone: &str) -> mediawatch_core::Result<chrono::DateTime<chrono::Utc>> {
    if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
        return parse_date(s, flag);
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("{flag} '{s}' is not a date (YYYY-MM-DD or RFC 3339)")))?;
    mediawatch_core::alerts::schedule::day_start(day, zone)
}

pub async fn export(
    core: &Mediawatch,
    format_name: &str,
    path: PathBuf,
    args: &ReportArgs,
    out: Out,
) -> mediawatch_core::Result<()> {
    let def = definition(core, args, format(format_name)?).await?;
    let cancel = crate::cancel_on_interrupt();
    let json = out.json;
    let result = core.export_report(def, path, move |p| output::export_progress(&p, json), cancel).await?;
    out.exported(&result);
    Ok(())
}

pub async fn run(core: &Mediawatch, cmd: ReportsCmd, out: Out) -> mediawatch_core::Result<()> {
    match cmd {
        ReportsCmd::Save { name, format: f, args } => {
            let def =
                definition(core, &args, f.as_deref().map(format).transpose()?.unwrap_or(ReportFormat::Pdf)).await?;
            out.saved_report(&core.save_report(name, def).await?);
        }
        ReportsCmd::List => out.saved_reports(&core.list_reports().await?),
        ReportsCmd::Run { name, output: path } => {
            let saved = core.saved_report(name.clone()).await?;
            // The file asked for wins: `-o brief.xlsx` writes XLSX whatever the saved format.
            let result = match format_of(&path).filter(|f| *f != saved.definition.content.format) {
                Some(f) => {
                    let mut def = saved.definition.clone();
                    def.content.format = f;
                    let cancel = crate::cancel_on_interrupt();
                    core.export_report(def, path, |_| {}, cancel).await?
                }
                None => core.run_report(name, path).await?,
            };
            out.exported(&result);
        }
        ReportsCmd::Remove { name } => {
            core.remove_report(name.clone()).await?;
            out.done(&format!("removed saved report '{name}'"));
        }
        ReportsCmd::Schedule { name, opts } => {
            let schedule = if opts.off { None } else { Some(schedule(&opts)?) };
            out.saved_report(&core.schedule_report(name, schedule).await?);
        }
    }
    Ok(())
}

fn schedule(o: &ScheduleArgs) -> mediawatch_core::Result<ReportSchedule> {
    let every = match o.every.as_deref().unwrap_or("day").to_ascii_lowercase().as_str() {
        "day" | "daily" => DigestEvery::Day,
        "week" | "weekly" => DigestEvery::Week,
        other => return Err(Error::InvalidInput(format!("--every {other:?}: expected day or week"))),
    };
    Ok(ReportSchedule {
        every,
        at: o.at.clone().unwrap_or_else(|| "08:00".into()),
        day: o.day.clone().unwrap_or_else(|| "mon".into()),
        tz: o.tz.clone().unwrap_or_else(mediawatch_core::alerts::schedule::system_tz),
        to_dir: o.to_dir.as_ref().map(|d| d.display().to_string()),
        email: o.email.clone(),
    })
}

pub async fn star(core: &Mediawatch, id: i64, off: bool, out: Out) -> mediawatch_core::Result<()> {
    core.star_article(id, !off).await?;
    out.done(&if off { format!("article {id} unstarred") } else { format!("article {id} starred") });
    Ok(())
}
