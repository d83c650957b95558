//! `mediawatch settings get|set` and `mediawatch secrets set`.

use std::io::Read;

use mediawatch_core::{Error, Mediawatch};

use crate::output::Out;
use crate::{SecretsCmd, SettingsCmd};

pub async fn settings(core: &Mediawatch, cmd: SettingsCmd, out: Out) -> mediawatch_core::Result<()> {
    let values = match cmd {
        SettingsCmd::Get { key } => core.setting_values(key).await?,
        SettingsCmd::Set { key, value } => core.set_setting(key, value).await?,
    };
    out.settings(&values);
    Ok(())
}

pub async fn secrets(core: &Mediawatch, cmd: SecretsCmd, out: Out) -> mediawatch_core::Result<()> {
    let SecretsCmd::Set { name } = cmd;
    let mut value = String::new();
    std::io::stdin()
        .read_to_string(&mut value)
        .map_err(|e| Error::InvalidInput(format!("cannot read the secret from stdin: {e}")))?;
    let info = core.set_secret(name.clone(), value).await?;
    out.secrets_note(&info);
    out.done(&format!("stored the secret {name}"));
    Ok(())
}
