//! The short summary printed on stdout after a run: counts by area, entry points, drift and
//! findings by severity, coverage, and where the files went. Plain text when stdout is not a
//! terminal or `NO_COLOR` is set; a little colour otherwise.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use surveyor_model::{Category, Map, Severity};

use crate::layout::{self, ComputeSummary, Context};

/// The summary for stdout, coloured only when stdout is a terminal and `NO_COLOR` is unset.
pub fn summary(map: &Map) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    render(map, &[], color)
}

/// The summary, with the files written, coloured or not.
pub fn render(map: &Map, written: &[PathBuf], color: bool) -> String {
    let ctx = Context::new(map);
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut by_cat: BTreeMap<Category, usize> = BTreeMap::new();
    let mut total = 0;
    for r in &map.resources {
        if layout::is_pseudo(r) || r.type_name == "AWS::CDK::Metadata" {
            continue;
        }
        total += 1;
        *by_cat.entry(layout::category(r)).or_default() += 1;
    }
    let cats: Vec<String> = Category::ALL
        .iter()
        .filter_map(|c| by_cat.get(c).map(|n| format!("{} {n}", c.as_str())))
        .collect();
    out.push_str(&format!(
        "{} {total} resource{} in {}: {}\n",
        paint("1", "map"),
        layout::plural(total),
        layout::deploy_units(map),
        cats.join(", ")
    ));
    out.push_str(&format!(
        "compute  {}\n",
        ComputeSummary::of(&ctx).sentence()
    ));
    let entries: Vec<String> = layout::entry_points(&ctx)
        .iter()
        .take(5)
        .map(|r| layout::label(r))
        .collect();
    if !entries.is_empty() {
        out.push_str(&format!("entry    {}\n", entries.join(", ")));
    }
    if ctx.live {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &map.drift {
            *by.entry(d.kind.as_str()).or_default() += 1;
        }
        let parts: Vec<String> = by.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let line = if parts.is_empty() {
            "none".to_string()
        } else {
            format!("{} ({})", map.drift.len(), parts.join(", "))
        };
        out.push_str(&format!(
            "drift    {}\n",
            if map.drift.is_empty() {
                line
            } else {
                paint("33", &line)
            }
        ));
    } else {
        out.push_str("drift    not measured (code only)\n");
    }
    let mut sev: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
    for f in &map.findings {
        *sev.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
    }
    let parts: Vec<String> = sev
        .iter()
        .map(|(s, n)| {
            let t = format!("{n} {}", s.0.as_str());
            match s.0 {
                Severity::Critical | Severity::High => paint("31", &t),
                Severity::Medium => paint("33", &t),
                _ => t,
            }
        })
        .collect();
    out.push_str(&format!(
        "findings {}\n",
        if parts.is_empty() {
            "none".to_string()
        } else {
            format!("{} ({})", map.findings.len(), parts.join(", "))
        }
    ));
    if let (Some(c), true) = (&map.coverage, ctx.live) {
        out.push_str(&format!(
            "coverage {}% ({} managed, {} unmanaged, {} missing)\n",
            c.percent, c.managed, c.unmanaged, c.missing
        ));
    }
    for w in written {
        out.push_str(&format!("wrote    {}\n", w.display()));
    }
    out
}
