//! `mediawatch import PATH`: saved HTML pages and JSON-lines articles into the store, as if fetched.

use std::path::PathBuf;

use mediawatch_core::Mediawatch;

use crate::output::Out;

pub async fn import(core: &Mediawatch, path: PathBuf, out: Out) -> mediawatch_core::Result<()> {
    let summary = core.import(path).await?;
    out.fetch_summary(&summary);
    Ok(())
}
