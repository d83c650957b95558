//! `mediawatch topics ...`: add and edit (with the backfill's progress on stderr; Ctrl-C cancels), preview,
//! list, remove, the default pack, and `check` (how a query is read, with no database).

use std::path::PathBuf;

use mediawatch_core::model::NewTopic;
use mediawatch_core::{Error, Mediawatch};

use crate::output::{self, Out};
use crate::TopicsCmd;

/// A topic named on the command line by its id or its name.
async fn topic_id(core: &Mediawatch, topic: &str) -> mediawatch_core::Result<i64> {
    match topic.parse::<i64>() {
        Ok(id) => Ok(id),
        Err(_) => core.topic_id(topic.to_string()).await,
    }
}

pub async fn run(db: Option<PathBuf>, cmd: TopicsCmd, out: Out) -> mediawatch_core::Result<()> {
    if let TopicsCmd::Check { query } = cmd {
        return check(&query, out);
    }
    let core = crate::open(db)?;
    match cmd {
        TopicsCmd::Add { name, query, description, stem } => {
            let cancel = crate::cancel_on_interrupt();
            let json = out.json;
            let new = NewTopic { name, query, description, stem };
            let t = core.add_topic_with_progress(new, move |p| output::backfill(&p, json), cancel).await?;
            out.topic_added(&t);
        }
        TopicsCmd::Edit { topic, query, name, description, stem, no_stem } => {
            let id = topic_id(&core, &topic).await?;
            let current = core.topic(id).await?;
            let new = NewTopic {
                name: name.unwrap_or(current.name),
                query,
                description: description.or(current.description),
                stem: if stem {
                    true
                } else if no_stem {
                    false
                } else {
                    current.stem
                },
            };
            let cancel = crate::cancel_on_interrupt();
            let json = out.json;
            let t = core.edit_topic(id, new, move |p| output::backfill(&p, json), cancel).await?;
            out.topic_added(&t);
        }
        TopicsCmd::Preview { query, stem, limit } => {
            let preview = core.preview_topic(query, stem, limit).await?;
            out.preview(&preview);
        }
        TopicsCmd::List => out.topics(&core.list_topics().await?),
        TopicsCmd::Remove { topic } => {
            let id = topic_id(&core, &topic).await?;
            core.remove_topic(id).await?;
            out.done(&format!("removed topic {topic}"));
        }
        TopicsCmd::AddDefaults => {
            let added = core.install_default_topics().await?;
            out.topics_installed(&added);
        }
        TopicsCmd::Check { .. } => unreachable!("handled above"),
    }
    Ok(())
}

/// `mediawatch topics check QUERY`: how the query is read, or where it is wrong (no database is opened).
fn check(query: &str, out: Out) -> mediawatch_core::Result<()> {
    let check = mediawatch_core::topics::check(query);
    if let Err(Error::InvalidQuery(e)) = mediawatch_core::topics::validate(query) {
        if !out.json {
            // The query and a caret under the spot, as a compiler shows an error; nothing is open.
            eprintln!("mediawatch: {}", mediawatch_core::topics::caret_message(query, &e));
            std::process::exit(1);
        }
        return Err(Error::InvalidQuery(e));
    }
    let ast = mediawatch_core::topics::ast_json(query)?;
    out.query_check(&check, &ast);
    Ok(())
}
