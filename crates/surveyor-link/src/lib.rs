//! Edges and flows. Every edge is derived from canonical properties (CloudFormation names),
//! one module per relationship family, so the same code links resources read from code and
//! from the live account:
//!
//! - [`resolve`] turns strings that identify another resource of the map (ARNs, queue URLs,
//!   `vpc-…`/`sg-…` ids, names in properties that name a resource of a known type, DNS names
//!   in alias records and origins) into `Value::Ref`, so live resources hold references just
//!   like code does;
//! - `routing`, `scheduling`, `messaging`, `network`, `security`, `placement`,
//!   `observability` derive the contract's edge kinds from those references;
//!   references that code readers left embedded in unresolved text (`dualstack.${Alb}`,
//!   `${TYPE::address}:password::`) count too, looked up in the holder's stack;
//! - every reference no family claimed becomes a `depends` edge, so nothing is lost;
//! - facts seen more than once merge into one edge (origins → `both`, labels joined), and
//!   edges come sorted by (from, to, kind);
//! - [`flows`] names the request paths and async pipelines people read a map for.

mod flows;
mod messaging;
mod network;
mod observability;
mod placement;
pub mod resolve;
mod routing;
mod scheduling;
mod security;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use surveyor_model::{Edge, EdgeKind, Origin, Resource, ResourceId, Value};

pub use flows::flows;

/// The pseudo-node for "anyone on the internet".
pub const INTERNET: &str = "internet";
pub const INTERNET_TYPE: &str = "Surveyor::Internet";
pub const EXTERNAL_TYPE: &str = "Surveyor::External";

/// Resolve string references and derive every edge between `resources` (pseudo-nodes such as
/// `internet` and external subscribers are appended to `resources` when an edge needs them).
pub fn link(resources: &mut Vec<Resource>) -> Vec<Edge> {
    let ix = resolve::resolve(resources);
    let (edges, pseudo) = {
        let g = Graph::new(resources, &ix);
        let mut out = Out::new(&g);
        routing::derive(&g, &mut out);
        scheduling::derive(&g, &mut out);
        messaging::derive(&g, &mut out);
        observability::derive(&g, &mut out);
        network::derive(&g, &mut out);
        security::derive(&g, &mut out);
        placement::derive(&g, &mut out);
        depends(&g, &mut out);
        out.finish()
    };
    resources.extend(pseudo);
    edges
}

/// The stack a code resource was declared in (its references are resolved there).
pub(crate) fn stack_of(r: &Resource) -> Option<&str> {
    r.code
        .as_ref()
        .and_then(|c| c.stack.as_deref())
        .or(r.stack.as_ref().map(|s| s.name.as_str()))
}

/// Where an edge derived from `r`'s properties was seen.
pub(crate) fn origin_of(r: &Resource) -> Origin {
    match (r.in_code, r.in_live) {
        (true, true) => Origin::Both,
        (false, true) => Origin::Live,
        _ => Origin::Code,
    }
}

/// The resources being linked, indexed for the families.
pub(crate) struct Graph<'a> {
    pub rs: &'a [Resource],
    /// For identity strings the resolver could not see (JSON held in a string property).
    pub ix: &'a resolve::Index,
    by_id: FxMap<&'a str, usize>,
    by_type: FxMap<&'a str, Vec<usize>>,
}

impl<'a> Graph<'a> {
    pub fn new(rs: &'a [Resource], ix: &'a resolve::Index) -> Self {
        let mut by_id: FxMap<&str, usize> = FxMap::default();
        by_id.reserve(rs.len());
        let mut by_type: FxMap<&str, Vec<usize>> = FxMap::default();
        for (i, r) in rs.iter().enumerate() {
            by_id.entry(r.id.as_str()).or_insert(i);
            by_type.entry(r.type_name.as_str()).or_default().push(i);
        }
        Graph {
            rs,
            ix,
            by_id,
            by_type,
        }
    }

    pub fn get(&self, id: &ResourceId) -> Option<&'a Resource> {
        self.by_id.get(id.as_str()).map(|&i| &self.rs[i])
    }

    pub fn type_of(&self, id: &ResourceId) -> Option<&'a str> {
        self.get(id).map(|r| r.type_name.as_str())
    }

    pub fn is(&self, id: &ResourceId, types: &[&str]) -> bool {
        self.type_of(id).is_some_and(|t| types.contains(&t))
    }

    /// Every resource of one of `types`, in input order.
    pub fn of_type(&self, types: &[&str]) -> Vec<&'a Resource> {
        let mut idx: Vec<usize> = types
            .iter()
            .filter_map(|t| self.by_type.get(t))
            .flatten()
            .copied()
            .collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &self.rs[i]).collect()
    }

    /// References held in `v` that point at a resource of the map (other than `own`),
    /// including those embedded in unresolved text (`dualstack.${Alb}`), looked up in the
    /// stack of `own`.
    pub fn refs<'v>(&'v self, v: Option<&'v Value>, own: &ResourceId) -> Vec<&'v ResourceId> {
        let mut out: Vec<&ResourceId> = Vec::new();
        let Some(v) = v else { return out };
        let mut stack: Option<Option<&str>> = None;
        let keep = |id: &ResourceId| id != own && self.by_id.contains_key(id.as_str());
        v.walk(&mut |x| match x {
            Value::Ref(id) if keep(id) => out.push(id),
            Value::Unresolved(text) if text.contains("${") || text.contains('!') => {
                let st = *stack.get_or_insert_with(|| self.get(own).and_then(stack_of));
                for i in self.ix.find_tokens(text, st) {
                    let id = self.ix.id(i);
                    if keep(id) {
                        out.push(id);
                    }
                }
            }
            _ => {}
        });
        // Sorting keeps large lists (a policy naming thousands of resources) linear-ish.
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// Like [`Graph::refs`], only to resources of one of `types`.
    pub fn refs_to<'v>(
        &'v self,
        v: Option<&'v Value>,
        own: &ResourceId,
        types: &[&str],
    ) -> Vec<&'v ResourceId> {
        self.refs(v, own)
            .into_iter()
            .filter(|id| self.is(id, types))
            .collect()
    }
}

/// Edges being collected, by resource index: merged by (from, to, kind), with the pairs
/// they account for. Indices at and past `g.rs.len()` are pseudo-nodes.
pub(crate) struct Out<'a> {
    g: &'a Graph<'a>,
    edges: FxMap<(u32, u32, EdgeKind), (Origin, Vec<String>)>,
    claimed: FxSet<u64>,
    pseudo: Vec<Resource>,
    pseudo_by_id: FxMap<String, u32>,
}

fn pair(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

impl<'a> Out<'a> {
    pub fn new(g: &'a Graph<'a>) -> Self {
        // Most maps have about one edge per resource; growing there rehashes needlessly.
        let n = g.rs.len();
        Out {
            g,
            edges: FxMap::with_capacity_and_hasher(n, Default::default()),
            claimed: FxSet::with_capacity_and_hasher(n * 2, Default::default()),
            pseudo: Vec::new(),
            pseudo_by_id: FxMap::default(),
        }
    }

    fn index(&self, id: &ResourceId) -> Option<u32> {
        match self.g.by_id.get(id.as_str()) {
            Some(&i) => Some(i as u32),
            None => self.pseudo_by_id.get(id.as_str()).copied(),
        }
    }

    fn id(&self, i: u32) -> &ResourceId {
        let n = self.g.rs.len();
        match (i as usize).checked_sub(n) {
            None => &self.g.rs[i as usize].id,
            Some(p) => &self.pseudo[p].id,
        }
    }

    /// Record one fact; edges to ids outside the map are dropped.
    pub fn add(
        &mut self,
        from: &ResourceId,
        to: &ResourceId,
        kind: EdgeKind,
        origin: Origin,
        label: Option<String>,
    ) {
        let (Some(f), Some(t)) = (self.index(from), self.index(to)) else {
            return;
        };
        if f == t {
            return;
        }
        self.claimed.insert(pair(f, t));
        let e = self
            .edges
            .entry((f, t, kind))
            .or_insert((origin, Vec::new()));
        e.0 = e.0.merge(origin);
        if let Some(l) = label.filter(|l| !l.is_empty()) {
            if !e.1.contains(&l) {
                e.1.push(l);
            }
        }
    }

    /// Mark the pair as explained, so it gets no `depends` edge (either direction).
    pub fn claim(&mut self, a: &ResourceId, b: &ResourceId) {
        if let (Some(a), Some(b)) = (self.index(a), self.index(b)) {
            self.claimed.insert(pair(a, b));
        }
    }

    /// A pseudo-node (`internet`, an external endpoint), seen by a resource of `origin`.
    pub fn pseudo(&mut self, id: &str, type_name: &str, name: &str, origin: Origin) -> ResourceId {
        if let Some(&i) = self.g.by_id.get(id) {
            // The map already holds it (a second `link` run): reuse it as is.
            return self.g.rs[i].id.clone();
        }
        let n = self.g.rs.len() as u32;
        let i = match self.pseudo_by_id.get(id) {
            Some(&i) => i,
            None => {
                let mut r = Resource::new(ResourceId::new(id), type_name);
                r.name = Some(name.to_string());
                self.pseudo.push(r);
                let i = n + self.pseudo.len() as u32 - 1;
                self.pseudo_by_id.insert(id.to_string(), i);
                i
            }
        };
        let r = &mut self.pseudo[(i - n) as usize];
        match origin {
            Origin::Code => r.in_code = true,
            Origin::Live => r.in_live = true,
            Origin::Both => {
                r.in_code = true;
                r.in_live = true;
            }
        }
        r.id.clone()
    }

    fn finish(self) -> (Vec<Edge>, Vec<Resource>) {
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .map(|(&(f, t, kind), (origin, labels))| Edge {
                from: self.id(f).clone(),
                to: self.id(t).clone(),
                kind,
                origin: *origin,
                label: (!labels.is_empty()).then(|| labels.join(", ")),
            })
            .collect();
        edges.sort_unstable_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
        (edges, self.pseudo)
    }
}

/// Every reference no family accounted for: one `depends` edge per (holder, target) pair.
fn depends(g: &Graph, out: &mut Out) {
    for (i, r) in g.rs.iter().enumerate() {
        let origin = origin_of(r);
        let mut targets: Vec<&ResourceId> = Vec::new();
        for v in r.attributes.values() {
            targets.extend(g.refs(Some(v), &r.id));
        }
        targets.sort_unstable();
        targets.dedup();
        for to in targets {
            let Some(t) = out.index(to) else { continue };
            if t as usize != i && !out.claimed.contains(&pair(i as u32, t)) {
                out.add(&r.id, to, EdgeKind::Depends, origin, None);
            }
        }
    }
}

/// A list property: the items of a list, a lone value as one item, nothing for null.
pub(crate) fn items(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::List(l)) => l,
        Some(v) if !v.is_null() => std::slice::from_ref(v),
        _ => &[],
    }
}

/// A short text for a scalar (numbers and strings), for labels.
pub(crate) fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// FxHash (as in rustc): identities are hashed millions of times per run and need no
/// protection against adversarial keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FxSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests;
