//! The Mermaid `flowchart LR` of the Markdown report, drawn from [`crate::layout::diagram`]:
//! subgraphs for VPC → subnet tier (or stacks), the internet and entry points first so they
//! sit on the left, one line style per edge family, drifted / unmanaged / missing resources
//! and resources with findings styled by `classDef` and marked ⚠. Node ids are generated
//! (`n0`, `g0`), never taken from resource ids, so any name is safe; labels are escaped
//! with Mermaid's entity codes.

use std::fmt::Write;

use surveyor_model::{Category, EdgeKind, Map};

use crate::layout::{self, Context, Diagram, GroupKind, Node};

type NodeTest = fn(&Node) -> bool;

/// The fenced block, ready to paste into Markdown.
pub fn flowchart(map: &Map) -> String {
    let ctx = Context::new(map);
    let d = layout::diagram(&ctx);
    let mut out = String::from("```mermaid\n");
    out.push_str(&render(&d));
    out.push_str("```\n");
    out
}

/// The diagram source (without the fence).
pub fn render(d: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    // Top-level nodes (internet, externals, anything without a group) first: on the left.
    for (i, n) in d.nodes.iter().enumerate() {
        if n.group.is_none() {
            let _ = writeln!(out, "  {}", node_decl(i, n));
        }
    }
    for (gi, g) in d.groups.iter().enumerate() {
        if g.parent.is_none() {
            write_group(&mut out, d, gi, 1);
        }
    }
    for e in &d.edges {
        let arrow = match e.kind {
            EdgeKind::Routes => "==>",
            k if k.is_flow() => "-->",
            _ => "-.->",
        };
        let from_alarm = d
            .nodes
            .get(e.from)
            .is_some_and(|n| n.type_name.starts_with("AWS::CloudWatch::"));
        // An alarm's reference to what it measures reads as watching, not depending.
        let kind = if from_alarm && e.kind == EdgeKind::Depends {
            "watches"
        } else {
            e.kind.as_str()
        };
        let text = match &e.label {
            Some(l) if !l.is_empty() => format!("{kind} {l}"),
            _ => kind.to_string(),
        };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            e.from,
            escape(&text),
            e.to
        );
    }
    let classes: [(&str, NodeTest, &str); 4] = [
        (
            "drifted",
            |n| n.marks.drifted,
            "fill:#fff4e0,stroke:#d48806,stroke-width:2px",
        ),
        (
            "unmanaged",
            |n| n.marks.unmanaged,
            "fill:#fdecea,stroke:#c62828,stroke-width:2px,stroke-dasharray:5 3",
        ),
        (
            "missing",
            |n| n.marks.missing,
            "fill:#f2f2f2,stroke:#888888,stroke-dasharray:5 3,color:#666666",
        ),
        (
            "finding",
            |n| {
                n.marks.finding.is_some()
                    && !(n.marks.drifted || n.marks.unmanaged || n.marks.missing)
            },
            "stroke:#c62828,stroke-width:2px",
        ),
    ];
    for (name, pick, style) in classes {
        let ids: Vec<String> = d
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| pick(n))
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  classDef {name} {style}");
            let _ = writeln!(out, "  class {} {name}", ids.join(","));
        }
    }
    out
}

fn write_group(out: &mut String, d: &Diagram, gi: usize, depth: usize) {
    let pad = "  ".repeat(depth);
    let Some(g) = d.groups.get(gi) else { return };
    let _ = writeln!(out, "{pad}subgraph g{gi}[\"{}\"]", escape(&g.label));
    if matches!(g.kind, GroupKind::Vpc) {
        let _ = writeln!(out, "{pad}  direction LR");
    }
    for (i, n) in d.nodes.iter().enumerate() {
        if n.group == Some(gi) {
            let _ = writeln!(out, "{pad}  {}", node_decl(i, n));
        }
    }
    // Tiers from the internet inwards: public, private, isolated.
    let mut children: Vec<usize> = (0..d.groups.len())
        .filter(|&c| d.groups[c].parent == Some(gi))
        .collect();
    children.sort_by(|a, b| d.groups[*a].kind.cmp(&d.groups[*b].kind).then(a.cmp(b)));
    for ci in children {
        write_group(out, d, ci, depth + 1);
    }
    let _ = writeln!(out, "{pad}end");
}

fn node_decl(i: usize, n: &Node) -> String {
    let warn = if n.marks.any() { "⚠ " } else { "" };
    let mut text = format!("{warn}{}", escape(&n.label));
    if !n.detail.is_empty() {
        text.push_str("<br/><small>");
        text.push_str(&escape(&n.detail));
        text.push_str("</small>");
    }
    if n.count() > 1 && n.marked > 0 {
        text.push_str(&format!("<br/>{} flagged", n.marked));
    }
    let (open, close) = match n.type_name.as_str() {
        "Surveyor::Internet" => ("((", "))"),
        "Surveyor::External" => ("([", "])"),
        "AWS::SQS::Queue" | "AWS::SNS::Topic" | "AWS::Kinesis::Stream" => ("[/", "/]"),
        _ if n.category == Category::Data => ("[(", ")]"),
        _ if n.entry => ("([", "])"),
        _ => ("[", "]"),
    };
    format!("n{i}{open}\"{text}\"{close}")
}

/// Escape text for a quoted Mermaid label: entity codes for the characters Mermaid (or the
/// HTML it emits) would read as syntax.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
