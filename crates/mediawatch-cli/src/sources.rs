//! `mediawatch sources ...`: add, list, edit, remove, OPML import and export.

use mediawatch_core::model::{FullTextMode, NewSource, SourceUpdate};
use mediawatch_core::Mediawatch;

use crate::output::Out;
use crate::SourcesCmd;

pub async fn run(core: &Mediawatch, cmd: SourcesCmd, out: Out) -> mediawatch_core::Result<()> {
    match cmd {
        SourcesCmd::Add { url, name, interval, full_text } => {
            let full_text = full_text.as_deref().and_then(FullTextMode::parse);
            let s = core.add_source(NewSource { url, name, interval_minutes: interval, full_text }).await?;
            out.source_added(&s);
        }
        SourcesCmd::List => out.sources(&core.list_sources().await?),
        SourcesCmd::Edit { id, name, group, interval, full_text, enable, disable } => {
            let update = SourceUpdate {
                name,
                group,
                interval_minutes: interval,
                full_text: full_text.as_deref().and_then(FullTextMode::parse),
                enabled: if enable {
                    Some(true)
                } else if disable {
                    Some(false)
                } else {
                    None
                },
            };
            out.source_edited(&core.update_source(id, update).await?);
        }
        SourcesCmd::Remove { id } => {
            core.remove_source(id).await?;
            out.done(&format!("removed source {id}"));
        }
        SourcesCmd::ImportOpml { file } => out.opml_imported(&core.import_opml_file(file).await?),
        SourcesCmd::ExportOpml { file } => {
            core.export_opml_file(file.clone()).await?;
            out.done(&format!("wrote {}", file.display()));
        }
    }
    Ok(())
}
