use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use surveyor_code::CodeOptions;
use surveyor_model::{Inventory, Map, Severity, Snapshot, MAP_SCHEMA, SNAPSHOT_SCHEMA};
use surveyor_reconcile::IgnoreRules;
use surveyor_report::Format;

use crate::cli::{Cli, Command, MapArgs, ScanArgs};

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Map(args) => map(*args),
        Command::Scan(args) => scan(args),
        Command::Rules => {
            for r in surveyor_rules::catalogue() {
                println!(
                    "{:<28} {:<8} {:<12} {}",
                    r.id,
                    r.severity.as_str(),
                    r.category.as_str(),
                    r.summary
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => match surveyor_rules::rule(&rule) {
            Some(r) => {
                // The doc opens with its own heading; this one adds severity and category.
                let doc = r.doc.trim();
                let body = doc.strip_prefix(&format!("# {}", r.id)).unwrap_or(doc);
                println!(
                    "# {} ({}, {})\n\n{}",
                    r.id,
                    r.severity.as_str(),
                    r.category.as_str(),
                    body.trim_start()
                );
                Ok(ExitCode::SUCCESS)
            }
            None => bail!("no rule named `{rule}` (see `surveyor rules`)"),
        },
    }
}

fn key_values(items: &[String], what: &str) -> Result<BTreeMap<String, String>> {
    items
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => bail!("{what} `{kv}` is not NAME=VALUE"),
        })
        .collect()
}

fn map(args: MapArgs) -> Result<ExitCode> {
    let formats: Vec<Format> = args
        .format
        .iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            Format::parse(f)
                .with_context(|| format!("unknown format `{f}` (json, md, html, sarif)"))
        })
        .collect::<Result<_>>()?;
    let fail_on = match &args.fail_on {
        Some(s) => Some(Severity::parse(s).with_context(|| {
            format!("unknown severity `{s}` (critical, high, medium, low, info)")
        })?),
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let opts = CodeOptions {
        params: key_values(&args.params, "--param")?,
        tf_vars: key_values(&args.vars, "--var")?,
        tf_var_files: args.var_files.clone(),
    };
    let code = surveyor_code::read_paths(&paths, &opts)?;
    let live = if let Some(snapshot) = &args.snapshot {
        Some(read_snapshot(snapshot)?)
    } else if args.live {
        Some(live_inventory(&args.aws)?)
    } else {
        None
    };
    let ignore = IgnoreRules::discover(args.ignore_file.as_deref(), &paths[0])?;
    let mut map = build_map(code, live, &ignore);
    map.probes = run_probes(&args.probes)?;
    map.findings = surveyor_rules::audit(&map);
    ignore.apply_to_findings(&mut map);

    let written = surveyor_report::write_outputs(&map, &args.out, &formats)?;
    if !args.quiet {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        print!(
            "{}",
            surveyor_report::terminal::render(&map, &written, color)
        );
    }
    let failed_findings = fail_on.is_some_and(|min| map.findings.iter().any(|f| f.severity >= min));
    let failed_drift = args.fail_on_drift && !map.drift.is_empty();
    Ok(if failed_findings || failed_drift {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Code and live inventories → the reconciled, linked map (without findings).
fn build_map(code: Inventory, live: Option<(Inventory, Snapshot)>, ignore: &IgnoreRules) -> Map {
    let mut map = Map {
        schema: MAP_SCHEMA.to_string(),
        generated_at: surveyor_model::now_rfc3339(),
        ..Map::default()
    };
    map.account = code.account.clone();
    map.regions = code.regions.clone();
    map.sources = code.sources.clone();
    map.stacks = code.stacks.clone();
    map.notes = code.notes.clone();
    let live_inv = live.map(|(inv, snap)| {
        // The account that was read is the account; the code's env is only what it targets.
        if snap.account.is_some() {
            map.account = snap.account.clone();
        }
        map.sources.extend(inv.sources.clone());
        for r in &snap.regions {
            if !map.regions.contains(r) {
                map.regions.push(r.clone());
            }
        }
        map.notes.extend(snap.notes.clone());
        inv
    });
    let reconciled = surveyor_reconcile::reconcile(code, live_inv, ignore);
    map.resources = reconciled.resources;
    map.drift = reconciled.drift;
    map.coverage = reconciled.coverage;
    map.notes.extend(reconciled.notes);
    let renames = surveyor_model::assign_stable_ids(&mut map.resources);
    for d in &mut map.drift {
        if let Some(id) = d.resource.as_mut() {
            if let Some(new) = renames.get(id) {
                *id = new.clone();
            }
        }
    }
    map.edges = surveyor_link::link(&mut map.resources);
    map.flows = surveyor_link::flows(&map.resources, &map.edges);
    map
}

fn read_snapshot(path: &PathBuf) -> Result<(Inventory, Snapshot)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let snap: Snapshot = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}: not a surveyor snapshot: {e}",
            path.display(),
            e.line()
        )
    })?;
    if snap.schema != SNAPSHOT_SCHEMA {
        bail!(
            "{}: schema `{}` is not `{SNAPSHOT_SCHEMA}`",
            path.display(),
            snap.schema
        );
    }
    let inv = snap.inventory(
        surveyor_model::SourceKind::Snapshot,
        &path.display().to_string(),
    );
    Ok((inv, snap))
}

#[cfg(feature = "live")]
fn live_options(aws: &crate::cli::AwsArgs) -> surveyor_live::LiveOptions {
    surveyor_live::LiveOptions {
        regions: aws.regions.clone(),
        profile: aws.profile.clone(),
        ..surveyor_live::LiveOptions::default()
    }
}

/// The account, read now: the same inventory a snapshot of it gives (see `read_snapshot`).
#[cfg(feature = "live")]
fn live_inventory(aws: &crate::cli::AwsArgs) -> Result<(Inventory, Snapshot)> {
    let scan = surveyor_live::collect_blocking(&live_options(aws))?;
    let inv = scan
        .snapshot
        .inventory(surveyor_model::SourceKind::Live, "aws");
    Ok((inv, scan.snapshot))
}

#[cfg(not(feature = "live"))]
fn live_inventory(_aws: &crate::cli::AwsArgs) -> Result<(Inventory, Snapshot)> {
    bail!("--live needs a build with the `live` feature; use --snapshot FILE or code alone")
}

#[cfg(feature = "live")]
fn run_probes(urls: &[String]) -> Result<Vec<surveyor_model::Probe>> {
    Ok(urls.iter().map(|u| surveyor_live::probe(u)).collect())
}

#[cfg(not(feature = "live"))]
fn run_probes(urls: &[String]) -> Result<Vec<surveyor_model::Probe>> {
    if !urls.is_empty() {
        bail!("--probe needs a build with the `live` feature");
    }
    Ok(Vec::new())
}

#[cfg(feature = "live")]
fn scan(args: ScanArgs) -> Result<ExitCode> {
    let scan = surveyor_live::collect_blocking(&live_options(&args.aws))?;
    surveyor_live::write_snapshot(&args.out, &scan.snapshot)?;
    eprintln!(
        "surveyor: {} resources in {} region(s), {} notes, {} API calls in {:.1?}",
        scan.snapshot.resources.len(),
        scan.snapshot.regions.len(),
        scan.snapshot.notes.len(),
        scan.api_calls,
        scan.elapsed
    );
    println!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "live"))]
fn scan(_args: ScanArgs) -> Result<ExitCode> {
    bail!("`surveyor scan` needs a build with the `live` feature")
}
