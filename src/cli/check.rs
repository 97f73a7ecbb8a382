//! `broadside check`: what would be published, without writing anything.

use std::path::PathBuf;

use broadside::resolve::data::Layout;
use broadside::{Engine, EngineOptions, Error};

use super::load;

/// Runs the command.
pub fn run(statement: Option<PathBuf>) -> Result<(), Error> {
    let loaded = load(statement.as_ref())?;
    let s = &loaded.statement;
    super::report::warnings(&s.source, &broadside::load::review(s));
    // Preparing also checks every image the statement refers to.
    Engine::new().prepare(s, &Layout::default())?;
    let consents = s.signatories.iter().filter(|x| x.consent.is_some()).count();
    println!("{}", s.title);
    println!("  date        {}", s.date);
    println!("  languages   {}", s.languages().join(", "));
    println!("  signatories {}", s.signatories.len());
    let mut last: Option<&Option<String>> = None;
    for sig in &s.signatories {
        if last != Some(&sig.group) {
            if let Some(group) = &sig.group {
                let n = s
                    .signatories
                    .iter()
                    .filter(|x| x.group.as_ref() == Some(group))
                    .count();
                println!("    {group}: {n}");
            }
            last = Some(&sig.group);
        }
    }
    println!(
        "  consent     recorded for {consents} of {}",
        s.signatories.len()
    );
    if consents < s.signatories.len() {
        let missing: Vec<&str> = s
            .signatories
            .iter()
            .filter(|x| x.consent.is_none())
            .map(|x| x.name.as_str())
            .take(5)
            .collect();
        println!("              missing, e.g.: {}", missing.join("; "));
    }
    let pairs = broadside::load::near_duplicates(&s.signatories);
    // Numbered as the annex prints them.
    let numbers =
        broadside::load::Numbers::new(&s.signatories, &s.language, s.list.sort, s.list.group_by);
    for (a, b) in &pairs {
        println!(
            "  warning     signatory {} `{}` (`signatories[{a}]`) and signatory {} `{}` (`signatories[{b}]`) look like the same organisation",
            numbers.of(*a),
            s.signatories[*a].name,
            numbers.of(*b),
            s.signatories[*b].name
        );
    }
    // What each document will be: built in memory, nothing written, as
    // `build` builds them (a long annex's pieces in worker processes).
    let engine = Engine::with_options(&EngineOptions {
        workers: std::env::current_exe().ok(),
        ..EngineOptions::default()
    })?;
    let documents = engine.build(s, &broadside::BuildRequest::default())?;
    let pages: Vec<String> = documents
        .iter()
        .map(|d| format!("{} {}", d.kind.name(), d.pages))
        .collect();
    println!("  pages       {}", pages.join(", "));
    if pairs.is_empty() {
        println!("ok: ready to build");
    } else {
        println!("ok: ready to build, after a look at the names above");
    }
    Ok(())
}
