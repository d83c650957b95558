//! `mediawatch alerts ...`: rules (add, list, edit, remove, test), the inbox (list, read) and `deliver`.

use std::io::Read;

use mediawatch_core::model::{AlertKind, AlertQuery, AlertRuleDraft, DigestEvery, SpikeSensitivity};
use mediawatch_core::{Error, Mediawatch};

use crate::output::Out;
use crate::{AlertsCmd, RuleArgs, RulesCmd};

fn read_secret() -> mediawatch_core::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| Error::InvalidInput(format!("cannot read the webhook secret from stdin: {e}")))?;
    Ok(s.trim().to_string())
}

fn draft(a: Box<RuleArgs>) -> mediawatch_core::Result<AlertRuleDraft> {
    let a = *a;
    Ok(AlertRuleDraft {
        topic: a.topic,
        kind: a.kind.as_deref().map(|k| match k {
            "digest" => AlertKind::Digest,
            "spike" => AlertKind::Spike,
            _ => AlertKind::Instant,
        }),
        channels: (!a.channels.is_empty()).then_some(a.channels),
        name: a.name,
        every: a.every.as_deref().map(|e| match e {
            "hour" => DigestEvery::Hour,
            "week" => DigestEvery::Week,
            _ => DigestEvery::Day,
        }),
        at: a.at,
        day: a.day,
        tz: a.tz,
        window: a.window,
        baseline: a.baseline,
        min_count: a.min_count,
        sensitivity: a.sensitivity.as_deref().map(|s| match s {
            "low" => SpikeSensitivity::Low,
            "high" => SpikeSensitivity::High,
            _ => SpikeSensitivity::Medium,
        }),
        quiet: a.quiet,
        min_interval: a.min_interval,
        new_stories_only: a.new_stories_only.then_some(true),
        paused: a.paused.then_some(true),
        secret: if a.secret_stdin { Some(read_secret()?) } else { None },
    })
}

pub async fn run(core: &Mediawatch, cmd: AlertsCmd, out: Out) -> mediawatch_core::Result<()> {
    match cmd {
        AlertsCmd::Rules(RulesCmd::Add(args)) => {
            let secret = args.secret_stdin;
            let rule = core.add_alert_rule(draft(args)?).await?;
            if secret {
                out.secrets_note(&core.settings().await?.secrets);
            }
            out.alert_rule(&rule);
        }
        AlertsCmd::Rules(RulesCmd::List) => out.alert_rules(&core.alert_rules().await?),
        AlertsCmd::Rules(RulesCmd::Edit { id, opts, resume, all_stories, no_secret }) => {
            let secret = opts.secret_stdin;
            let mut d = draft(opts)?;
            if resume {
                d.paused = Some(false);
            }
            if all_stories {
                d.new_stories_only = Some(false);
            }
            if no_secret {
                d.secret = Some(String::new());
            }
            let rule = core.edit_alert_rule(id, d).await?;
            if secret {
                out.secrets_note(&core.settings().await?.secrets);
            }
            out.alert_rule(&rule);
        }
        AlertsCmd::Rules(RulesCmd::Remove { id }) => {
            core.remove_alert_rule(id).await?;
            out.done(&format!("removed alert rule {id}"));
        }
        AlertsCmd::Rules(RulesCmd::Test { id }) => {
            let outcomes = core.test_alert_rule(id).await?;
            let failed = outcomes.iter().filter(|o| !o.ok).count();
            out.channel_outcomes(&outcomes);
            if failed > 0 {
                return Err(Error::Network(format!(
                    "{failed} of {} channels failed the test (see above)",
                    outcomes.len()
                )));
            }
        }
        AlertsCmd::List { unread, rule, limit } => {
            out.alerts(&core.alerts(AlertQuery { unread, rule, limit: Some(limit) }).await?);
        }
        AlertsCmd::Read { id, all } => {
            let n = core.mark_alerts_read(if all { None } else { id }).await?;
            out.marked_read(n);
        }
        AlertsCmd::Deliver => out.alerts_run(&core.process_alerts().await),
    }
    Ok(())
}
