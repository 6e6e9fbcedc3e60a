//! `map.md`: the seeds' document, generated. At a glance (counts by area, the "Is it EC2?"
//! answer, entry points, live health, drift, findings, coverage), the Mermaid diagram, the
//! flows as numbered steps, one table per area with `file:line`, stacks and their deploy
//! order, drift, findings, coverage, probes, notes and the sources read.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use surveyor_model::{
    Category, DriftKind, EdgeKind, Map, NoteLevel, Resource, ResourceId, Severity, Value,
};

use crate::layout::{self, plural, ComputeSummary, Context};
use crate::text::{self, cell, code};
use crate::{mermaid, tables};

pub fn render(map: &Map) -> String {
    let ctx = Context::new(map);
    let mut body = String::with_capacity(64 * 1024 + map.resources.len() * 256);
    let out = &mut body;
    glance(out, &ctx);
    diagram(out, &ctx);
    flows(out, &ctx);
    tables::areas(out, &ctx);
    stacks(out, &ctx);
    drift(out, &ctx);
    findings(out, &ctx);
    coverage(out, &ctx);
    probes(out, &ctx);
    notes(out, &ctx);
    sources(out, &ctx);
    let mut doc = String::with_capacity(body.len() + 4096);
    title(&mut doc, &ctx);
    contents(&mut doc, &body);
    doc.push_str(&body);
    doc
}

/// A line of links to the sections, by GitHub's heading anchors.
fn contents(out: &mut String, body: &str) {
    let links: Vec<String> = body
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| format!("[{h}](#{})", slug(h)))
        .collect();
    if !links.is_empty() {
        let _ = writeln!(out, "{}\n", links.join(" · "));
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
fn slug(h: &str) -> String {
    h.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            _ => None,
        })
        .collect()
}

fn title(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    out.push_str("# Infrastructure map\n\n");
    let mut meta = Vec::new();
    if let Some(a) = &map.account {
        meta.push(format!("**Account** {a}"));
    }
    if !map.regions.is_empty() {
        meta.push(format!(
            "**Region{}** {}",
            plural(map.regions.len()),
            map.regions.join(", ")
        ));
    }
    meta.push(format!(
        "**From** {}",
        if ctx.live {
            "code and the live account"
        } else {
            "code only (no live data read)"
        }
    ));
    if !map.generated_at.is_empty() {
        meta.push(format!("**Generated** {}", map.generated_at));
    }
    let _ = writeln!(out, "{}\n", meta.join(" · "));
}

fn severity_counts(ctx: &Context) -> String {
    let mut by: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
    for f in &ctx.map.findings {
        *by.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
    }
    by.iter()
        .map(|(s, n)| format!("{n} {}", s.0.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn drift_counts(ctx: &Context) -> String {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &ctx.map.drift {
        *by.entry(d.kind.as_str()).or_default() += 1;
    }
    by.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn glance(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    out.push_str("## At a glance\n\n");
    let real: Vec<&Resource> = map
        .resources
        .iter()
        .filter(|r| !layout::is_pseudo(r) && r.type_name != "AWS::CDK::Metadata")
        .collect();
    let mut para = format!(
        "{} resource{} in {}",
        real.len(),
        plural(real.len()),
        layout::deploy_units(map)
    );
    if !map.sources.is_empty() {
        let mut kinds: Vec<&str> = map.sources.iter().map(|s| s.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        para.push_str(&format!(" (read from {})", kinds.join(", ")));
    }
    para.push_str(". ");
    para.push_str(&format!(
        "**Is it EC2?** {}",
        ComputeSummary::of(ctx).sentence()
    ));
    let _ = writeln!(out, "{para}\n");

    // Entry points.
    let entries = layout::entry_points(ctx);
    if !entries.is_empty() {
        let mut items: Vec<String> = entries
            .iter()
            .take(8)
            .map(|r| {
                let next: Vec<String> = ctx
                    .edges_from(&r.id)
                    .filter(|e| e.kind == EdgeKind::Routes)
                    .map(|e| ctx.ref_label(&e.to))
                    .collect();
                let mut s = format!("{} {}", layout::display(r), code(&layout::label(r)));
                if !next.is_empty() {
                    s.push_str(&format!(" → {}", next.join(", ")));
                }
                s
            })
            .collect();
        if entries.len() > 8 {
            items.push(format!("{} more", entries.len() - 8));
        }
        let _ = writeln!(out, "**Entry points:** {}.\n", items.join(" · "));
    }

    // Health.
    let health = health_items(ctx);
    if !health.is_empty() {
        let label = if ctx.live {
            "**Live health (measured):**"
        } else {
            "**Declared state:**"
        };
        let _ = writeln!(out, "{label} {}.\n", health.join(" · "));
    } else if ctx.live {
        out.push_str("**Live health (measured):** no alarm in ALARM, no dead-letter queue holding messages, every service at its desired count.\n\n");
    }

    // Drift, findings, coverage.
    let mut line = Vec::new();
    if map.drift.is_empty() {
        line.push(if ctx.live {
            "**Drift:** none".to_string()
        } else {
            "**Drift:** not measured (no live data)".to_string()
        });
    } else {
        line.push(format!(
            "**Drift:** {} item{} ({})",
            map.drift.len(),
            plural(map.drift.len()),
            drift_counts(ctx)
        ));
    }
    if map.findings.is_empty() {
        line.push("**Findings:** none".into());
    } else {
        line.push(format!(
            "**Findings:** {} ({})",
            map.findings.len(),
            severity_counts(ctx)
        ));
    }
    if let Some(c) = &map.coverage {
        if ctx.live {
            line.push(format!(
                "**Coverage:** {}% of live resources are in code ({} managed, {} unmanaged, {} missing)",
                c.percent, c.managed, c.unmanaged, c.missing
            ));
        }
    }
    let _ = writeln!(out, "{}.\n", line.join(" · "));

    // Counts by area.
    let mut by_cat: BTreeMap<Category, BTreeMap<String, usize>> = BTreeMap::new();
    for r in &real {
        *by_cat
            .entry(layout::category(r))
            .or_default()
            .entry(layout::display(r))
            .or_default() += 1;
    }
    out.push_str("| Area | Resources | Main kinds |\n|---|---|---|\n");
    for cat in Category::ALL {
        let Some(kinds) = by_cat.get(&cat) else {
            continue;
        };
        let total: usize = kinds.values().sum();
        let mut ks: Vec<(&String, &usize)> = kinds.iter().collect();
        ks.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let mut main: Vec<String> = ks.iter().take(5).map(|(k, n)| format!("{n} {k}")).collect();
        if ks.len() > 5 {
            let more = ks.len() - 5;
            main.push(format!("{more} more kind{}", plural(more)));
        }
        let _ = writeln!(
            out,
            "| {} | {total} | {} |",
            cat.title(),
            cell(&main.join(" · "))
        );
    }
    out.push('\n');
}

fn is_dlq(r: &Resource, ctx: &Context) -> bool {
    ctx.edges_to(&r.id).any(|e| e.kind == EdgeKind::Redrives)
        || ctx.map.resources.iter().any(|q| {
            q.attr("RedrivePolicy.deadLetterTargetArn")
                .and_then(Value::as_ref_id)
                == Some(&r.id)
        })
}

fn health_items(ctx: &Context) -> Vec<String> {
    let map = ctx.map;
    let mut items = Vec::new();
    let alarms: Vec<String> = map
        .resources
        .iter()
        .filter(|r| {
            r.type_name.starts_with("AWS::CloudWatch::")
                && r.state
                    .get("StateValue")
                    .or_else(|| r.state.get("State"))
                    .and_then(Value::as_str)
                    == Some("ALARM")
        })
        .map(layout::label)
        .collect();
    if !alarms.is_empty() {
        let total = map
            .resources
            .iter()
            .filter(|r| {
                r.type_name.starts_with("AWS::CloudWatch::") && r.type_name.ends_with("Alarm")
            })
            .count();
        items.push(format!(
            "{} of {total} alarm{} in ALARM ({})",
            alarms.len(),
            plural(total),
            list_short(&alarms)
        ));
    }
    let dlqs: Vec<String> = map
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::SQS::Queue")
        .filter_map(|r| {
            let n = r.state.get("ApproximateNumberOfMessages")?.as_i64()?;
            (n > 0 && is_dlq(r, ctx)).then(|| format!("{} holds {n}", code(&layout::label(r))))
        })
        .collect();
    if !dlqs.is_empty() {
        items.push(format!(
            "dead-letter queue{} {}",
            plural(dlqs.len()),
            list_plain(&dlqs)
        ));
    }
    let services: Vec<String> = map
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::ECS::Service")
        .filter_map(|r| {
            let running = r.state.get("RunningCount")?.as_i64()?;
            let desired = r
                .state
                .get("DesiredCount")
                .or_else(|| r.attr("DesiredCount"))
                .and_then(Value::as_i64)
                .unwrap_or(1);
            (running < desired)
                .then(|| format!("{} runs {running} of {desired}", code(&layout::label(r))))
        })
        .collect();
    if !services.is_empty() {
        items.push(format!(
            "service{} below desired: {}",
            plural(services.len()),
            list_plain(&services)
        ));
    }
    let disabled: Vec<String> = map
        .resources
        .iter()
        .filter(|r| {
            matches!(
                r.type_name.as_str(),
                "AWS::Events::Rule" | "AWS::Scheduler::Schedule"
            )
        })
        .filter(|r| {
            let s = r
                .state
                .get("State")
                .or_else(|| r.attr("State"))
                .and_then(Value::as_str)
                .unwrap_or("ENABLED");
            s.eq_ignore_ascii_case("DISABLED")
        })
        .map(layout::label)
        .collect();
    if !disabled.is_empty() {
        items.push(format!(
            "{} schedule{} disabled ({})",
            disabled.len(),
            plural(disabled.len()),
            list_short(&disabled)
        ));
    }
    for p in &map.probes {
        let status = p
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "no answer".into());
        let ms = p.ms.map(|m| format!(" in {m} ms")).unwrap_or_default();
        let summary = if p.summary.is_empty() {
            String::new()
        } else {
            format!(" {}", p.summary)
        };
        items.push(format!("GET {} → {status}{summary}{ms}", code(&p.url)));
    }
    items
}

fn list_plain(items: &[String]) -> String {
    let mut s = items.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 4 {
        s.push_str(&format!(" and {} more", items.len() - 4));
    }
    s
}

fn list_short(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(4)
        .map(|x| code(x))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > 4 {
        s.push_str(&format!(" and {} more", items.len() - 4));
    }
    s
}

fn diagram(out: &mut String, ctx: &Context) {
    let d = layout::diagram(ctx);
    out.push_str("## Diagram\n\n");
    if d.nodes.is_empty() {
        out.push_str("Nothing to draw.\n\n");
        return;
    }
    out.push_str("```mermaid\n");
    out.push_str(&mermaid::render(&d));
    out.push_str("```\n\n");
    let mut legend = vec![
        "Thick arrows carry requests, plain ones messages and events, dotted ones network access and dependencies".to_string(),
        "⚠ marks drift, unmanaged or missing resources and resources with findings".to_string(),
    ];
    let grouped: usize = d.nodes.iter().filter(|n| n.count() > 1).count();
    if grouped > 0 {
        legend.push(format!("{grouped} node{} stand for several resources of one kind with the same neighbours (`×N`)", plural(grouped)));
    }
    match d.simplified {
        1 => legend.push("Simplified to stay readable: resources of one kind in one stack or subnet tier are drawn as one node".into()),
        2 => legend.push("Simplified to stay readable: resources of one kind are drawn as one node across stacks (subnet tiers are kept)".into()),
        _ => {}
    }
    if d.omitted > 0 {
        legend.push(format!(
            "{} resource{} of plumbing (IAM, permissions, routes, rules, policies, log groups, CDK metadata) are left out of the picture and listed in the tables",
            d.omitted,
            plural(d.omitted)
        ));
    }
    let _ = writeln!(out, "{}.\n", legend.join(". "));
}

/// How a flow step is reached, as the start of a sentence.
fn verb(k: Option<EdgeKind>) -> &'static str {
    match k {
        Some(EdgeKind::Routes) => "Routes to",
        Some(EdgeKind::Invokes) => "Invokes",
        Some(EdgeKind::Triggers) => "Triggers",
        Some(EdgeKind::Notifies) => "Notifies",
        Some(EdgeKind::Delivers) => "Delivers to",
        Some(EdgeKind::Redrives) => "Failed messages are redriven to",
        Some(EdgeKind::Allows) => "Connects to",
        Some(EdgeKind::Protects) => "Protects",
        Some(EdgeKind::Contains) => "Contains",
        Some(EdgeKind::Uses) => "Uses",
        Some(EdgeKind::Depends) | None => "Reaches",
    }
}

fn step_name(ctx: &Context, id: &surveyor_model::ResourceId) -> String {
    match ctx.get(id) {
        Some(r) if r.type_name == "Surveyor::Internet" => "the internet".into(),
        Some(r) => {
            let warn = if ctx.marks(id).any() { " ⚠" } else { "" };
            format!("{} **{}**{warn}", layout::display(r), layout::label(r))
        }
        None => code(&layout::short_id(id.as_str())),
    }
}

fn flows(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    if map.flows.is_empty() {
        return;
    }
    out.push_str("## Flows\n\n");
    for (i, f) in map.flows.iter().enumerate() {
        let kind = f
            .kind
            .as_deref()
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        let _ = writeln!(out, "### {}. {}{kind}\n", i + 1, f.name);
        for (j, id) in f.steps.iter().enumerate() {
            if j == 0 {
                let _ = writeln!(out, "1. Starts at {}.", step_name(ctx, id));
                continue;
            }
            let prev = &f.steps[j - 1];
            let edge = ctx
                .edges_from(prev)
                .filter(|e| &e.to == id)
                .min_by_key(|e| !e.kind.is_flow());
            // Network access is declared between security groups, not the resources.
            let allows = || {
                let (a, b) = (ctx.position(prev)?, ctx.position(id)?);
                ctx.map.edges.iter().find(|e| {
                    e.kind == EdgeKind::Allows
                        && ctx.sg_members(&e.from).contains(&a)
                        && ctx.sg_members(&e.to).contains(&b)
                })
            };
            // A step can hang off an earlier one (the queue's DLQ after its consumer).
            let earlier = || {
                f.steps[..j - 1]
                    .iter()
                    .rev()
                    .find_map(|s| ctx.edges_from(s).find(|e| &e.to == id))
            };
            let edge = edge.or_else(allows).or_else(earlier);
            let label = edge
                .and_then(|e| e.label.clone())
                .map(|l| format!(" ({})", code(&l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}. {} {}{label}.",
                j + 1,
                verb(edge.map(|e| e.kind)),
                step_name(ctx, id)
            );
        }
        out.push('\n');
    }
}

/// Stacks in deploy order: each after the stacks it depends on, ties in declared order.
fn deploy_order(ctx: &Context) -> Vec<usize> {
    let stacks = &ctx.map.stacks;
    let pos: HashMap<&str, usize> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let mut done = vec![false; stacks.len()];
    let mut order = Vec::new();
    while order.len() < stacks.len() {
        let next = (0..stacks.len()).find(|&i| {
            !done[i]
                && stacks[i]
                    .depends_on
                    .iter()
                    .all(|d| pos.get(d.as_str()).is_none_or(|&j| done[j]))
        });
        // A cycle: take the first left, so the table still lists every stack.
        let i = match next.or_else(|| (0..stacks.len()).find(|&i| !done[i])) {
            Some(i) => i,
            None => break,
        };
        done[i] = true;
        order.push(i);
    }
    order
}

fn stacks(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    if map.stacks.is_empty() {
        return;
    }
    out.push_str("## Stacks and their dependencies\n\n");
    out.push_str("| Order | Stack | Source | Resources | Depends on | Declared at |\n|---|---|---|---|---|---|\n");
    for (n, i) in deploy_order(ctx).into_iter().enumerate() {
        let s = &map.stacks[i];
        let deps = if s.depends_on.is_empty() {
            "—".to_string()
        } else {
            s.depends_on.join(", ")
        };
        let mut src = format!("{} {}", s.source_kind.as_str(), code(&s.path));
        if let Some(st) = &s.stage {
            src.push_str(&format!(" (stage {st})"));
        }
        let at = s
            .location
            .as_ref()
            .map(|l| code(&text::location(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | **{}** | {} | {} | {} | {} |",
            n + 1,
            cell(&s.name),
            cell(&src),
            s.resources,
            cell(&deps),
            cell(&at)
        );
    }
    out.push('\n');
}

/// Unmanaged resources of one type folded into one drift row from this many on.
const FOLD_DRIFT: usize = 5;

fn interpretation(d: &surveyor_model::Drift) -> String {
    match d.kind {
        DriftKind::Unmanaged => "outside IaC: made by hand or by another tool".into(),
        DriftKind::Missing => "declared but not found live: not deployed, deleted by hand, or in another account or region".into(),
        DriftKind::Count => {
            let c = d.code.as_ref().and_then(Value::as_i64);
            let l = d.live.as_ref().and_then(Value::as_i64);
            match (c, l) {
                (Some(c), Some(l)) if l > c => format!("{} more live than declared: made outside the code", l - c),
                (Some(c), Some(l)) if l < c => format!("{} fewer live than declared", c - l),
                _ => "counts differ".into(),
            }
        }
        DriftKind::Changed => {
            let attr = d.attribute.as_deref().unwrap_or("");
            if attr.ends_with("EngineVersion") {
                "engine upgraded outside the code (automatic minor version upgrade, or by hand)".into()
            } else if attr.ends_with("DesiredCount") || attr.ends_with("DesiredCapacity") {
                "scaled outside the code (auto scaling or by hand)".into()
            } else if attr == "State" {
                "switched on or off outside the code".into()
            } else {
                "changed outside the code".into()
            }
        }
    }
}

fn drift(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    out.push_str("## Drift: code ↔ reality\n\n");
    if map.drift.is_empty() {
        out.push_str(if ctx.live {
            "No drift: every declared resource was found live as declared, and nothing live is outside the code.\n\n"
        } else {
            "Not measured: no live data was read (run with `--live` or `--snapshot FILE`).\n\n"
        });
        return;
    }
    out.push_str("| Item | Drift | In code | Live | Interpretation | Declared at |\n|---|---|---|---|---|---|\n");
    // Many unmanaged resources of one type read better as one row.
    let mut unmanaged_by_type: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in map.drift.iter().filter(|d| d.kind == DriftKind::Unmanaged) {
        let name = d
            .name
            .clone()
            .or_else(|| d.resource.as_ref().map(|id| ctx.ref_label(id)))
            .unwrap_or_default();
        unmanaged_by_type
            .entry(&d.type_name)
            .or_default()
            .push(name);
    }
    let folded: Vec<&str> = unmanaged_by_type
        .iter()
        .filter(|(_, v)| v.len() >= FOLD_DRIFT)
        .map(|(t, _)| *t)
        .collect();
    for (t, names) in unmanaged_by_type.iter().filter(|(t, _)| folded.contains(t)) {
        let mut shown: Vec<String> = names.iter().take(3).map(|n| code(n)).collect();
        shown.push("…".into());
        let _ = writeln!(
            out,
            "| {} ×{} ({}) | unmanaged | not defined | {} exist | outside IaC: made by hand or by another tool | — |",
            surveyor_model::registry::display_of(t),
            names.len(),
            cell(&shown.join(", ")),
            names.len()
        );
    }
    for d in &map.drift {
        if d.kind == DriftKind::Unmanaged && folded.contains(&d.type_name.as_str()) {
            continue;
        }
        let display = surveyor_model::registry::display_of(&d.type_name);
        let mut item = if d.kind == DriftKind::Count {
            match &d.scope {
                Some(s) => format!("{display} count in **{s}**"),
                None => format!("{display} count"),
            }
        } else {
            let name = d
                .name
                .clone()
                .or_else(|| d.resource.as_ref().map(|id| ctx.ref_label(id)))
                .unwrap_or_default();
            format!("{display} **{name}**")
        };
        if let Some(a) = &d.attribute {
            item.push_str(&format!(" {}", code(a)));
        }
        let show = |v: &Option<Value>, absent: &str| match v {
            Some(v) => text::value(v, ctx),
            None => absent.to_string(),
        };
        let (c, l) = match d.kind {
            DriftKind::Unmanaged => ("not defined".to_string(), show(&d.live, "exists")),
            DriftKind::Missing => (show(&d.code, "declared"), "not found".to_string()),
            _ => (show(&d.code, "—"), show(&d.live, "—")),
        };
        let at = d
            .code_location
            .as_ref()
            .map(|l| code(&text::location(l)))
            .or_else(|| {
                d.resource
                    .as_ref()
                    .and_then(|id| ctx.get(id))
                    .filter(|r| r.code.is_some())
                    .map(text::declared_at)
            })
            .unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&item),
            d.kind.as_str(),
            cell(&c),
            cell(&l),
            cell(&interpretation(d)),
            cell(&at)
        );
    }
    out.push('\n');
    // The drift items decide what is unmanaged: AWS defaults, the deployed stacks of the code
    // and what the ignore file accepts are live-only without being drift.
    let unmanaged_ids: std::collections::HashSet<&ResourceId> = map
        .drift
        .iter()
        .filter(|d| d.kind == DriftKind::Unmanaged)
        .filter_map(|d| d.resource.as_ref())
        .collect();
    let unmanaged: Vec<&Resource> = map
        .resources
        .iter()
        .filter(|r| unmanaged_ids.contains(&r.id) && !layout::is_pseudo(r))
        .collect();
    if !unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "### Unmanaged: live, in no code given ({})\n",
            unmanaged.len()
        );
        for r in unmanaged.iter().take(50) {
            let mut facts = vec![layout::display(r)];
            if let Some(p) = r.physical_id.as_ref().or(r.arn.as_ref()) {
                facts.push(code(p));
            }
            for k in [
                "InstanceType",
                "PublicIpAddress",
                "State",
                "InstanceState",
                "LaunchTime",
                "IamInstanceProfile",
            ] {
                if let Some(v) = r.attributes.get(k).or_else(|| r.state.get(k)) {
                    facts.push(format!("{k} {}", text::value(v, ctx)));
                }
            }
            if let Some(st) = &r.stack {
                facts.push(format!("managed by stack {} (not given as code)", st.name));
            }
            let _ = writeln!(out, "- ⚠ **{}** — {}", layout::label(r), facts.join(" · "));
        }
        if unmanaged.len() > 50 {
            let _ = writeln!(out, "- … and {} more (see map.json)", unmanaged.len() - 50);
        }
        out.push('\n');
    }
}

fn findings(out: &mut String, ctx: &Context) {
    let map = ctx.map;
    out.push_str("## Findings\n\n");
    if map.findings.is_empty() {
        out.push_str("No findings.\n\n");
        return;
    }
    let mut sorted: Vec<&surveyor_model::Finding> = map.findings.iter().collect();
    sorted.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
    // Summary by rule.
    let mut by_rule: Vec<(Severity, &str, usize)> = Vec::new();
    for f in &sorted {
        match by_rule.last_mut() {
            Some((s, r, n)) if *r == f.rule && *s == f.severity => *n += 1,
            _ => by_rule.push((f.severity, &f.rule, 1)),
        }
    }
    out.push_str("| Severity | Rule | Count |\n|---|---|---|\n");
    for (s, r, n) in &by_rule {
        let _ = writeln!(out, "| {} | {} | {n} |", s.as_str(), code(r));
    }
    out.push('\n');
    for (i, f) in sorted.iter().enumerate() {
        let _ = writeln!(
            out,
            "### #{} · {} · {}\n",
            i + 1,
            f.severity.as_str().to_uppercase(),
            f.title.trim()
        );
        let res = ctx.get(&f.resource);
        let mut what = match res {
            Some(r) => format!("{} **{}**", layout::display(r), layout::label(r)),
            None => code(&layout::short_id(f.resource.as_str())),
        };
        let at = f
            .code_location
            .as_ref()
            .map(|l| code(&text::location(l)))
            .or_else(|| res.filter(|r| r.code.is_some()).map(text::declared_at));
        if let Some(at) = at {
            what.push_str(&format!(" · {at}"));
        }
        let _ = writeln!(
            out,
            "- **Rule:** {} ({})",
            code(&f.rule),
            f.category.as_str()
        );
        let _ = writeln!(out, "- **Resource:** {what}");
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "- **Evidence:** {}", f.evidence.trim());
        }
        if !f.why.is_empty() {
            let _ = writeln!(out, "- **Why it matters:** {}", f.why.trim());
        }
        if !f.action.is_empty() {
            let _ = writeln!(out, "- **Action:** {}", f.action.trim());
        }
        out.push('\n');
    }
}

fn coverage(out: &mut String, ctx: &Context) {
    out.push_str("## Coverage\n\n");
    match (&ctx.map.coverage, ctx.live) {
        (Some(c), true) => {
            let _ = writeln!(
                out,
                "{}% of the live resources are declared in the code given: {} managed, {} unmanaged (live only), {} missing (declared, not found live).\n",
                c.percent, c.managed, c.unmanaged, c.missing
            );
        }
        _ => out.push_str("Not measured: the map was built from code alone.\n\n"),
    }
}

fn probes(out: &mut String, ctx: &Context) {
    if ctx.map.probes.is_empty() {
        return;
    }
    out.push_str("## Probes\n\n| URL | Status | Latency | Summary |\n|---|---|---|---|\n");
    for p in &ctx.map.probes {
        let status = p
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "no answer".into());
        let ms = p.ms.map(|m| format!("{m} ms")).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&code(&p.url)),
            status,
            cell(&ms),
            cell(&p.summary)
        );
    }
    out.push('\n');
}

fn notes(out: &mut String, ctx: &Context) {
    if ctx.map.notes.is_empty() {
        return;
    }
    out.push_str("## Notes: what could not be read\n\n");
    let mut notes: Vec<&surveyor_model::Note> = ctx.map.notes.iter().collect();
    notes.sort_by_key(|n| match n.level {
        NoteLevel::Error => 0,
        NoteLevel::Warning => 1,
        NoteLevel::Info => 2,
    });
    for n in notes.iter().take(200) {
        let level = match n.level {
            NoteLevel::Error => "error",
            NoteLevel::Warning => "warning",
            NoteLevel::Info => "info",
        };
        let mut where_ = Vec::new();
        if let Some(s) = &n.service {
            where_.push(s.clone());
        }
        if let Some(r) = &n.region {
            where_.push(r.clone());
        }
        if let Some(f) = &n.file {
            where_.push(code(&match n.line {
                Some(l) => format!("{f}:{l}"),
                None => f.clone(),
            }));
        }
        let w = if where_.is_empty() {
            String::new()
        } else {
            format!(" ({})", where_.join(" · "))
        };
        let _ = writeln!(out, "- **{level}**{w}: {}", n.message.trim());
    }
    if notes.len() > 200 {
        let _ = writeln!(out, "- … and {} more in map.json", notes.len() - 200);
    }
    out.push('\n');
}

fn sources(out: &mut String, ctx: &Context) {
    if ctx.map.sources.is_empty() {
        return;
    }
    out.push_str("## Sources read\n\n| Kind | Path | Resources |\n|---|---|---|\n");
    for s in &ctx.map.sources {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            s.kind.as_str(),
            cell(&code(&s.path)),
            s.resources
        );
    }
    out.push('\n');
}
