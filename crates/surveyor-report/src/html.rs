//! `map.html`: one self-contained page (no network at view time) with the architecture
//! diagram as pre-rendered SVG — laid out in Rust at render time (see [`layout`]) — two
//! groupings (network: account → region → VPC → subnet tier; and stacks/modules), pan and
//! zoom, search, filters, a details panel, and the report sections of `map.md` below.
//!
//! The diagram data (nodes, edges, groups, every resource's details) is embedded as JSON in a
//! `<script type="application/json">` with `<`, `>` and `&` escaped, so no resource name or
//! attribute can close the script or open markup. `window.surveyorMap` summarises what the
//! page drew (for tests and for people in the console).

mod diagram;
mod layout;
mod sections;
mod svg;

use std::collections::HashMap;

use serde_json::{json, Value as Json};
use surveyor_model::{Map, Resource};

use diagram::{category_of, display_of, label, Diagram, View};

const CSS: &str = include_str!("html/map.css");
const JS: &str = include_str!("html/map.js");

/// Text and attribute values for HTML and SVG.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// JSON that is safe inside `<script>`: nothing in it can end the element or start a comment.
fn script_json(v: &Json) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    let mut o = String::with_capacity(s.len() + 64);
    for c in s.chars() {
        match c {
            '<' => o.push_str("\\u003c"),
            '>' => o.push_str("\\u003e"),
            '&' => o.push_str("\\u0026"),
            '\u{2028}' => o.push_str("\\u2028"),
            '\u{2029}' => o.push_str("\\u2029"),
            c => o.push(c),
        }
    }
    o
}

/// Attribute values for the details panel, kept small: long strings, long lists and deep
/// nesting are cut (the whole value is in `map.json`).
fn shrink(v: &Json, depth: usize) -> Json {
    match v {
        Json::String(s) if s.chars().count() > 240 => {
            let t: String = s.chars().take(240).collect();
            Json::String(format!("{t}… ({} characters)", s.chars().count()))
        }
        Json::Array(a) => {
            if depth > 5 {
                return Json::String(format!("[… {} items]", a.len()));
            }
            let mut out: Vec<Json> = a.iter().take(20).map(|x| shrink(x, depth + 1)).collect();
            if a.len() > 20 {
                out.push(Json::String(format!("… {} more", a.len() - 20)));
            }
            Json::Array(out)
        }
        Json::Object(m) => {
            if depth > 5 {
                return Json::String(format!("{{… {} keys}}", m.len()));
            }
            let mut out = serde_json::Map::new();
            for (i, (k, x)) in m.iter().enumerate() {
                if i >= 40 {
                    out.insert(
                        "…".into(),
                        Json::String(format!("{} more keys", m.len() - 40)),
                    );
                    break;
                }
                out.insert(k.clone(), shrink(x, depth + 1));
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

fn resource_json(
    map: &Map,
    type_index: &HashMap<&str, usize>,
    r: &Resource,
    drift: &[&surveyor_model::Drift],
    findings: &[&surveyor_model::Finding],
) -> Json {
    let mut o = serde_json::Map::new();
    o.insert("id".into(), json!(r.id.as_str()));
    o.insert(
        "t".into(),
        json!(type_index.get(r.type_name.as_str()).copied().unwrap_or(0)),
    );
    o.insert("n".into(), json!(label(r)));
    let mut put = |k: &str, v: Option<&String>| {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    };
    put("arn", r.arn.as_ref());
    put("pid", r.physical_id.as_ref());
    // The map's own region is the default, to keep big pages small.
    put(
        "region",
        r.region
            .as_ref()
            .filter(|x| map.regions.first() != Some(*x)),
    );
    // Seen in: 1 code, 2 live, 3 both.
    o.insert(
        "s".into(),
        json!(u8::from(r.in_code) | (u8::from(r.in_live) << 1)),
    );
    if let Some(c) = &r.code {
        let mut code = shrink(&serde_json::to_value(c).unwrap_or(Json::Null), 0);
        if let Some(m) = code.as_object_mut() {
            m.remove("source_kind");
        }
        o.insert("code".into(), code);
    }
    if let Some(s) = &r.stack {
        o.insert("stack".into(), json!(s.name));
    }
    let attrs = serde_json::to_value(&r.attributes).unwrap_or(Json::Null);
    if attrs.as_object().is_some_and(|m| !m.is_empty()) {
        o.insert("attrs".into(), shrink(&attrs, 0));
    }
    if !r.state.is_empty() {
        o.insert(
            "state".into(),
            shrink(&serde_json::to_value(&r.state).unwrap_or(Json::Null), 0),
        );
    }
    if !r.tags.is_empty() {
        o.insert("tags".into(), json!(r.tags));
    }
    if !drift.is_empty() {
        o.insert(
            "drift".into(),
            Json::Array(
                drift
                    .iter()
                    .map(|d| shrink(&serde_json::to_value(d).unwrap_or(Json::Null), 0))
                    .collect(),
            ),
        );
    }
    if !findings.is_empty() {
        o.insert(
            "f".into(),
            Json::Array(
                findings
                    .iter()
                    .map(|f| serde_json::to_value(f).unwrap_or(Json::Null))
                    .collect(),
            ),
        );
    }
    Json::Object(o)
}

fn view_json(d: &Diagram) -> Json {
    json!({
        // A node of one resource is just that resource's index: its label, type and category
        // are the resource's own (in `resources`).
        "nodes": d.nodes.iter().map(|n| match n.members.as_slice() {
            [one] if n.attached.is_empty() => json!(one),
            _ => json!({"m": n.members, "a": n.attached, "l": n.label, "s": n.sub, "c": n.category.as_str()}),
        }).collect::<Vec<_>>(),
        "groups": d.groups.iter().map(|g| json!({
            "l": g.label, "k": g.kind.as_str(), "r": g.resources,
        })).collect::<Vec<_>>(),
        "edges": d.edges.iter().map(|e| json!([e.from, e.to, e.kind.as_str(), e.count])).collect::<Vec<_>>(),
        "stats": d.stats,
    })
}

fn payload(map: &Map, views: &[(&str, &Diagram)]) -> Json {
    let index: HashMap<&str, usize> = map
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut drift: HashMap<usize, Vec<&surveyor_model::Drift>> = HashMap::new();
    for d in &map.drift {
        if let Some(&i) = d.resource.as_ref().and_then(|id| index.get(id.as_str())) {
            drift.entry(i).or_default().push(d);
        }
    }
    let mut findings: HashMap<usize, Vec<&surveyor_model::Finding>> = HashMap::new();
    for f in &map.findings {
        if let Some(&i) = index.get(f.resource.as_str()) {
            findings.entry(i).or_default().push(f);
        }
    }
    // Type, display name and category once per type, not once per resource.
    let mut type_index: HashMap<&str, usize> = HashMap::new();
    let mut types: Vec<Json> = Vec::new();
    for r in &map.resources {
        if !type_index.contains_key(r.type_name.as_str()) {
            type_index.insert(&r.type_name, types.len());
            types.push(json!([
                r.type_name,
                display_of(&r.type_name),
                category_of(&r.type_name).as_str()
            ]));
        }
    }
    let resources: Vec<Json> = map
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| {
            resource_json(
                map,
                &type_index,
                r,
                drift.get(&i).map(Vec::as_slice).unwrap_or(&[]),
                findings.get(&i).map(Vec::as_slice).unwrap_or(&[]),
            )
        })
        .collect();
    // Resource-level edges for the details panel (ends not in the map are kept as ids).
    let end = |id: &str| match index.get(id) {
        Some(&i) => json!(i),
        None => json!(id),
    };
    let edges: Vec<Json> = map
        .edges
        .iter()
        .map(|e| {
            json!([
                end(e.from.as_str()),
                end(e.to.as_str()),
                e.kind.as_str(),
                e.label,
                serde_json::to_value(e.origin).unwrap_or(Json::Null)
            ])
        })
        .collect();
    let mut v = serde_json::Map::new();
    for (name, d) in views {
        v.insert((*name).into(), view_json(d));
    }
    json!({
        "schema": map.schema,
        "summary": {"resources": map.resources.len(), "edges": map.edges.len(),
                    "drift": map.drift.len(), "findings": map.findings.len()},
        "types": types,
        "resources": resources,
        "edges": edges,
        "views": v,
    })
}

pub fn render(map: &Map) -> String {
    // The two groupings are independent: lay them out side by side.
    let (net, stacks) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            let d = diagram::build(map, View::Network);
            let l = layout::layout(&d);
            let svg = svg::render(&d, &l, "network");
            (d, svg)
        });
        let d = diagram::build(map, View::Stacks);
        let l = layout::layout(&d);
        let svg2 = svg::render(&d, &l, "stacks");
        let net = a.join().ok();
        (net, (d, svg2))
    });
    let net = net.unwrap_or_else(|| {
        let d = diagram::build(map, View::Network);
        let l = layout::layout(&d);
        let svg = svg::render(&d, &l, "network");
        (d, svg)
    });
    let data = payload(map, &[("network", &net.0), ("stacks", &stacks.0)]);
    let mut title = String::from("surveyor map");
    if let Some(a) = &map.account {
        title.push_str(" — ");
        title.push_str(a);
    }
    let meta = [
        map.account.clone().map(|a| format!("account {a}")),
        (!map.regions.is_empty()).then(|| map.regions.join(", ")),
        (!map.generated_at.is_empty()).then(|| format!("generated {}", map.generated_at)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");

    let mut chips = String::new();
    for c in surveyor_model::Category::ALL {
        let n = map
            .resources
            .iter()
            .filter(|r| category_of(&r.type_name) == c)
            .count();
        if n == 0 {
            continue;
        }
        chips.push_str(&format!(
            "<button type=\"button\" class=\"chip\" data-cat=\"{0}\" aria-pressed=\"true\" \
             title=\"Show or hide {1}\"><i></i>{1} <span>{n}</span></button>",
            c.as_str(),
            esc(c.title())
        ));
    }
    let legend = [
        ("routes", "request path"),
        ("invokes", "invokes"),
        ("triggers", "async: triggers"),
        ("delivers", "async: delivers"),
        ("notifies", "notifications"),
        ("redrives", "dead-letter"),
        ("allows", "network ingress"),
        ("protects", "protects"),
        ("uses", "uses / depends"),
    ]
    .iter()
    .map(|(k, t)| {
        format!(
            "<span class=\"lg\"><svg width=\"34\" height=\"10\"><path class=\"edge k-{k}\" d=\"M1,5H33\"/></svg>{t}</span>"
        )
    })
    .collect::<String>();

    let mut page = String::with_capacity(net.1.len() + stacks.1.len() + 200_000);
    page.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    page.push_str(&format!(
        "<title>{}</title><style>{CSS}</style></head><body>",
        esc(&title)
    ));
    page.push_str(&format!(
        "<header class=\"top\"><h1>surveyor map</h1><span class=\"meta\">{}</span></header>",
        esc(&meta)
    ));
    page.push_str(
        "<div class=\"toolbar\" role=\"toolbar\" aria-label=\"Diagram tools\">\
         <input type=\"search\" id=\"q\" placeholder=\"Search name, type, id…\" aria-label=\"Search\">\
         <span id=\"qcount\" class=\"muted\"></span>\
         <label>View <select id=\"view\"><option value=\"network\">Network</option>\
         <option value=\"stacks\">Stacks / modules</option></select></label>\
         <label>Drift <select id=\"fdrift\"><option value=\"\">any</option>\
         <option value=\"any\">drifted only</option><option value=\"changed\">changed</option>\
         <option value=\"unmanaged\">unmanaged</option><option value=\"missing\">missing</option></select></label>\
         <label>Severity <select id=\"fsev\"><option value=\"\">any</option>\
         <option value=\"info\">≥ info</option><option value=\"low\">≥ low</option>\
         <option value=\"medium\">≥ medium</option><option value=\"high\">≥ high</option>\
         <option value=\"critical\">critical</option></select></label>\
         <label><input type=\"checkbox\" id=\"fminor\"> dependencies</label>\
         <span class=\"zoom\"><button type=\"button\" id=\"zout\" title=\"Zoom out\">−</button>\
         <button type=\"button\" id=\"zin\" title=\"Zoom in\">+</button>\
         <button type=\"button\" id=\"zfit\" title=\"Fit\">fit</button></span></div>",
    );
    page.push_str(&format!("<div class=\"chips\">{chips}</div>"));
    page.push_str(&svg::markers());
    page.push_str("<div class=\"stage\"><div id=\"canvas\">");
    page.push_str(&net.1);
    page.push_str(&stacks.1);
    page.push_str(
        "</div><aside id=\"details\" hidden><button type=\"button\" id=\"dclose\" \
         title=\"Close\">×</button><div id=\"dbody\"></div></aside></div>",
    );
    page.push_str(&format!(
        "<div class=\"legend\">{legend}<span class=\"lg\"><b class=\"mk drift-drift\">drift</b>\
         <b class=\"mk drift-unmanaged\">unmanaged</b><b class=\"mk drift-missing\">missing</b>\
         <b class=\"mk sev-high\">findings</b> stacked box = collapsed (click to expand)</span></div>"
    ));
    page.push_str("<main class=\"report\">");
    page.push_str(&sections::render(map));
    page.push_str("</main><script type=\"application/json\" id=\"surveyor-data\">");
    page.push_str(&script_json(&data));
    page.push_str("</script><script>");
    page.push_str(JS);
    page.push_str("</script></body></html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use surveyor_model::{Edge, EdgeKind, Origin, Provenance, ResourceId, Value};

    fn res(id: &str, ty: &str, name: &str) -> Resource {
        let mut r = Resource::new(ResourceId::new(id), ty);
        r.name = Some(name.into());
        r.in_code = true;
        r.code = Some(Provenance {
            file: "lib/app.ts".into(),
            line: 10,
            stack: Some("App".into()),
            ..Default::default()
        });
        r
    }

    fn fixture() -> Map {
        let mut m = Map::default();
        let mut vpc = res("vpc", "AWS::EC2::VPC", "main");
        vpc.attributes
            .insert("CidrBlock".into(), Value::str("10.0.0.0/16"));
        let mut sn = res("sn", "AWS::EC2::Subnet", "public-a");
        sn.attributes
            .insert("VpcId".into(), Value::Ref("vpc".into()));
        sn.attributes
            .insert("MapPublicIpOnLaunch".into(), Value::Bool(true));
        let mut lb = res("lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", "alb");
        lb.attributes
            .insert("Subnets".into(), Value::List(vec![Value::Ref("sn".into())]));
        let q = res("q", "AWS::SQS::Queue", "jobs");
        let dlq = res("dlq", "AWS::SQS::Queue", "jobs-dlq");
        let mut role = res("role", "AWS::IAM::Role", "fn-role");
        role.attributes.insert("X".into(), Value::Null);
        m.resources = vec![vpc, sn, lb, q, dlq, role];
        for i in 0..6 {
            let mut f = res(
                &format!("fn{i}"),
                "AWS::Lambda::Function",
                &format!("worker-{i}"),
            );
            f.attributes
                .insert("Role".into(), Value::Ref("role".into()));
            m.resources.push(f);
        }
        m.edges = vec![
            Edge::new("q".into(), "dlq".into(), EdgeKind::Redrives, Origin::Code),
            Edge::new("q".into(), "fn0".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("q".into(), "fn1".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("q".into(), "fn2".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("q".into(), "fn3".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("q".into(), "fn4".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("q".into(), "fn5".into(), EdgeKind::Triggers, Origin::Code),
            Edge::new("vpc".into(), "sn".into(), EdgeKind::Contains, Origin::Code),
            Edge::new("fn0".into(), "role".into(), EdgeKind::Uses, Origin::Code),
            Edge::new("lb".into(), "gone".into(), EdgeKind::Routes, Origin::Code),
        ];
        m
    }

    #[test]
    fn repeated_resources_collapse_and_plumbing_attaches() {
        let m = fixture();
        let d = diagram::build(&m, View::Network);
        let fns: Vec<_> = d
            .nodes
            .iter()
            .filter(|n| m.resources[n.members[0]].type_name == "AWS::Lambda::Function")
            .collect();
        assert_eq!(fns.len(), 1);
        assert_eq!(fns[0].members.len(), 6);
        assert_eq!(fns[0].label, "worker-*");
        assert_eq!(
            fns[0].attached.len(),
            1,
            "the role belongs to the functions"
        );
        let s = &d.stats;
        assert_eq!(s.boxed_resources, 2, "the VPC and its subnet are boxes");
        assert_eq!(
            s.drawn_resources + s.omitted_resources + s.boxed_resources,
            m.resources.len()
        );
        // The six triggers merge into one drawn edge; the role edge is internal.
        let trig: Vec<_> = d
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Triggers)
            .collect();
        assert_eq!(trig.len(), 1);
        assert_eq!(trig[0].count, 6);
        assert_eq!(s.internal_edges, 1);
        assert_eq!(s.contains_edges, 1);
        assert_eq!(s.dangling_edges, 1);
        assert_eq!(
            s.drawn_edge_facts
                + s.contains_edges
                + s.internal_edges
                + s.omitted_edges
                + s.dangling_edges,
            m.edges.len()
        );
        // The load balancer sits in the public tier inside the VPC box.
        let lb = d
            .nodes
            .iter()
            .find(|n| n.label == "alb")
            .map(|n| n.group)
            .unwrap();
        let tier = &d.groups[lb];
        assert_eq!(tier.kind, diagram::GroupKind::Tier);
        assert_eq!(d.groups[tier.parent.unwrap()].kind, diagram::GroupKind::Vpc);
    }

    #[test]
    fn laid_out_nodes_and_sibling_groups_do_not_overlap() {
        let m = fixture();
        for view in [View::Network, View::Stacks] {
            let d = diagram::build(&m, view);
            let l = layout::layout(&d);
            for (i, a) in l.nodes.iter().enumerate() {
                assert!(a.w > 0.0 && a.x >= 0.0 && a.y >= 0.0);
                for b in l.nodes.iter().skip(i + 1) {
                    assert!(!a.overlaps(b), "{a:?} overlaps {b:?} in {view:?}");
                }
            }
            for g in &d.groups {
                for (k, &x) in g.children.iter().enumerate() {
                    for &y in g.children.iter().skip(k + 1) {
                        assert!(!l.groups[x].overlaps(&l.groups[y]));
                    }
                }
            }
            // Every node lies inside its group's box.
            for (i, n) in d.nodes.iter().enumerate() {
                let (r, g) = (l.nodes[i], l.groups[n.group]);
                assert!(r.x >= g.x && r.y >= g.y && r.x + r.w <= g.x + g.w + 0.01);
                assert!(r.y + r.h <= g.y + g.h + 0.01);
            }
        }
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"n": "</script><img src=x onerror=alert(1)>&\u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Json = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
