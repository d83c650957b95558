//! `mediawatch fetch` (one cycle, with progress on stderr and a summary) and `mediawatch run` (the scheduler in
//! the foreground until Ctrl-C).

use mediawatch_core::{FetchRequest, Mediawatch};

use crate::output::{self, Out};

pub async fn fetch(core: &Mediawatch, request: FetchRequest, out: Out) -> mediawatch_core::Result<()> {
    let cancel = crate::cancel_on_interrupt();
    let json = out.json;
    let summary = core.fetch(request, move |p| output::progress(&p, json), cancel).await?;
    out.fetch_summary(&summary);
    Ok(())
}

pub async fn run_scheduler(core: &Mediawatch, out: Out) -> mediawatch_core::Result<()> {
    let cancel = crate::cancel_on_interrupt();
    eprintln!("mediawatch: scheduler running on {} (Ctrl-C stops)", core.info().database_path);
    core.run_scheduler(|p| output::progress(&p, false), |e| eprintln!("mediawatch: fetch cycle failed: {e}"), cancel)
        .await;
    out.done("scheduler stopped");
    Ok(())
}
