//! `sandbox --play`: a prompt where the newcomer types the sandbox's lines. On a terminal
//! rustyline gives line editing and history; from a pipe or file the lines are read plainly
//! and echoed, so a transcript reads like a session.

use std::io::IsTerminal;

use super::script::{self, Next};
use super::stage::Stage;
use crate::present::catalog::t;

/// Reads lines until `ende`, end of input or Ctrl-C/Ctrl-D.
pub async fn run(stage: &mut Stage) -> anyhow::Result<()> {
    println!("{}", t!(stage.lang, "sandbox-play-start"));
    if std::io::stdin().is_terminal() {
        interactive(stage).await
    } else {
        piped(stage).await
    }
}

async fn interactive(stage: &mut Stage) -> anyhow::Result<()> {
    let mut editor = Some(rustyline::DefaultEditor::new()?);
    loop {
        let prompt = t!(stage.lang, "sandbox-prompt", time = stage.time_label());
        let Some(mut ed) = editor.take() else {
            return Ok(());
        };
        // rustyline blocks: it reads on a blocking thread while the bot keeps running.
        let (ed, line) = tokio::task::spawn_blocking(move || {
            let line = ed.readline(&prompt);
            (ed, line)
        })
        .await?;
        let mut ed = ed;
        match line {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = ed.add_history_entry(line.as_str());
                }
                editor = Some(ed);
                if script::perform(stage, &line).await == Next::Quit {
                    return Ok(());
                }
            }
            Err(
                rustyline::error::ReadlineError::Interrupted | rustyline::error::ReadlineError::Eof,
            ) => {
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
    }
}

async fn piped(stage: &mut Stage) -> anyhow::Result<()> {
    loop {
        // Read on a blocking thread: the bot keeps running meanwhile.
        let read = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|n| (n, line))
        })
        .await??;
        let (read, line) = read;
        if read == 0 {
            break;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        println!(
            "\n{}",
            t!(
                stage.lang,
                "sandbox-typed",
                time = stage.time_label(),
                line = line
            )
        );
        if script::perform(stage, line).await == Next::Quit {
            break;
        }
    }
    Ok(())
}
