//! Coordinates for the diagram, computed at render time so the page needs no layout code.
//!
//! No layout crate handles nested groups (compound graphs), so this works level by level:
//! the contents of each group — its nodes and its child groups, already sized — are laid out
//! by `rust-sugiyama` (layered layout: cycle removal, network-simplex ranking, barycenter
//! crossing reduction, Brandes–Köpf coordinates) with the edges lifted to that level, flowing
//! left to right. Groups are then placed with simple code:
//! - the page, an account: fixed columns (internet | edge & DNS | regions | external);
//! - a region: the layered flow of its VPCs and category groups, with the support categories
//!   (security, observability, delivery) in a row below;
//! - a VPC: its subnet tiers as columns (public → private → isolated), VPC-level resources
//!   (security groups, gateways) in a grid below;
//! - items without edges at one level are packed in a grid under the flow.
//!
//! Nodes have one fixed size, so labels (cut to fit) never overlap.

use std::collections::BTreeSet;

use rust_sugiyama::configure::{Config, CrossingMinimization, RankingType};

use super::diagram::{is_support, Diagram, GroupKind, View};
use super::svg::is_minor;

pub const NODE_W: f64 = 196.0;
pub const NODE_H: f64 = 46.0;
/// Horizontal room between layers, for arrows and their labels.
const LAYER_GAP: f64 = 64.0;
const ROW_GAP: f64 = 16.0;
const PAD: f64 = 14.0;
const HEADER: f64 = 26.0;
/// Bigger levels are packed in a grid: the layered layout's cost grows fast with size.
const MAX_LAYERED: usize = 160;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[cfg(test)]
impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub groups: Vec<Rect>,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Item {
    Group(usize),
    Node(usize),
}

struct Ctx<'a> {
    d: &'a Diagram,
    /// Each node's groups, outermost first, ending with its own group.
    chains: Vec<Vec<usize>>,
    depth: Vec<usize>,
    size: Vec<(f64, f64)>,
    /// Item positions relative to the content box of the group holding them.
    rel_group: Vec<(f64, f64)>,
    rel_node: Vec<(f64, f64)>,
}

pub fn layout(d: &Diagram) -> Layout {
    let ng = d.groups.len();
    let depth: Vec<usize> = (0..ng)
        .map(|g| {
            let mut k = 0;
            let mut cur = d.groups.get(g).and_then(|x| x.parent);
            while let Some(p) = cur {
                k += 1;
                cur = d.groups.get(p).and_then(|x| x.parent);
                if k > ng {
                    break;
                }
            }
            k
        })
        .collect();
    let chains = d
        .nodes
        .iter()
        .map(|n| {
            let mut chain = vec![n.group];
            let mut cur = d.groups.get(n.group).and_then(|x| x.parent);
            while let Some(p) = cur {
                chain.push(p);
                if chain.len() > ng {
                    break;
                }
                cur = d.groups.get(p).and_then(|x| x.parent);
            }
            chain.reverse();
            chain
        })
        .collect();
    let mut cx = Ctx {
        d,
        chains,
        depth,
        size: vec![(0.0, 0.0); ng],
        rel_group: vec![(0.0, 0.0); ng],
        rel_node: vec![(0.0, 0.0); d.nodes.len()],
    };
    if ng == 0 {
        return Layout::default();
    }
    size_group(&mut cx, 0);
    let mut out = Layout {
        nodes: vec![Rect::default(); d.nodes.len()],
        groups: vec![Rect::default(); ng],
        width: 0.0,
        height: 0.0,
    };
    place(&cx, 0, 0.0, 0.0, &mut out);
    let (w, h) = cx.size.first().copied().unwrap_or((0.0, 0.0));
    out.width = w;
    out.height = h;
    out
}

fn content_offset(kind: GroupKind) -> (f64, f64) {
    if kind == GroupKind::Root {
        (PAD, PAD)
    } else {
        (PAD, HEADER + PAD / 2.0)
    }
}

fn place(cx: &Ctx, g: usize, x: f64, y: f64, out: &mut Layout) {
    let Some(group) = cx.d.groups.get(g) else {
        return;
    };
    let (w, h) = cx.size.get(g).copied().unwrap_or_default();
    if let Some(r) = out.groups.get_mut(g) {
        *r = Rect { x, y, w, h };
    }
    let (ox, oy) = content_offset(group.kind);
    for &n in &group.nodes {
        let (rx, ry) = cx.rel_node.get(n).copied().unwrap_or_default();
        if let Some(r) = out.nodes.get_mut(n) {
            *r = Rect {
                x: x + ox + rx,
                y: y + oy + ry,
                w: NODE_W,
                h: NODE_H,
            };
        }
    }
    for &c in &group.children {
        let (rx, ry) = cx.rel_group.get(c).copied().unwrap_or_default();
        place(cx, c, x + ox + rx, y + oy + ry, out);
    }
}

fn item_size(cx: &Ctx, it: Item) -> (f64, f64) {
    match it {
        Item::Node(_) => (NODE_W, NODE_H),
        Item::Group(g) => cx.size.get(g).copied().unwrap_or_default(),
    }
}

/// The item of group `g` that holds node `n`, if `n` is inside `g`.
fn item_of(cx: &Ctx, g: usize, n: usize) -> Option<Item> {
    let chain = cx.chains.get(n)?;
    let d = *cx.depth.get(g)?;
    if chain.get(d) != Some(&g) {
        return None;
    }
    match chain.get(d + 1) {
        Some(&c) => Some(Item::Group(c)),
        None => Some(Item::Node(n)),
    }
}

/// The diagram's edges between distinct items of one level, as item positions.
fn lifted(cx: &Ctx, g: usize, items: &[Item]) -> Vec<(usize, usize)> {
    let at: std::collections::HashMap<Item, usize> =
        items.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let pos = |it: Item| at.get(&it).copied();
    let mut out = BTreeSet::new();
    // Flow and network edges shape the layout; `uses`/`depends` (hidden by default) would
    // pull every support service into the flow.
    for e in cx.d.edges.iter().filter(|e| !is_minor(e.kind)) {
        let (Some(a), Some(b)) = (item_of(cx, g, e.from), item_of(cx, g, e.to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        if let (Some(i), Some(j)) = (pos(a), pos(b)) {
            out.insert((i, j));
        }
    }
    out.into_iter().collect()
}

fn size_group(cx: &mut Ctx, g: usize) {
    let Some(group) = cx.d.groups.get(g) else {
        return;
    };
    let children = group.children.clone();
    let nodes = group.nodes.clone();
    let kind = group.kind;
    for &c in &children {
        size_group(cx, c);
    }
    let child_items: Vec<Item> = children.iter().map(|&c| Item::Group(c)).collect();
    let node_items: Vec<Item> = nodes.iter().map(|&n| Item::Node(n)).collect();
    let mut placed: Vec<(Item, (f64, f64))> = Vec::new();
    let (w, h) = match kind {
        GroupKind::Root if cx.d.view == View::Network => {
            let mut all = child_items;
            all.extend(node_items);
            columns(cx, &all, 0.0, &mut placed)
        }
        GroupKind::Account => {
            let mut all = child_items;
            all.extend(node_items);
            columns(cx, &all, 0.0, &mut placed)
        }
        GroupKind::Region => {
            let (support, main): (Vec<Item>, Vec<Item>) =
                child_items.into_iter().partition(|it| match it {
                    Item::Group(c) => {
                        cx.d.groups
                            .get(*c)
                            .and_then(|x| x.category)
                            .is_some_and(is_support)
                    }
                    Item::Node(_) => false,
                });
            let mut main = main;
            main.extend(node_items);
            let (w1, h1) = flow_either(cx, g, &main, 0.0, &mut placed);
            let top = if h1 > 0.0 { h1 + LAYER_GAP / 2.0 } else { 0.0 };
            let (w2, h2) = columns(cx, &support, top, &mut placed);
            (w1.max(w2), top + h2)
        }
        GroupKind::Vpc => {
            let (w1, h1) = columns(cx, &child_items, 0.0, &mut placed);
            let top = if h1 > 0.0 { h1 + ROW_GAP } else { 0.0 };
            let (w2, h2) = grid(cx, &node_items, top, w1, &mut placed);
            (w1.max(w2), top + h2)
        }
        _ => {
            let groups_only = node_items.is_empty();
            let mut all = child_items;
            all.extend(node_items);
            if groups_only {
                flow_either(cx, g, &all, 0.0, &mut placed)
            } else {
                flow(cx, g, &all, 0.0, true, &mut placed)
            }
        }
    };
    for (it, p) in placed {
        match it {
            Item::Group(c) => {
                if let Some(slot) = cx.rel_group.get_mut(c) {
                    *slot = p;
                }
            }
            Item::Node(n) => {
                if let Some(slot) = cx.rel_node.get_mut(n) {
                    *slot = p;
                }
            }
        }
    }
    let (ox, oy) = content_offset(kind);
    let min_w =
        cx.d.groups
            .get(g)
            .map(|x| x.label.chars().count() as f64 * 7.5 + 2.0 * PAD)
            .unwrap_or(0.0);
    if let Some(s) = cx.size.get_mut(g) {
        *s = ((w + 2.0 * ox).max(min_w), h + oy + PAD);
    }
}

/// Items side by side, tops aligned, starting at `top`.
fn columns(cx: &Ctx, items: &[Item], top: f64, out: &mut Vec<(Item, (f64, f64))>) -> (f64, f64) {
    let mut x = 0.0;
    let mut h: f64 = 0.0;
    for &it in items {
        let (w, ih) = item_size(cx, it);
        out.push((it, (x, top)));
        x += w + LAYER_GAP;
        h = h.max(ih);
    }
    ((x - LAYER_GAP).max(0.0), h)
}

/// Items in rows, filling about `width` (or a squarish block), starting at `top`.
fn grid(
    cx: &Ctx,
    items: &[Item],
    top: f64,
    width: f64,
    out: &mut Vec<(Item, (f64, f64))>,
) -> (f64, f64) {
    if items.is_empty() {
        return (0.0, 0.0);
    }
    let cell_w = items
        .iter()
        .map(|&i| item_size(cx, i).0)
        .fold(0.0, f64::max);
    let by_width = ((width + ROW_GAP) / (cell_w + ROW_GAP)).floor() as usize;
    // Taller than wide: the page scrolls down, and flows already run left to right.
    let square = (items.len() as f64 / 3.0).sqrt().ceil() as usize;
    let cols = by_width.max(square).clamp(1, items.len());
    let mut y = top;
    let mut w: f64 = 0.0;
    for row in items.chunks(cols) {
        let mut x = 0.0;
        let mut rh: f64 = 0.0;
        for &it in row {
            let (iw, ih) = item_size(cx, it);
            out.push((it, (x, y)));
            x += iw.max(cell_w) + ROW_GAP;
            rh = rh.max(ih);
        }
        w = w.max(x - ROW_GAP);
        y += rh + ROW_GAP;
    }
    (w, y - ROW_GAP - top)
}

/// The aspect ratio a level aims for when it may choose its direction (a screen, roughly).
const ASPECT: f64 = 1.6;

/// A level of groups: laid out left to right or top to bottom, whichever is closer to a
/// screen's shape (a long left-to-right chain of wide groups would shrink to nothing).
fn flow_either(
    cx: &Ctx,
    g: usize,
    items: &[Item],
    top: f64,
    out: &mut Vec<(Item, (f64, f64))>,
) -> (f64, f64) {
    let mut lr = Vec::new();
    let a = flow(cx, g, items, top, true, &mut lr);
    let mut tb = Vec::new();
    let b = flow(cx, g, items, top, false, &mut tb);
    let score = |(w, h): (f64, f64)| ((w.max(1.0) / h.max(1.0)) / ASPECT).ln().abs();
    if score(b) + 0.05 < score(a) {
        out.extend(tb);
        b
    } else {
        out.extend(lr);
        a
    }
}

/// The layered layout of `items` with the edges between them, then a grid of the rest.
fn flow(
    cx: &Ctx,
    g: usize,
    items: &[Item],
    top: f64,
    left_to_right: bool,
    out: &mut Vec<(Item, (f64, f64))>,
) -> (f64, f64) {
    if items.is_empty() {
        return (0.0, 0.0);
    }
    let edges = lifted(cx, g, items);
    let mut linked: Vec<bool> = vec![false; items.len()];
    for &(a, b) in &edges {
        if let Some(x) = linked.get_mut(a) {
            *x = true;
        }
        if let Some(x) = linked.get_mut(b) {
            *x = true;
        }
    }
    let mut w: f64 = 0.0;
    let mut y = top;
    let layered = if edges.is_empty() || items.len() > MAX_LAYERED {
        None
    } else {
        sugiyama(cx, items, &edges, left_to_right)
    };
    let mut rest: Vec<Item> = Vec::new();
    match layered {
        Some(components) => {
            for comp in components {
                let mut ch: f64 = 0.0;
                for (i, (x, cy)) in comp {
                    if let Some(&it) = items.get(i) {
                        let (_, ih) = item_size(cx, it);
                        out.push((it, (x, y + cy)));
                        ch = ch.max(cy + ih);
                        w = w.max(x + item_size(cx, it).0);
                    }
                }
                y += ch + ROW_GAP * 2.0;
            }
            for (i, &it) in items.iter().enumerate() {
                if !linked.get(i).copied().unwrap_or(false) {
                    rest.push(it);
                }
            }
        }
        None => rest.extend_from_slice(items),
    }
    let (gw, gh) = grid(cx, &rest, y, w, out);
    let h = if rest.is_empty() {
        (y - ROW_GAP * 2.0 - top).max(0.0)
    } else {
        y - top + gh
    };
    (w.max(gw), h)
}

type Components = Vec<Vec<(usize, (f64, f64))>>;

/// Connected components laid out left to right, each normalised to start at (0, 0); top-left
/// corners per item position. `None` when the library gives no usable answer.
fn sugiyama(
    cx: &Ctx,
    items: &[Item],
    edges: &[(usize, usize)],
    left_to_right: bool,
) -> Option<Components> {
    let mut ids: Vec<usize> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
    ids.sort_unstable();
    ids.dedup();
    // The library lays out top to bottom: give it transposed sizes, with the gaps inside.
    let vertices: Vec<(u32, (f64, f64))> = ids
        .iter()
        .filter_map(|&i| {
            let (w, h) = item_size(cx, *items.get(i)?);
            Some(if left_to_right {
                (i as u32, (h, w + LAYER_GAP - ROW_GAP))
            } else {
                (
                    i as u32,
                    (w + LAYER_GAP / 2.0 - ROW_GAP, h + LAYER_GAP - ROW_GAP),
                )
            })
        })
        .collect();
    let e32: Vec<(u32, u32)> = edges.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
    let config = Config {
        minimum_length: 1,
        vertex_spacing: ROW_GAP,
        dummy_vertices: true,
        dummy_size: 1.0,
        ranking_type: RankingType::MinimizeEdgeLength,
        c_minimization: CrossingMinimization::Barycenter,
        transpose: ids.len() <= 60,
    };
    // The library asserts its own invariants; a failure there must not take the run down.
    let result = std::panic::catch_unwind(|| {
        rust_sugiyama::from_vertices_and_edges(&vertices, &e32, &config)
    })
    .ok()?;
    let mut comps: Components = Vec::new();
    for (coords, _, _) in result {
        let mut comp = Vec::new();
        for (k, (lx, ly)) in coords {
            // The library numbers vertices by insertion order, whatever ids it was given.
            let id = *ids.get(k)?;
            let it = *items.get(id)?;
            let (w, h) = item_size(cx, it);
            // Centres in the library's frame, which runs top to bottom.
            comp.push(if left_to_right {
                (id, (ly - w / 2.0, lx - h / 2.0))
            } else {
                (id, (lx - w / 2.0, ly - h / 2.0))
            });
        }
        let minx = comp.iter().map(|c| c.1 .0).fold(f64::INFINITY, f64::min);
        let miny = comp.iter().map(|c| c.1 .1).fold(f64::INFINITY, f64::min);
        for c in &mut comp {
            c.1 .0 -= minx;
            c.1 .1 -= miny;
        }
        comp.sort_by_key(|c| c.0);
        comps.push(comp);
    }
    comps.sort_by_key(|c| c.first().map(|x| x.0));
    Some(comps)
}
