//! The scan: resolve credentials, account and regions, run every service collector for every
//! region (global services once) with bounded concurrency, then the passes that need results
//! from several services (web ACL associations, Lambda metrics, stack membership).

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use futures_util::future::join_all;
use surveyor_model::{registry, Resource, Snapshot, StackRef, SNAPSHOT_SCHEMA};

use crate::runtime::{CallError, Ctx, Rc};
use crate::services::{self, StackMember};
use crate::{LiveError, LiveOptions};

/// A finished scan: the snapshot and what it cost.
#[derive(Debug, Clone)]
pub struct Scan {
    pub snapshot: Snapshot,
    /// Requests sent (every page counts, retries do not).
    pub api_calls: usize,
    pub calls_by_operation: BTreeMap<String, usize>,
    pub elapsed: Duration,
}

/// Services read once per account, from us-east-1.
const GLOBAL_REGION: &str = "us-east-1";

async fn load_config(opts: &LiveOptions, region: &str) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .retry_config(
            RetryConfig::adaptive()
                .with_max_attempts(6)
                .with_initial_backoff(Duration::from_millis(50)),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &opts.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    if let Some(c) = &opts.credentials {
        loader = loader.credentials_provider(aws_sdk_sts::config::Credentials::new(
            c.access_key_id.clone(),
            c.secret_access_key.clone(),
            c.session_token.clone(),
            None,
            "surveyor-static",
        ));
    }
    loader.load().await
}

/// Reads the account. Never fails for what the credentials cannot see: that becomes notes.
pub async fn collect(opts: &LiveOptions) -> Result<Scan, LiveError> {
    let started = Instant::now();
    let mut ctx = Ctx::new(opts.concurrency);
    let custom_endpoint =
        opts.endpoint_url.is_some() || std::env::var_os("AWS_ENDPOINT_URL").is_some();

    // The home region: the chain's, else us-east-1.
    let base = {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        loader.load().await
    };
    let home = base
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| GLOBAL_REGION.to_string());
    let home_rc = Rc {
        ctx: &ctx,
        region: home.clone(),
        config: load_config(opts, &home).await,
        custom_endpoint,
    };
    let identity = services::sts::identity(&home_rc).await;
    let regions = resolve_regions(opts, &home_rc).await;
    drop(home_rc);
    match identity {
        Ok((account, partition)) => {
            ctx.account = account;
            ctx.partition = partition;
        }
        Err(e) => ctx.failed(&e, Some(&home)),
    }
    ctx.regions = regions.clone();

    let mut rcs = Vec::new();
    for r in &regions {
        rcs.push(Rc {
            ctx: &ctx,
            region: r.clone(),
            config: load_config(opts, r).await,
            custom_endpoint,
        });
    }
    let global_rc = Rc {
        ctx: &ctx,
        region: GLOBAL_REGION.to_string(),
        config: load_config(opts, GLOBAL_REGION).await,
        custom_endpoint,
    };

    let mut jobs: Vec<(&Rc<'_>, &'static str)> = Vec::new();
    for rc in &rcs {
        for svc in services::REGIONAL {
            jobs.push((rc, svc));
        }
    }
    for svc in services::GLOBAL {
        jobs.push((&global_rc, svc));
    }
    let bar = progress_bar(opts, jobs.len() as u64);
    let results = join_all(jobs.iter().map(|(rc, svc)| {
        let bar = bar.clone();
        async move {
            let r = services::run(svc, rc).await;
            if let Some(b) = &bar {
                b.set_message(format!("{svc} {}", rc.region));
                b.inc(1);
            }
            (rc.region.clone(), *svc, r)
        }
    }))
    .await;
    let mut by_region: HashMap<String, Vec<Resource>> = HashMap::new();
    let mut members: Vec<StackMember> = Vec::new();
    for (region, svc, r) in results {
        match r {
            Ok(out) => {
                by_region.entry(region).or_default().extend(out.resources);
                members.extend(out.members);
            }
            Err(e) => note_service_failure(&ctx, svc, &region, &e),
        }
    }
    // Passes that read what several collectors found, per region.
    join_all(rcs.iter().map(|rc| {
        let resources = by_region.remove(&rc.region).unwrap_or_default();
        async move {
            let mut resources = resources;
            services::wafv2::associations(rc, &mut resources).await;
            services::cloudwatch::lambda_metrics(rc, &mut resources).await;
            (rc.region.clone(), resources)
        }
    }))
    .await
    .into_iter()
    .for_each(|(r, res)| {
        by_region.insert(r, res);
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }

    let mut resources: Vec<Resource> = by_region.into_values().flatten().collect();
    attach_stacks(&mut resources, &members);
    resources.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.type_name.cmp(&b.type_name)));
    resources.dedup_by(|a, b| a.id == b.id && a.type_name == b.type_name);
    let mut notes = ctx.take_notes();
    notes.sort_by(|a, b| {
        (&a.service, &a.region, &a.message).cmp(&(&b.service, &b.region, &b.message))
    });
    notes.dedup();
    // A service with any failure may have left resources out: its types say nothing about
    // what is missing.
    let failed: std::collections::HashSet<&str> = notes
        .iter()
        .filter(|n| n.level != surveyor_model::NoteLevel::Info)
        .filter_map(|n| n.service.as_deref())
        .collect();
    let mut collected_types: Vec<String> = services::REGIONAL
        .iter()
        .chain(services::GLOBAL)
        .filter(|s| !failed.contains(**s))
        .flat_map(|s| services::types(s).iter().map(|t| (*t).to_string()))
        .collect();
    collected_types.sort();
    collected_types.dedup();
    let mut regions = regions;
    regions.sort();
    let api_calls = ctx.calls();
    let calls_by_operation = ctx.calls_by_operation();
    let snapshot = Snapshot {
        schema: SNAPSHOT_SCHEMA.to_string(),
        taken_at: surveyor_model::now_rfc3339(),
        account: Some(ctx.account.clone()).filter(|a| !a.is_empty()),
        partition: ctx.partition.clone(),
        regions,
        resources,
        notes,
        collected_types,
    };
    Ok(Scan {
        snapshot,
        api_calls,
        calls_by_operation,
        elapsed: started.elapsed(),
    })
}

/// [`collect`] on a runtime of its own, for callers that are not async.
pub fn collect_blocking(opts: &LiveOptions) -> Result<Scan, LiveError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    rt.block_on(collect(opts))
}

fn progress_bar(opts: &LiveOptions, len: u64) -> Option<indicatif::ProgressBar> {
    if !opts.progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} reading the account {bar:30} {pos}/{len} {msg}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

fn note_service_failure(ctx: &Ctx, svc: &str, region: &str, e: &CallError) {
    let mut note = e.to_note(Some(region));
    if e.is_denied() {
        note.message = format!(
            "{svc} not read: {} was refused ({}); its resources are missing from the map",
            e.operation,
            e.code.as_deref().unwrap_or("denied")
        );
    }
    ctx.note(note);
}

async fn resolve_regions(opts: &LiveOptions, home: &Rc<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &opts.regions {
        if r == "all" {
            match services::ec2::enabled_regions(home).await {
                Ok(list) => out.extend(list),
                Err(e) => {
                    home.note_failed(&e);
                    out.push(home.region.clone());
                }
            }
        } else {
            out.push(r.clone());
        }
    }
    if out.is_empty() {
        out.push(home.region.clone());
    }
    out.sort();
    out.dedup();
    out
}

/// Marks every collected resource a CloudFormation stack manages with `stack`, by matching
/// the stack's physical ids to each resource's id as the type registry defines it.
fn attach_stacks(resources: &mut [Resource], members: &[StackMember]) {
    let mut index: HashMap<(&str, &str), StackRef> = HashMap::new();
    // RDS lowercases identifiers: a stack's physical id may keep the case it was given.
    let mut lowered: HashMap<(&str, String), StackRef> = HashMap::new();
    for m in members {
        let stack = StackRef {
            name: m.stack.clone(),
            logical_id: m.logical_id.clone(),
        };
        // A URL physical id (a queue) may name another host than the one the API answered
        // on (endpoints, emulators): its last segment, the name, identifies it too.
        if m.physical_id.contains("://") {
            if let Some(last) = m.physical_id.rsplit('/').next() {
                index.insert((m.type_name.as_str(), last), stack.clone());
            }
        }
        if registry::case_insensitive_ids(&m.type_name) {
            lowered.insert(
                (m.type_name.as_str(), m.physical_id.to_ascii_lowercase()),
                stack.clone(),
            );
        }
        index.insert((m.type_name.as_str(), m.physical_id.as_str()), stack);
    }
    for r in resources.iter_mut() {
        let keys = [
            r.physical_id.as_deref(),
            r.arn.as_deref(),
            r.name.as_deref(),
        ];
        let exact = keys
            .iter()
            .flatten()
            .find_map(|k| index.get(&(r.type_name.as_str(), *k)));
        let found = exact.or_else(|| {
            keys.iter()
                .flatten()
                .find_map(|k| lowered.get(&(r.type_name.as_str(), k.to_ascii_lowercase())))
        });
        if let Some(s) = found {
            r.stack = Some(s.clone());
        }
    }
}
