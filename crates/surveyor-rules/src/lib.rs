//! The findings catalogue: one file per rule under `rules/`, each opening with its user
//! documentation (What it fires on / Why it matters / What to do / Example) as a `//!` block —
//! the text `surveyor explain RULE` prints — then its id, severity, category, the check over
//! the reconciled map, and its fixture tests. [`audit`] runs them all.
//!
//! Detection is kept apart from wording (the oxc/biome shape): a rule's `check` returns typed
//! hits (`(resource, Hit)`), and its `message` turns one hit into words and evidence.
//!
//! Rules read static facts from `attributes` (what code declares, overlaid with live values),
//! runtime facts from `state` under the keys in [`state_keys`] (shared with the live
//! collectors), and the edges. Where a declared property drifted, [`Ctx::value`] gives the
//! live value: rules judge reality when it is known. Rules that need live facts stay silent
//! without them; AWS default resources (the default VPC, CDK bootstrap, …) are not audited.
//! A property code leaves out takes its CloudFormation default (code alone is conclusive);
//! one a live-only resource lacks may just not have been read, and says nothing.

mod ctx;

use std::sync::OnceLock;

use rayon::prelude::*;
use surveyor_model::{Finding, FindingCategory, Location, Map, Resource, Severity};

pub use ctx::Ctx;
/// The `state` keys collectors write and rules read (defined once, in the reconcile crate).
pub use surveyor_reconcile::state_keys;

/// A rule's catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub category: FindingCategory,
    pub summary: &'static str,
    /// The user documentation (Markdown), shown by `surveyor explain`.
    pub doc: &'static str,
}

/// What a rule file declares about itself; the doc comes from the file's own `//!` block.
pub(crate) struct Meta {
    pub id: &'static str,
    pub severity: Severity,
    pub category: FindingCategory,
    pub summary: &'static str,
    /// The rule file's text (`include_str!` of itself), for its documentation.
    pub source: &'static str,
}

/// One hit in words.
pub(crate) struct Message {
    pub title: String,
    pub why: &'static str,
    pub action: &'static str,
    pub evidence: String,
    /// When a hit is worse (or milder) than the rule's default.
    pub severity: Option<Severity>,
}

impl Message {
    pub fn new(title: impl Into<String>, evidence: impl Into<String>) -> Self {
        Message {
            title: title.into(),
            why: "",
            action: "",
            evidence: evidence.into(),
            severity: None,
        }
    }
    pub fn why(mut self, why: &'static str, action: &'static str) -> Self {
        self.why = why;
        self.action = action;
        self
    }
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = Some(s);
        self
    }
}

pub(crate) fn location(r: &Resource) -> Option<Location> {
    let c = r.code.as_ref()?;
    (!c.file.is_empty()).then(|| Location {
        file: c.file.clone(),
        line: c.line,
    })
}

/// Detection → findings, the one place findings are assembled.
pub(crate) fn emit<H>(
    meta: &Meta,
    hits: Vec<(&Resource, H)>,
    message: fn(&Resource, &H) -> Message,
) -> Vec<Finding> {
    hits.into_iter()
        .map(|(r, h)| {
            let m = message(r, &h);
            Finding {
                rule: meta.id.to_string(),
                severity: m.severity.unwrap_or(meta.severity),
                category: meta.category,
                resource: r.id.clone(),
                title: m.title,
                why: m.why.to_string(),
                action: m.action.to_string(),
                evidence: m.evidence,
                code_location: location(r),
            }
        })
        .collect()
}

struct Entry {
    meta: &'static Meta,
    run: fn(&Ctx) -> Vec<Finding>,
}

macro_rules! catalogue {
    ($($m:ident),* $(,)?) => {
        mod rules { $(pub(crate) mod $m;)* }
        /// Every rule, in catalogue order.
        static RULES: &[Entry] = &[$(Entry {
            meta: &rules::$m::RULE,
            run: |ctx| emit(&rules::$m::RULE, rules::$m::check(ctx), rules::$m::message),
        }),*];
    };
}

catalogue![
    // reliability: messaging and runtime health
    dlq_has_messages,
    queue_without_dlq,
    alarm_firing,
    alarm_without_action,
    topic_without_subscribers,
    schedule_disabled,
    function_failing,
    service_not_running,
    // security: edge and network exposure
    waf_not_attached,
    internet_facing_without_waf,
    public_compute,
    sg_open_to_world,
    nat_single_az,
    // data stores
    db_public,
    db_single_az,
    db_no_deletion_protection,
    db_backup_short,
    storage_unencrypted,
    bucket_public_access,
    secret_no_rotation,
    kms_rotation_disabled,
    instance_imdsv1,
    // hygiene
    unmanaged_resource,
    log_retention_unset,
    deprecated_runtime,
    image_scan_disabled,
    ecr_mutable_tags,
];

/// The `//!` block at the top of a rule file, without the markers.
fn doc_of(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out
}

fn infos() -> &'static [RuleInfo] {
    static INFOS: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    static DOCS: OnceLock<Vec<String>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| RULES.iter().map(|e| doc_of(e.meta.source)).collect());
    INFOS.get_or_init(|| {
        RULES
            .iter()
            .zip(docs)
            .map(|(e, doc)| RuleInfo {
                id: e.meta.id,
                severity: e.meta.severity,
                category: e.meta.category,
                summary: e.meta.summary,
                doc: doc.as_str(),
            })
            .collect()
    })
}

/// Every rule, in catalogue order.
pub fn catalogue() -> Vec<RuleInfo> {
    infos().to_vec()
}

/// A rule's entry by id.
pub fn rule(id: &str) -> Option<RuleInfo> {
    infos().iter().find(|r| r.id == id).copied()
}

/// Run every rule over the map; findings in catalogue order, then by resource.
pub fn audit(map: &Map) -> Vec<Finding> {
    let ctx = Ctx::new(map);
    let per_rule: Vec<Vec<Finding>> = RULES.par_iter().map(|e| (e.run)(&ctx)).collect();
    per_rule
        .into_iter()
        .flat_map(|mut fs| {
            fs.sort_by(|a, b| a.resource.cmp(&b.resource).then(a.title.cmp(&b.title)));
            fs
        })
        .collect()
}

#[cfg(test)]
mod checkov;
#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_rules_exist_in_order_with_docs() {
        let contract = [
            "dlq-has-messages",
            "queue-without-dlq",
            "alarm-firing",
            "alarm-without-action",
            "topic-without-subscribers",
            "schedule-disabled",
            "function-failing",
            "service-not-running",
            "waf-not-attached",
            "internet-facing-without-waf",
            "public-compute",
            "sg-open-to-world",
            "db-public",
            "db-single-az",
            "db-no-deletion-protection",
            "db-backup-short",
            "storage-unencrypted",
            "bucket-public-access",
            "secret-no-rotation",
            "instance-imdsv1",
            "unmanaged-resource",
            "log-retention-unset",
            "deprecated-runtime",
            "image-scan-disabled",
        ];
        let cat = catalogue();
        for id in contract {
            let r = rule(id).unwrap_or_else(|| panic!("{id} missing"));
            for section in [
                "What it fires on",
                "Why it matters",
                "What to do",
                "Example",
            ] {
                assert!(r.doc.contains(section), "{id}: no `{section}` in its doc");
            }
            assert!(!r.summary.is_empty());
        }
        let mut seen = std::collections::HashSet::new();
        for r in &cat {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                r.id
            );
            assert!(
                r.doc.starts_with(&format!("# {}", r.id)),
                "{}: doc title",
                r.id
            );
        }
        assert!(rule("no-such-rule").is_none());
    }

    #[test]
    fn doc_block_stops_at_the_code() {
        assert_eq!(
            doc_of("//! # a\n//!\n//! text\nuse x;\n//! not doc"),
            "# a\n\ntext\n"
        );
    }
}
