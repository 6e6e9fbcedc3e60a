//! The report sections under the diagram — at a glance, flows, resources by category, drift,
//! findings, notes — built from the `Map` with the same headings and order as `map.md`.
//! Resource names are buttons that select the resource in the diagram.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use surveyor_model::{Category, Map, Resource, Severity, Value};

use super::diagram::{category_of, display_of, label};
use super::esc;

/// Up to this many resources, the resource tables are plain HTML.
const STATIC_ROWS: usize = 1500;

fn loc(file: &str, line: u32) -> String {
    if file.is_empty() {
        String::new()
    } else if line > 0 {
        format!("<code>{}:{line}</code>", esc(file))
    } else {
        format!("<code>{}</code>", esc(file))
    }
}

fn res_link(i: usize, r: &Resource) -> String {
    format!(
        "<button class=\"res\" data-res=\"{i}\">{}</button>",
        esc(&label(r))
    )
}

fn short(v: &Option<Value>) -> String {
    match v {
        Some(v) => {
            let s = v.display();
            if s.chars().count() > 80 {
                let t: String = s.chars().take(79).collect();
                format!("{t}…")
            } else {
                s
            }
        }
        None => String::new(),
    }
}

pub fn render(map: &Map) -> String {
    let index: HashMap<&str, usize> = map
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let name_of = |id: &str| -> String {
        match index
            .get(id)
            .and_then(|&i| map.resources.get(i).map(|r| (i, r)))
        {
            Some((i, r)) => res_link(i, r),
            None => format!("<code>{}</code>", esc(id)),
        }
    };
    let mut o = String::new();

    // At a glance.
    o.push_str("<section id=\"at-a-glance\"><h2>At a glance</h2><div class=\"cards\">");
    let in_code = map.resources.iter().filter(|r| r.in_code).count();
    let in_live = map.resources.iter().filter(|r| r.in_live).count();
    let card = |o: &mut String, n: String, what: &str| {
        let _ = write!(
            o,
            "<div class=\"card\"><b>{}</b><span>{}</span></div>",
            esc(&n),
            esc(what)
        );
    };
    card(&mut o, map.resources.len().to_string(), "resources");
    card(&mut o, in_code.to_string(), "declared in code");
    card(&mut o, in_live.to_string(), "seen live");
    card(&mut o, map.edges.len().to_string(), "connections");
    card(&mut o, map.drift.len().to_string(), "drift items");
    card(&mut o, map.findings.len().to_string(), "findings");
    if let Some(c) = &map.coverage {
        card(&mut o, format!("{}%", c.percent), "managed by code");
    }
    o.push_str("</div><table class=\"glance\"><tbody>");
    if let Some(a) = &map.account {
        let _ = write!(o, "<tr><th>Account</th><td>{}</td></tr>", esc(a));
    }
    if !map.regions.is_empty() {
        let _ = write!(
            o,
            "<tr><th>Regions</th><td>{}</td></tr>",
            esc(&map.regions.join(", "))
        );
    }
    if !map.sources.is_empty() {
        let s: Vec<String> = map
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} <code>{}</code> ({})",
                    s.kind.as_str(),
                    esc(&s.path),
                    s.resources
                )
            })
            .collect();
        let _ = write!(o, "<tr><th>Sources</th><td>{}</td></tr>", s.join("<br>"));
    }
    if !map.stacks.is_empty() {
        let s: Vec<String> = map
            .stacks
            .iter()
            .map(|s| format!("{} ({})", esc(&s.name), s.resources))
            .collect();
        let _ = write!(o, "<tr><th>Stacks</th><td>{}</td></tr>", s.join(", "));
    }
    let mut by_cat: BTreeMap<Category, usize> = BTreeMap::new();
    for r in &map.resources {
        *by_cat.entry(category_of(&r.type_name)).or_default() += 1;
    }
    let cats: Vec<String> = by_cat
        .iter()
        .map(|(c, n)| format!("{} {n}", esc(c.title())))
        .collect();
    let _ = write!(
        o,
        "<tr><th>By category</th><td>{}</td></tr>",
        cats.join(" · ")
    );
    let mut sev: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
    for f in &map.findings {
        *sev.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
    }
    if !sev.is_empty() {
        let s: Vec<String> = sev
            .iter()
            .map(|(s, n)| format!("<span class=\"sev sev-{0}\">{0}</span> {n}", s.0.as_str()))
            .collect();
        let _ = write!(o, "<tr><th>Findings</th><td>{}</td></tr>", s.join(" · "));
    }
    for p in &map.probes {
        let _ = write!(
            o,
            "<tr><th>Probe</th><td><code>{}</code> → {} {} {}</td></tr>",
            esc(&p.url),
            p.status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into()),
            p.ms.map(|m| format!("{m} ms")).unwrap_or_default(),
            esc(&p.summary)
        );
    }
    o.push_str("</tbody></table></section>");

    // Flows.
    if !map.flows.is_empty() {
        o.push_str("<section id=\"flows\"><h2>Flows</h2><ol class=\"flows\">");
        for fl in &map.flows {
            let steps: Vec<String> = fl.steps.iter().map(|s| name_of(s.as_str())).collect();
            let _ = write!(
                o,
                "<li><b>{}</b>{}: {}</li>",
                esc(&fl.name),
                fl.kind
                    .as_deref()
                    .map(|k| format!(" <span class=\"muted\">({})</span>", esc(k)))
                    .unwrap_or_default(),
                steps.join(" → ")
            );
        }
        o.push_str("</ol></section>");
    }

    // Resources by category. A big map's rows are written by the page script from the data
    // island when a table is opened (or printed), so that each resource is in the page once.
    let lazy = map.resources.len() > STATIC_ROWS;
    o.push_str("<section id=\"resources\"><h2>Resources</h2>");
    let mut groups: BTreeMap<Category, Vec<usize>> = BTreeMap::new();
    for (i, r) in map.resources.iter().enumerate() {
        groups.entry(category_of(&r.type_name)).or_default().push(i);
    }
    for (c, list) in &groups {
        let _ = write!(
            o,
            "<details class=\"cat\" data-cat=\"{}\"{}><summary><h3>{} ({})</h3></summary>\
             <table><thead><tr><th>Name</th><th>Type</th><th>Declared at</th><th>Stack</th>\
             <th>Code / live</th></tr></thead>",
            c.as_str(),
            if list.len() <= 40 { " open" } else { "" },
            esc(c.title()),
            list.len()
        );
        let mut rows: Vec<&usize> = list.iter().collect();
        rows.sort_by_key(|&&i| {
            map.resources
                .get(i)
                .map(|r| (display_of(&r.type_name), label(r)))
        });
        if lazy {
            let order: Vec<String> = rows.iter().map(|i| i.to_string()).collect();
            let _ = write!(
                o,
                "<tbody data-rows=\"{}\"></tbody></table></details>",
                order.join(",")
            );
            continue;
        }
        o.push_str("<tbody>");
        for &i in rows {
            let Some(r) = map.resources.get(i) else {
                continue;
            };
            let (at, stack) = match &r.code {
                Some(c) => (
                    loc(&c.file, c.line),
                    c.stack.clone().map(|s| esc(&s)).unwrap_or_default(),
                ),
                None => (
                    String::new(),
                    r.stack.as_ref().map(|s| esc(&s.name)).unwrap_or_default(),
                ),
            };
            let side = match (r.in_code, r.in_live) {
                (true, true) => "both",
                (true, false) => "code",
                (false, true) => "live",
                (false, false) => "—",
            };
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{at}</td><td>{stack}</td><td>{side}</td></tr>",
                res_link(i, r),
                esc(&display_of(&r.type_name))
            );
        }
        o.push_str("</tbody></table></details>");
    }
    o.push_str("</section>");

    // Drift.
    o.push_str("<section id=\"drift\"><h2>Drift</h2>");
    if map.drift.is_empty() {
        o.push_str("<p class=\"muted\">No drift: code and the account agree, or no live data was read.</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th>Kind</th><th>Resource</th><th>Attribute</th><th>Code</th>\
             <th>Live</th><th>Declared at</th></tr></thead><tbody>",
        );
        for d in &map.drift {
            let who = match &d.resource {
                Some(id) => name_of(id.as_str()),
                None => format!(
                    "{}{}",
                    esc(&display_of(&d.type_name)),
                    d.scope
                        .as_deref()
                        .map(|s| format!(" in {}", esc(s)))
                        .unwrap_or_default()
                ),
            };
            let kind = d.kind.as_str();
            let _ = write!(
                o,
                "<tr class=\"drift-{kind}\"><td>{kind}</td><td>{who}</td><td>{}</td><td>{}</td>\
                 <td>{}</td><td>{}</td></tr>",
                esc(d.attribute.as_deref().unwrap_or("")),
                esc(&short(&d.code)),
                esc(&short(&d.live)),
                d.code_location
                    .as_ref()
                    .map(|l| loc(&l.file, l.line))
                    .unwrap_or_default()
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");

    // Findings, most severe first.
    o.push_str("<section id=\"findings\"><h2>Findings</h2>");
    if map.findings.is_empty() {
        o.push_str("<p class=\"muted\">No findings.</p>");
    } else {
        let mut fs: Vec<&surveyor_model::Finding> = map.findings.iter().collect();
        fs.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
        o.push_str(
            "<table><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Finding</th>\
             <th>Declared at</th></tr></thead><tbody>",
        );
        for f in fs {
            let s = f.severity.as_str();
            let _ = write!(
                o,
                "<tr><td><span class=\"sev sev-{s}\">{s}</span></td><td><code>{}</code></td>\
                 <td>{}</td><td><b>{}</b><br>{}<br><i>Evidence:</i> {}<br><i>Do:</i> {}</td><td>{}</td></tr>",
                esc(&f.rule),
                name_of(f.resource.as_str()),
                esc(&f.title),
                esc(&f.why),
                esc(&f.evidence),
                esc(&f.action),
                f.code_location
                    .as_ref()
                    .map(|l| loc(&l.file, l.line))
                    .unwrap_or_default()
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");

    if !map.notes.is_empty() {
        o.push_str("<section id=\"notes\"><h2>Notes</h2><ul>");
        for n in &map.notes {
            let mut at = String::new();
            if let Some(file) = &n.file {
                at = loc(file, n.line.unwrap_or(0));
            }
            let svc = n
                .service
                .as_deref()
                .map(|s| format!("{} ", esc(s)))
                .unwrap_or_default();
            let _ = write!(
                o,
                "<li><span class=\"note-{}\">{:?}</span> {svc}{at} {}</li>",
                format!("{:?}", n.level).to_lowercase(),
                n.level,
                esc(&n.message)
            );
        }
        o.push_str("</ul></section>");
    }
    o
}
