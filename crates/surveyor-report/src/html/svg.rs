//! The SVG of one diagram view, drawn from the laid-out [`Diagram`]: group boxes, edges styled
//! by kind (behind), nodes styled by category and marked for drift and findings (in front).
//! Everything the page script needs to find is tagged with `data-*` attributes.

use std::fmt::Write;

use surveyor_model::{DriftKind, EdgeKind, Severity};

use super::diagram::{Diagram, DiagramEdge};
use super::esc;
use super::layout::{Layout, Rect, NODE_H, NODE_W};

/// From this many nodes a diagram starts with its node text hidden (see `render`).
pub const LOD_NODES: usize = 300;

/// Edge kinds drawn faintly and hidden until asked for: they connect nearly everything.
pub fn is_minor(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::Uses | EdgeKind::Depends)
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Whole pixels for paths: the page holds thousands of them.
fn p(x: f64) -> String {
    format!("{}", x.round() as i64)
}

fn f(x: f64) -> String {
    // One decimal is plenty for pixels and keeps the page small and the output stable.
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn edge_path(s: &Rect, t: &Rect) -> (String, (f64, f64)) {
    let (scy, tcy) = (s.y + s.h / 2.0, t.y + t.h / 2.0);
    let (p0, p1, p2, p3);
    if t.x >= s.x + s.w {
        let (x0, x3) = (s.x + s.w, t.x);
        let dx = ((x3 - x0) / 2.0).max(24.0);
        p0 = (x0, scy);
        p1 = (x0 + dx, scy);
        p2 = (x3 - dx, tcy);
        p3 = (x3, tcy);
    } else if t.x + t.w <= s.x {
        let (x0, x3) = (s.x, t.x + t.w);
        let dx = ((x0 - x3) / 2.0).max(24.0);
        p0 = (x0, scy);
        p1 = (x0 - dx, scy);
        p2 = (x3 + dx, tcy);
        p3 = (x3, tcy);
    } else {
        let (scx, tcx) = (s.x + s.w / 2.0, t.x + t.w / 2.0);
        let (y0, y3) = if t.y >= s.y {
            (s.y + s.h, t.y)
        } else {
            (s.y, t.y + t.h)
        };
        let dy = ((y3 - y0) / 2.0).abs().max(18.0) * if y3 >= y0 { 1.0 } else { -1.0 };
        p0 = (scx, y0);
        p1 = (scx, y0 + dy);
        p2 = (tcx, y3 - dy);
        p3 = (tcx, y3);
    }
    let mid = (
        (p0.0 + 3.0 * p1.0 + 3.0 * p2.0 + p3.0) / 8.0,
        (p0.1 + 3.0 * p1.1 + 3.0 * p2.1 + p3.1) / 8.0,
    );
    (
        format!(
            "M{},{}C{},{} {},{} {},{}",
            p(p0.0),
            p(p0.1),
            p(p1.0),
            p(p1.1),
            p(p2.0),
            p(p2.1),
            p(p3.0),
            p(p3.1)
        ),
        mid,
    )
}

fn drift_word(k: DriftKind) -> &'static str {
    match k {
        DriftKind::Changed => "drift",
        DriftKind::Unmanaged => "unmanaged",
        DriftKind::Missing => "missing",
        DriftKind::Count => "count",
    }
}

fn edge_svg(out: &mut String, i: usize, e: &DiagramEdge, l: &Layout) {
    let (Some(s), Some(t)) = (l.nodes.get(e.from), l.nodes.get(e.to)) else {
        return;
    };
    let (d, mid) = edge_path(s, t);
    let k = e.kind.as_str();
    let minor = if is_minor(e.kind) { " minor" } else { "" };
    // Arrowheads come from the stylesheet (one marker per kind, defined once in the page).
    let count = if e.count > 1 {
        format!(" data-count=\"{}\"", e.count)
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "<path class=\"edge k-{k}{minor}\" data-edge=\"{i}\"{count} d=\"{d}\"/>"
    );
    let mut text = e.label.as_deref().map(|x| cut(x, 22)).unwrap_or_default();
    if e.count > 1 {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "×{}", e.count);
    }
    if !text.is_empty() {
        let _ = write!(
            out,
            "<text class=\"elabel{minor}\" data-edge=\"{i}\" x=\"{}\" y=\"{}\">{}</text>",
            f(mid.0),
            f(mid.1 - 3.0),
            esc(&text)
        );
    }
}

const MARKER_KINDS: [EdgeKind; 10] = [
    EdgeKind::Routes,
    EdgeKind::Invokes,
    EdgeKind::Triggers,
    EdgeKind::Notifies,
    EdgeKind::Delivers,
    EdgeKind::Redrives,
    EdgeKind::Allows,
    EdgeKind::Protects,
    EdgeKind::Uses,
    EdgeKind::Depends,
];

/// The arrowheads, once for the whole page, in an SVG that is never hidden (markers inside a
/// hidden SVG are not drawn by every browser).
pub fn markers() -> String {
    let mut out =
        String::from("<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>");
    for k in MARKER_KINDS {
        let k = k.as_str();
        let _ = write!(
            out,
            "<marker id=\"a-{k}\" class=\"m-{k}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
             <path d=\"M0,0L10,5L0,10z\"/></marker>"
        );
    }
    let _ = write!(
        out,
        "<symbol id=\"nb\" overflow=\"visible\"><rect class=\"box\" width=\"{w}\" height=\"{h}\" rx=\"6\"/>\
         <rect class=\"bar\" width=\"6\" height=\"{h}\"/></symbol></defs></svg>",
        w = f(NODE_W),
        h = f(NODE_H)
    );
    out
}

pub fn render(d: &Diagram, l: &Layout, view: &str) -> String {
    let mut out = String::with_capacity(256 * (d.nodes.len() + d.edges.len()) + 4096);
    let (w, h) = (l.width.max(100.0), l.height.max(60.0));
    // A big diagram starts zoomed out, where its text would be a pixel high: it is left out
    // of rendering (level of detail) until the reader zooms in.
    let lod = if d.nodes.len() > LOD_NODES {
        " lod"
    } else {
        ""
    };
    // The network view is the one shown first; the script switches views.
    let hidden = if view == "network" { "" } else { " hidden" };
    let _ = write!(
        out,
        "<svg class=\"diagram{lod}\" id=\"svg-{view}\"{hidden} \
         data-view=\"{view}\" data-nodes=\"{}\" data-edges=\"{}\" viewBox=\"0 0 {} {}\" \
         data-width=\"{}\" data-height=\"{}\" role=\"img\" aria-label=\"architecture diagram ({view})\">",
        d.nodes.len(),
        d.edges.len(),
        f(w),
        f(h),
        f(w),
        f(h)
    );
    out.push_str("<g class=\"viewport\"><g class=\"groups\">");
    for (i, g) in d.groups.iter().enumerate().skip(1) {
        let Some(r) = l.groups.get(i) else { continue };
        let res = if g.resources.is_empty() {
            ""
        } else {
            " data-boxed=\"1\""
        };
        let _ = write!(
            out,
            "<g class=\"group g-{}\" data-group=\"{i}\"{res}><rect x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"{}\" rx=\"10\"/><text class=\"glabel\" x=\"{}\" y=\"{}\">{}</text></g>",
            g.kind.as_str(),
            f(r.x),
            f(r.y),
            f(r.w),
            f(r.h),
            f(r.x + 12.0),
            f(r.y + 18.0),
            esc(&g.label)
        );
    }
    out.push_str("</g><g class=\"edges\">");
    for (i, e) in d.edges.iter().enumerate() {
        edge_svg(&mut out, i, e, l);
    }
    out.push_str("</g><g class=\"nodes\">");
    for (i, n) in d.nodes.iter().enumerate() {
        let Some(r) = l.nodes.get(i) else { continue };
        let drift = n.drift.map(drift_word).unwrap_or("none");
        let sev = n.severity.map(Severity::as_str).unwrap_or("none");
        let collapsed = n.members.len() > 1;
        // Attributes at their default (no drift, no finding, one member) are left out: a big
        // map has thousands of nodes.
        let mut attrs = String::new();
        if n.drift.is_some() {
            let _ = write!(attrs, " data-drift=\"{drift}\"");
        }
        if n.severity.is_some() {
            let _ = write!(attrs, " data-sev=\"{sev}\"");
        }
        if collapsed {
            let _ = write!(attrs, " data-count=\"{}\"", n.members.len());
        }
        let _ = write!(
            out,
            "<g class=\"node{}\" data-node=\"{i}\" data-cat=\"{}\"{attrs} transform=\"translate({},{})\">",
            if collapsed { " collapsed" } else { "" },
            n.category.as_str(),
            f(r.x),
            f(r.y)
        );
        if collapsed {
            let _ = write!(
                out,
                "<rect class=\"stack\" x=\"5\" y=\"5\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
                f(r.w),
                f(r.h)
            );
        }
        // The box and its category bar are one shared symbol (see `markers`): thousands of
        // nodes repeat it.
        let _ = write!(
            out,
            "<use href=\"#nb\"/><text class=\"nl\" x=\"14\" y=\"19\">{}</text>\
             <text class=\"ns\" x=\"14\" y=\"35\">{}</text>",
            esc(&cut(&n.label, 26)),
            esc(&cut(&n.sub, 30))
        );
        // Marks sit on the top edge so they never cover the label.
        let mut bx = r.w - 6.0;
        if n.findings > 0 {
            let text = format!("{} {}", n.findings, sev);
            let bw = text.chars().count() as f64 * 6.6 + 12.0;
            bx -= bw;
            let _ = write!(
                out,
                "<g class=\"badge sev-{sev}\"><rect x=\"{}\" y=\"-8\" width=\"{}\" height=\"15\" rx=\"7\"/>\
                 <text x=\"{}\" y=\"3\">{}</text></g>",
                f(bx),
                f(bw),
                f(bx + bw / 2.0),
                esc(&text)
            );
            bx -= 4.0;
        }
        if n.drift.is_some() {
            let bw = drift.len() as f64 * 6.6 + 12.0;
            bx -= bw;
            let _ = write!(
                out,
                "<g class=\"badge drift-{drift}\"><rect x=\"{}\" y=\"-8\" width=\"{}\" height=\"15\" rx=\"7\"/>\
                 <text x=\"{}\" y=\"3\">{drift}</text></g>",
                f(bx),
                f(bw),
                f(bx + bw / 2.0)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</g></g></svg>");
    out
}
