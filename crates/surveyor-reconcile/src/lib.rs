//! Code ↔ reality: matching code resources to live ones, drift (`unmanaged`, `missing`,
//! `changed`, `count`), AWS default resources suppressed, the ignore file, and coverage.
//!
//! # Matching — exact first, never by guess alone
//!
//! Every live resource is claimed by at most one code resource, in passes from the most exact
//! to the least, so a weaker key never steals what a stronger one would claim:
//!
//! 1. **Stack resource**: the code's stack name + logical id (`Resource::stack`, else
//!    `Provenance::stack` + `Provenance::logical_id`; for CDK the artifact's stack name) equals
//!    the live `stack {name, logical_id}` — or, when a collector leaves `stack` unset, the live
//!    `aws:cloudformation:stack-name` + `aws:cloudformation:logical-id` tags.
//! 2. **State id**: a code `arn` or `physical_id` (Terraform state, a literal ARN) equals one of
//!    the live resource's identities.
//! 3. **Physical name**: the code's registry `name_property` value (`QueueName`, `BucketName`,
//!    …), when literal, equals one of the live resource's identities.
//! 4. **Name tag**: the code's `Name` tag equals the live `Name` tag.
//! 5. **Parts**: a type without a name of its own (a route, a gateway attachment, a web ACL
//!    association: the registry's `COMPOSITE_IDENTITY`) is the live one that joins the same
//!    resources — its references resolved through the matches of the passes before.
//!
//! 6. **Reference**: a resource a matched one points at (`DBSubnetGroupName: Ref(Group)`)
//!    is the live resource its live counterpart names in the same property.
//!
//! A template deployed under another stack name than the code gives it (`edge.yaml` as
//! `orders-edge`) is recognised by its logical ids before pass 1: see `stack_aliases`.
//!
//! A live resource's identities are its `arn`, its `physical_id`, its `name`, and what the type
//! registry derives from them (the name inside the ARN, the last part of a queue URL) — so a
//! queue's URL, ARN and name are one identity. Types must be equal; regions must agree unless
//! one side does not say or the type is global; a key that fits two unclaimed live resources
//! matches neither (noted).
//!
//! **What live collectors must set** (the coordination API): `in_live = true`, `type_name`
//! (CloudFormation type), `arn` and `physical_id` (what CloudFormation's `Ref` returns: see the
//! registry's `PhysicalId`), `name` (the service's own name), `region`, `stack` for resources a
//! CloudFormation stack manages, `tags`, `attributes` in CloudFormation property names (the
//! properties in the registry's `drift` list at least), and runtime facts in `state` under the
//! keys of [`state_keys`] — the same constants the rules read. Default suppression reads
//! `IsDefault` (VPC, network ACL), `DefaultForAz` (subnet), `Main` (route table), `GroupName`
//! (security group), `KeyManager` (KMS key), `Path`/ARN (`/aws-service-role/`), the
//! `aws:cloudformation:stack-name` tag or `stack.name` (`CDKToolkit`), and names (`default`
//! event bus and schedule group, `alias/aws/*`, `cdk-hnb659fds-*`, `/aws/*` log groups,
//! `default.*` parameter groups, `rds!*` secrets, SOA/NS records of hosted zones).
//! Collectors should leave a property out only when the API says it is unset: rules treat
//! a property a live-only resource lacks as unknown, but a merged resource gets the live
//! value overlaid only for what the collector reported.
//!
//! # The merged resource
//!
//! One `Resource` with `in_code && in_live`: the code's id and provenance; the live `arn`,
//! `physical_id`, `name`, `region`, `state` and `tags`; attributes = the code's declared
//! attributes, overlaid with the live value for every property the code did not declare or
//! could not resolve. Where code and live disagree on a declared property the attribute keeps
//! the code's value and a `changed` drift item carries both.
//!
//! # Drift
//!
//! - `changed`: only properties the code declares *and* the registry lists in the type's `drift`
//!   paths, plus declared tags; values normalised (see `compare`); unresolved code values and
//!   properties the live side did not report are never drift.
//! - `missing`: a code resource with no live match, for types the live read saw at least one of
//!   (a type no collector covers says nothing) and in a region that was read.
//! - `unmanaged`: a live resource no code claims, unless AWS made it ([`Defaults`]).
//! - `count`: per type (and per stack, and per Terraform module — live resources carry no
//!   module, so there the live count is what of the module matched), when code and live counts
//!   differ and the larger is at least [`COUNT_DRIFT_MIN`].
//!
//! Accepted items (`.surveyorignore`, [`IgnoreRules`]) are removed and counted in a note;
//! coverage is `managed / (managed + unmanaged)` after that.

mod compare;
mod defaults;
#[doc(hidden)]
pub mod fx;
mod identity;
mod ignore;
pub mod state_keys;

use std::collections::BTreeMap;

use fx::{FxHashMap, FxHashSet};

use rayon::prelude::*;
use surveyor_model::registry::{self, TypeInfo};
use surveyor_model::{
    Coverage, Drift, DriftKind, Inventory, Location, Note, Resource, ResourceId, Value,
};

pub use defaults::Defaults;
pub use ignore::{IgnoreError, IgnoreRules};

/// Count drift is reported when the larger side has at least this many resources of a type:
/// below it, the per-resource `missing`/`unmanaged` items say everything.
pub const COUNT_DRIFT_MIN: usize = 10;

/// The merged resource list and what the comparison found.
#[derive(Debug, Default)]
pub struct Reconciled {
    pub resources: Vec<Resource>,
    pub drift: Vec<Drift>,
    pub coverage: Option<Coverage>,
    pub notes: Vec<Note>,
}

/// How a code resource was matched to its live counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchedBy {
    StackResource,
    StateId,
    PhysicalName,
    NameTag,
    Parts,
    Reference,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::StackResource => "stack + logical id",
            MatchedBy::StateId => "state id / ARN",
            MatchedBy::PhysicalName => "physical name",
            MatchedBy::NameTag => "Name tag",
            MatchedBy::Parts => "the resources it joins",
            MatchedBy::Reference => "what a matched resource points at",
        }
    }
}

fn code_stack_key(r: &Resource) -> Option<(&str, &str)> {
    if let Some(s) = &r.stack {
        return Some((s.name.as_str(), s.logical_id.as_str()));
    }
    let c = r.code.as_ref()?;
    Some((c.stack.as_deref()?, c.logical_id.as_deref()?))
}

fn live_stack_key(r: &Resource) -> Option<(&str, &str)> {
    if let Some(s) = &r.stack {
        return Some((s.name.as_str(), s.logical_id.as_str()));
    }
    Some((
        r.tags.get(state_keys::TAG_STACK_NAME)?.as_str(),
        r.tags.get(state_keys::TAG_LOGICAL_ID)?.as_str(),
    ))
}

/// A Terraform resource's module path without instance keys (`module.app.module.queues`), the
/// scope its type is counted in.
fn module_scope(r: &Resource) -> Option<String> {
    let chain = &r.code.as_ref()?.module;
    if chain.is_empty() {
        return None;
    }
    let parts: Vec<&str> = chain
        .iter()
        .map(|m| m.split_once('[').map_or(m.as_str(), |(call, _)| call))
        .collect();
    Some(parts.join("."))
}

fn region_ok(code: &Resource, live: &Resource, ti: Option<&TypeInfo>) -> bool {
    ti.is_some_and(|t| t.global)
        || match (&code.region, &live.region) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

fn location(r: &Resource) -> Option<Location> {
    let c = r.code.as_ref()?;
    (!c.file.is_empty()).then(|| Location {
        file: c.file.clone(),
        line: c.line,
    })
}

fn drift(kind: DriftKind, r: &Resource) -> Drift {
    Drift {
        kind,
        resource: Some(r.id.clone()),
        type_name: r.type_name.clone(),
        name: Some(r.label()),
        attribute: None,
        code: None,
        live: None,
        code_location: location(r),
        scope: None,
    }
}

/// The identities a code reference can be compared against: the code resource's own literal
/// keys and, once matched, its live counterpart's.
struct Identities<'a> {
    index: FxHashMap<&'a ResourceId, usize>,
    code: &'a [Resource],
    matched: &'a [Option<(usize, MatchedBy)>],
    live_keys: &'a [Vec<String>],
}

impl compare::RefIdentities for Identities<'_> {
    fn identities(&self, id: &ResourceId) -> Option<Vec<String>> {
        let &i = self.index.get(id)?;
        let mut keys = identity::keys(self.code.get(i)?);
        if let Some(Some((j, _))) = self.matched.get(i) {
            keys.extend(self.live_keys.get(*j).into_iter().flatten().cloned());
        }
        (!keys.is_empty()).then_some(keys)
    }
}

/// `(type, identity)` → live resources, without a heap list for the common single hit.
#[derive(Default)]
struct KeyIndex<'a> {
    first: FxHashMap<(&'a str, &'a str), usize>,
    more: FxHashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> KeyIndex<'a> {
    fn insert(&mut self, key: (&'a str, &'a str), j: usize) {
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(j);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                if *o.get() != j {
                    self.more.entry(key).or_default().push(j);
                }
            }
        }
    }

    fn get(&self, key: (&str, &str)) -> Option<Vec<usize>> {
        let &first = self.first.get(&key)?;
        let mut all = vec![first];
        if let Some(more) = self.more.get(&key) {
            all.extend(more.iter().copied().filter(|&j| j != first));
        }
        Some(all)
    }
}

/// Merge one code resource with its live counterpart (see the crate docs).
fn merge(mut c: Resource, l: Resource) -> Resource {
    c.in_code = true;
    c.in_live = true;
    if l.arn.is_some() {
        c.arn = l.arn;
    }
    if l.physical_id.is_some() {
        c.physical_id = l.physical_id;
    }
    if l.name.is_some() {
        c.name = l.name;
    }
    if l.region.is_some() {
        c.region = l.region;
    }
    if l.account.is_some() {
        c.account = l.account;
    }
    c.state = l.state;
    if !l.tags.is_empty() {
        c.tags = l.tags;
    }
    if c.stack.is_none() {
        c.stack = l.stack;
    }
    for (k, lv) in l.attributes {
        let declared = c
            .attributes
            .get(&k)
            .is_some_and(|cv| !matches!(cv, Value::Unresolved(_) | Value::Null));
        if !declared {
            c.attributes.insert(k, lv);
        }
    }
    c
}

/// `changed` drift for one matched pair.
fn changed(c: &Resource, l: &Resource, ids: &Identities<'_>) -> Vec<Drift> {
    let mut out = Vec::new();
    let Some(ti) = registry::lookup(&c.type_name) else {
        return out;
    };
    for path in ti.drift {
        let Some(cv) = c.attr(path) else { continue };
        if cv.is_null() || compare::has_unknown(cv) {
            continue;
        }
        let Some(lv) = l.attr(path) else { continue };
        if compare::same(cv, lv, ids) == Some(false) {
            let mut d = drift(DriftKind::Changed, c);
            d.attribute = Some((*path).to_string());
            d.code = Some(cv.clone());
            d.live = Some(lv.clone());
            out.push(d);
        }
    }
    // Tags the code declares; only when the collector read the resource's own tags at all
    // (some APIs, and moto, return only CloudFormation's `aws:*` tags, which says nothing
    // about the user's).
    if l.tags.keys().any(|k| !k.starts_with("aws:")) {
        for (k, cv) in &c.tags {
            if k.starts_with("aws:") || identity::literal(cv).is_none() {
                continue;
            }
            let lv = l.tags.get(k);
            if lv.is_none_or(|lv| lv != cv) {
                let mut d = drift(DriftKind::Changed, c);
                d.attribute = Some(format!("Tags.{k}"));
                d.code = Some(Value::str(cv.clone()));
                d.live = Some(lv.map_or(Value::Null, |v| Value::str(v.clone())));
                out.push(d);
            }
        }
    }
    out
}

/// Code stacks deployed under another name (`edge.yaml` as `orders-edge`): a code stack
/// no live stack is named after is the live stack no code stack is named after whose every
/// resource has one of the code stack's logical ids and types — when that pairing is one to
/// one (no other code stack fits the live one, no other live stack fits the code one). The
/// logical ids are the template's own, so this is exact, not a guess from names.
fn stack_aliases(code: &[Resource], live: &[Resource]) -> BTreeMap<String, String> {
    type Members<'a> = BTreeMap<&'a str, FxHashSet<(&'a str, &'a str)>>;
    fn members<'a>(
        rs: &'a [Resource],
        key: fn(&'a Resource) -> Option<(&'a str, &'a str)>,
    ) -> Members<'a> {
        let mut out: Members<'a> = BTreeMap::new();
        for r in rs {
            if let Some((stack, logical)) = key(r) {
                out.entry(stack)
                    .or_default()
                    .insert((logical, r.type_name.as_str()));
            }
        }
        out
    }
    let code_sets = members(code, code_stack_key);
    let live_sets = members(live, live_stack_key);
    let orphans: Vec<(&str, &FxHashSet<(&str, &str)>)> = live_sets
        .iter()
        .filter(|(name, _)| !code_sets.contains_key(*name))
        .map(|(n, s)| (*n, s))
        .collect();
    let mut out = BTreeMap::new();
    let mut taken: FxHashMap<&str, usize> = FxHashMap::default();
    let mut proposed = Vec::new();
    for (name, set) in &code_sets {
        if live_sets.contains_key(name) {
            continue;
        }
        let fits: Vec<&str> = orphans
            .iter()
            .filter(|(_, ls)| !ls.is_empty() && ls.iter().all(|k| set.contains(k)))
            .map(|(n, _)| *n)
            .collect();
        if let [one] = fits.as_slice() {
            *taken.entry(one).or_default() += 1;
            proposed.push((*name, *one));
        }
    }
    for (code_name, live_name) in proposed {
        if taken.get(live_name) == Some(&1) {
            out.insert(code_name.to_string(), live_name.to_string());
        }
    }
    out
}

/// One part of a composite identity, as text: the id at the end of an ARN or URL (so a
/// queue's ARN and URL agree), without the trailing dot of a DNS name.
fn part_text(v: &str) -> Option<&str> {
    identity::literal(v).map(|s| identity::tail(s).trim_end_matches('.'))
}

/// The composite identity of a live resource, from its own attributes.
fn live_parts_key(l: &Resource) -> Option<String> {
    let parts = registry::composite_identity(&l.type_name)?;
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        out.push(part_text(l.attributes.get(*p)?.as_str()?)?);
    }
    Some(out.join("|"))
}

/// The composite identity of a code resource: literal parts as written, references through
/// the live resource their target matched (none when the target did not match).
fn code_parts_key<'a>(
    c: &Resource,
    live_of: impl Fn(&ResourceId) -> Option<&'a Resource>,
) -> Option<String> {
    let parts = registry::composite_identity(&c.type_name)?;
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for p in parts {
        let text = match c.attributes.get(*p)? {
            Value::Ref(id) => {
                let l = live_of(id)?;
                l.physical_id.clone().or_else(|| l.arn.clone())?
            }
            v => v.as_str()?.to_string(),
        };
        out.push(part_text(&text)?.to_string());
    }
    Some(out.join("|"))
}

/// Merge `code` with `live` (when the account or a snapshot was read).
pub fn reconcile(code: Inventory, live: Option<Inventory>, ignore: &IgnoreRules) -> Reconciled {
    let mut code_rs = code.resources;
    for r in &mut code_rs {
        r.in_code = true;
    }
    let Some(live) = live else {
        return Reconciled {
            resources: code_rs,
            ..Reconciled::default()
        };
    };
    let live_regions: FxHashSet<String> = live.regions.iter().cloned().collect();
    let collected_types = live.collected_types;
    let mut live_rs = live.resources;
    for r in &mut live_rs {
        r.in_live = true;
    }
    let mut notes = Vec::new();
    if code_rs.is_empty() {
        notes.push(Note::info(
            "no code resources were read: drift and coverage are not computed",
        ));
        return Reconciled {
            resources: live_rs,
            notes,
            ..Reconciled::default()
        };
    }

    let defaults = Defaults::new(&live_rs);
    let default_reason: Vec<Option<&'static str>> =
        live_rs.par_iter().map(|r| defaults.reason(r)).collect();
    let code_ti: Vec<Option<&'static TypeInfo>> = code_rs
        .iter()
        .map(|r| registry::lookup(&r.type_name))
        .collect();

    // --- indices over the live side
    // The same stack name can be deployed to several regions (CDK stages): keep them all.
    let mut by_stack: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    let mut by_key = KeyIndex::default();
    by_key.first.reserve(live_rs.len() * 3);
    let mut by_name_tag: FxHashMap<(&str, &str), Vec<usize>> = FxHashMap::default();
    let live_keys: Vec<Vec<String>> = live_rs.par_iter().map(identity::keys).collect();
    for (j, r) in live_rs.iter().enumerate() {
        if let Some(k) = live_stack_key(r) {
            by_stack.entry(k).or_default().push(j);
        }
        for key in &live_keys[j] {
            by_key.insert((r.type_name.as_str(), key.as_str()), j);
        }
        if let Some(n) = r.tags.get(state_keys::TAG_NAME) {
            by_name_tag
                .entry((r.type_name.as_str(), n.as_str()))
                .or_default()
                .push(j);
        }
    }

    // --- matching passes
    let aliases = stack_aliases(&code_rs, &live_rs);
    for (code_name, live_name) in &aliases {
        notes.push(Note::info(format!(
            "code stack `{code_name}` is deployed as `{live_name}`: every resource of that stack has a logical id of the code's"
        )));
    }
    let mut claimed: Vec<bool> = vec![false; live_rs.len()];
    let mut matched: Vec<Option<(usize, MatchedBy)>> = vec![None; code_rs.len()];
    let mut ambiguous = 0usize;
    for (i, c) in code_rs.iter().enumerate() {
        let key = code_stack_key(c)
            .map(|(stack, logical)| (aliases.get(stack).map_or(stack, String::as_str), logical));
        let Some(cands) = key.and_then(|k| by_stack.get(&k)) else {
            continue;
        };
        let open: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&j| {
                !claimed[j]
                    && live_rs[j].type_name == c.type_name
                    && region_ok(c, &live_rs[j], code_ti[i])
            })
            .collect();
        match open.as_slice() {
            [j] => {
                claimed[*j] = true;
                matched[i] = Some((*j, MatchedBy::StackResource));
            }
            [] => {}
            _ => ambiguous += 1,
        }
    }
    let mut pick = |i: usize,
                    candidates: &[usize],
                    claimed: &mut Vec<bool>,
                    matched: &mut Vec<Option<(usize, MatchedBy)>>,
                    how: MatchedBy|
     -> bool {
        let c = &code_rs[i];
        let open: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&j| !claimed[j] && region_ok(c, &live_rs[j], code_ti[i]))
            .collect();
        match open.as_slice() {
            [j] => {
                claimed[*j] = true;
                matched[i] = Some((*j, how));
                true
            }
            [] => false,
            _ => {
                ambiguous += 1;
                false
            }
        }
    };
    for i in 0..code_rs.len() {
        if matched[i].is_some() {
            continue;
        }
        let c = &code_rs[i];
        let ty = c.type_name.as_str();
        for id in [c.arn.as_deref(), c.physical_id.as_deref()]
            .into_iter()
            .flatten()
        {
            let Some(id) = identity::literal(id) else {
                continue;
            };
            if let Some(cands) = by_key.get((ty, id)) {
                if pick(i, &cands, &mut claimed, &mut matched, MatchedBy::StateId) {
                    break;
                }
            }
        }
    }
    for i in 0..code_rs.len() {
        if matched[i].is_some() {
            continue;
        }
        let c = &code_rs[i];
        if let Some(n) = identity::declared_name(c, code_ti[i]) {
            if let Some(cands) = by_key.get((c.type_name.as_str(), n)) {
                pick(
                    i,
                    &cands,
                    &mut claimed,
                    &mut matched,
                    MatchedBy::PhysicalName,
                );
            }
        }
    }
    for i in 0..code_rs.len() {
        if matched[i].is_some() {
            continue;
        }
        let c = &code_rs[i];
        let tag = c
            .tags
            .get(state_keys::TAG_NAME)
            .and_then(|t| identity::literal(t));
        if let Some(cands) = tag.and_then(|t| by_name_tag.get(&(c.type_name.as_str(), t))) {
            pick(i, cands, &mut claimed, &mut matched, MatchedBy::NameTag);
        }
    }

    // Resources without a name of their own (a route, an attachment): the identities of what
    // they join, through the matches made above.
    let mut by_parts: FxHashMap<(&str, String), Vec<usize>> = FxHashMap::default();
    for (j, l) in live_rs.iter().enumerate() {
        if let Some(k) = live_parts_key(l) {
            by_parts
                .entry((l.type_name.as_str(), k))
                .or_default()
                .push(j);
        }
    }
    if !by_parts.is_empty() {
        let index: FxHashMap<&ResourceId, usize> = code_rs
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        for i in 0..code_rs.len() {
            if matched[i].is_some() {
                continue;
            }
            let c = &code_rs[i];
            let key = code_parts_key(c, |id| {
                let &k = index.get(id)?;
                matched[k].map(|(j, _)| &live_rs[j])
            });
            if let Some(cands) = key.and_then(|k| by_parts.get(&(c.type_name.as_str(), k))) {
                let cands = cands.clone();
                pick(i, &cands, &mut claimed, &mut matched, MatchedBy::Parts);
            }
        }
    }

    // What a matched resource points at is what its live counterpart points at: the code's
    // `DBSubnetGroupName: Ref(SubnetGroup)` against the live instance's subnet group name.
    // Repeated while it finds more (a chain of references).
    loop {
        let mut found = Vec::new();
        let index: FxHashMap<&ResourceId, usize> = code_rs
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        for (i, m) in matched.iter().enumerate() {
            let Some((j, _)) = m else { continue };
            for (prop, v) in &code_rs[i].attributes {
                let Value::Ref(target) = v else { continue };
                let Some(&t) = index.get(target) else {
                    continue;
                };
                if matched[t].is_some() {
                    continue;
                }
                let Some(live_val) = live_rs[*j].attributes.get(prop).and_then(Value::as_str)
                else {
                    continue;
                };
                let key = identity::tail(live_val);
                let ty = code_rs[t].type_name.as_str();
                let cands: Vec<usize> = [live_val, key]
                    .into_iter()
                    .filter_map(|k| by_key.get((ty, k)))
                    .flatten()
                    .collect::<FxHashSet<usize>>()
                    .into_iter()
                    .collect();
                found.push((t, cands));
            }
        }
        let before = matched.iter().flatten().count();
        for (t, cands) in found {
            if matched[t].is_none() {
                pick(t, &cands, &mut claimed, &mut matched, MatchedBy::Reference);
            }
        }
        if matched.iter().flatten().count() == before {
            break;
        }
    }

    // --- identities for comparing references
    let ids = Identities {
        index: code_rs
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect(),
        code: &code_rs,
        matched: &matched,
        live_keys: &live_keys,
    };

    // --- changed
    let mut drifts: Vec<Drift> = code_rs
        .par_iter()
        .zip(matched.par_iter())
        .flat_map_iter(|(c, m)| match m {
            Some((j, _)) => changed(c, &live_rs[*j], &ids),
            None => Vec::new(),
        })
        .collect();

    // --- missing
    // What the live read covered: the types its collectors read completely, else (older
    // snapshots) the types it holds any of.
    let mut live_types: FxHashSet<&str> = live_rs.iter().map(|r| r.type_name.as_str()).collect();
    live_types.extend(collected_types.iter().map(String::as_str));
    let checkable = |i: usize, c: &Resource| {
        live_types.contains(c.type_name.as_str())
            && (code_ti[i].is_some_and(|t| t.global)
                || live_regions.is_empty()
                || c.region.as_ref().is_none_or(|r| live_regions.contains(r)))
    };
    let mut unchecked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut code_counts: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
    // Terraform modules: live resources carry no module, so a module's live count is what of
    // it was matched — the count tells "55 declared in module.schedules, 52 live".
    let modules: Vec<Option<String>> = code_rs.iter().map(module_scope).collect();
    let mut module_live: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
    for (i, c) in code_rs.iter().enumerate() {
        if !checkable(i, c) {
            if matched[i].is_none() {
                *unchecked.entry(c.type_name.as_str()).or_default() += 1;
            }
            continue;
        }
        *code_counts.entry((c.type_name.as_str(), None)).or_default() += 1;
        if let Some((stack, _)) = code_stack_key(c) {
            *code_counts
                .entry((c.type_name.as_str(), Some(stack)))
                .or_default() += 1;
        }
        if let Some(m) = modules[i].as_deref() {
            *code_counts
                .entry((c.type_name.as_str(), Some(m)))
                .or_default() += 1;
            if matched[i].is_some() {
                *module_live
                    .entry((c.type_name.as_str(), Some(m)))
                    .or_default() += 1;
            }
        }
        if matched[i].is_none() {
            drifts.push(drift(DriftKind::Missing, c));
        }
    }

    // --- unmanaged
    let code_stacks: FxHashSet<&str> = code
        .stacks
        .iter()
        .map(|s| s.name.as_str())
        .chain(
            code_rs
                .iter()
                .filter_map(|c| code_stack_key(c).map(|k| k.0)),
        )
        .chain(aliases.values().map(String::as_str))
        .collect();
    let mut suppressed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut live_counts: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
    let mut stack_nodes = 0usize;
    for (j, l) in live_rs.iter().enumerate() {
        if let Some(reason) = default_reason[j] {
            if !claimed[j] {
                *suppressed.entry(reason).or_default() += 1;
            }
            continue;
        }
        // The deployed stacks of the code given are the code itself, not something beside it.
        if l.type_name == "AWS::CloudFormation::Stack"
            && l.name.as_deref().is_some_and(|n| code_stacks.contains(n))
        {
            stack_nodes += 1;
            continue;
        }
        *live_counts.entry((l.type_name.as_str(), None)).or_default() += 1;
        if let Some((stack, _)) = live_stack_key(l) {
            *live_counts
                .entry((l.type_name.as_str(), Some(stack)))
                .or_default() += 1;
        }
        if !claimed[j] {
            drifts.push(drift(DriftKind::Unmanaged, l));
        }
    }

    // --- count
    let mut code_counts: Vec<((&str, Option<&str>), usize)> = code_counts.into_iter().collect();
    code_counts.sort_unstable();
    for ((ty, scope), n_code) in &code_counts {
        let n_code = *n_code;
        let counts = if scope.is_some_and(|s| s.starts_with("module.")) {
            &module_live
        } else {
            &live_counts
        };
        let n_live = counts.get(&(*ty, *scope)).copied().unwrap_or(0);
        let live_stack_known = scope.is_none() || n_live > 0;
        if n_code != n_live
            && n_live > 0
            && live_stack_known
            && n_code.max(n_live) >= COUNT_DRIFT_MIN
        {
            drifts.push(Drift {
                kind: DriftKind::Count,
                resource: None,
                type_name: (*ty).to_string(),
                name: None,
                attribute: None,
                code: Some(Value::int(n_code as i64)),
                live: Some(Value::int(n_live as i64)),
                code_location: None,
                scope: scope.map(str::to_string),
            });
        }
    }

    // --- ignore
    let accepted = if ignore.is_empty() {
        0
    } else {
        // Only the resources drift mentions need their names.
        let wanted: FxHashSet<&ResourceId> =
            drifts.iter().filter_map(|d| d.resource.as_ref()).collect();
        let mut by_id: FxHashMap<&ResourceId, (&Resource, Option<&Resource>)> = live_rs
            .iter()
            .filter(|l| wanted.contains(&l.id))
            .map(|l| (&l.id, (l, None)))
            .collect();
        for (c, m) in code_rs.iter().zip(&matched) {
            if wanted.contains(&c.id) {
                by_id.insert(&c.id, (c, m.map(|(j, _)| &live_rs[j])));
            }
        }
        let before = drifts.len();
        drifts.retain(|d| {
            let names: Vec<&str> = match d.resource.as_ref().and_then(|id| by_id.get(id)) {
                // A merged resource also answers to its live names.
                Some((r, l)) => ignore::names_of(r)
                    .into_iter()
                    .chain(l.map(ignore::names_of).unwrap_or_default())
                    .collect(),
                None => d.scope.iter().map(String::as_str).collect(),
            };
            let names = if names.is_empty() { vec!["*"] } else { names };
            let attribute = d
                .attribute
                .as_deref()
                .filter(|_| d.kind == DriftKind::Changed);
            !ignore.accepts_drift(&d.type_name, &names, attribute)
        });
        before - drifts.len()
    };

    // --- coverage and notes
    let managed = matched.iter().filter(|m| m.is_some()).count() + stack_nodes;
    let n_of = |k: DriftKind| drifts.iter().filter(|d| d.kind == k).count();
    let coverage = Coverage::new(
        managed,
        n_of(DriftKind::Unmanaged),
        n_of(DriftKind::Missing),
    );
    let mut by_how: BTreeMap<MatchedBy, usize> = BTreeMap::new();
    for (_, how) in matched.iter().flatten() {
        *by_how.entry(*how).or_default() += 1;
    }
    if !by_how.is_empty() {
        let parts: Vec<String> = by_how
            .iter()
            .map(|(h, n)| format!("{n} by {}", h.as_str()))
            .collect();
        notes.push(Note::info(format!(
            "matched {} code resources to live ones: {}",
            matched.iter().flatten().count(),
            parts.join(", ")
        )));
    }
    if ambiguous > 0 {
        notes.push(Note::warning(format!(
            "{ambiguous} code resources had more than one live candidate of the same name and were left unmatched"
        )));
    }
    if !suppressed.is_empty() {
        let total: usize = suppressed.values().sum();
        let parts: Vec<String> = suppressed.iter().map(|(r, n)| format!("{n} {r}")).collect();
        notes.push(Note::info(format!(
            "{total} AWS default resources are not drift: {}",
            parts.join("; ")
        )));
    }
    if !unchecked.is_empty() {
        let total: usize = unchecked.values().sum();
        let types: Vec<&str> = unchecked.keys().copied().take(8).collect();
        notes.push(Note::info(format!(
            "{total} code resources were not checked for `missing`: the live read has none of their types or regions ({}{})",
            types.join(", "),
            if unchecked.len() > 8 { ", …" } else { "" }
        )));
    }
    if accepted > 0 {
        notes.push(Note::info(format!(
            "{accepted} drift item{} accepted by {}",
            if accepted == 1 { "" } else { "s" },
            ignore.origin.as_deref().unwrap_or("the ignore file")
        )));
    }

    // --- merged resources: code order, then the live resources no code claimed
    drop(ids);
    let mut resources = Vec::with_capacity(code_rs.len() + live_rs.len());
    for (c, m) in code_rs.into_iter().zip(&matched) {
        resources.push(match m {
            Some((j, _)) => merge(c, std::mem::take(&mut live_rs[*j])),
            None => c,
        });
    }
    resources.extend(
        live_rs
            .into_iter()
            .zip(claimed)
            .filter(|(_, taken)| !taken)
            .map(|(l, _)| l),
    );

    Reconciled {
        resources,
        drift: drifts,
        coverage: Some(coverage),
        notes,
    }
}

#[cfg(test)]
mod tests;
