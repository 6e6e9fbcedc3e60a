//! `.surveyorignore`: drift and findings the user accepts, driftctl-style, one pattern a line.
//!
//! ```text
//! # a comment
//! AWS::EC2::Instance:i-05152be67822f4cc5   # TYPE:ID — drift for this resource
//! AWS::Scheduler::Schedule:rfq-*           # TYPE:NAME, globs with `*` and `?`
//! AWS::SSM::Parameter                      # a whole type
//! rule:secret-no-rotation                  # every finding of a rule
//! rule:db-single-az:v1-orcha-db            # a rule on one resource (name, id, ARN, physical id)
//! !AWS::Scheduler::Schedule:rfq-critical   # negation: the last matching line wins
//! AWS::ECS::Service:orders-api:DesiredCount # TYPE:NAME:ATTRIBUTE — one property's drift
//! *:*:Tags.*                                # every tag difference, on every resource
//! ```
//!
//! A resource pattern removes that resource's drift items (and its `unmanaged-resource`
//! finding, which restates the drift); a `rule:` pattern removes findings only. A resource
//! is named by any of its identities: id, name, ARN, physical id, code address.
//!
//! An attribute pattern (driftctl's `TYPE.ID.FIELD`) removes only `changed` items of that
//! property path or below it (`Tags` covers `Tags.env`); the resource's other drift stays.
//! Names may hold `:` (ARNs), so the attribute is the last `:`-segment only when it reads as a
//! CloudFormation property path: an upper-case ASCII letter first, then letters, digits and
//! `.` `*` `?` `[` `]`. A name that itself ends so (a Lambda alias ARN `…:function:f:Prod`)
//! is written by its short name instead.

use std::path::{Path, PathBuf};

use surveyor_model::{Finding, Map, Note, Resource};

#[derive(Debug, thiserror::Error)]
pub enum IgnoreError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Pattern {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Patterns from `.surveyorignore`: drift and findings the user accepts.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    /// The pattern lines, comments and blanks removed, in file order.
    pub patterns: Vec<String>,
    /// Where they were read from, for notes.
    pub origin: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Pattern {
    Resource {
        negated: bool,
        type_glob: String,
        name_glob: String,
        /// Only `changed` drift of this property path (or below it).
        attr_glob: Option<String>,
    },
    Rule {
        negated: bool,
        rule_glob: String,
        resource_glob: Option<String>,
    },
}

/// The index of the first single `:` (not part of `::`).
fn single_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len())
        .find(|&i| b[i] == b':' && b.get(i + 1) != Some(&b':') && (i == 0 || b[i - 1] != b':'))
}

fn parse_line(line: &str) -> Result<Option<Pattern>, String> {
    let line = match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    }
    .trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (negated, body) = match line.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, line),
    };
    if let Some(rest) = body.strip_prefix("rule:") {
        let (rule, resource) = match rest.split_once(':') {
            Some((r, res)) => (r, Some(res.to_string())),
            None => (rest, None),
        };
        if rule.is_empty() {
            return Err("`rule:` needs a rule id, e.g. `rule:db-single-az`".into());
        }
        return Ok(Some(Pattern::Rule {
            negated,
            rule_glob: rule.to_string(),
            resource_glob: resource.filter(|r| !r.is_empty()),
        }));
    }
    let (ty, name) = match single_colon(body) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, "*"),
    };
    if ty.is_empty() {
        return Err(format!("`{body}` has no resource type before `:`"));
    }
    let (name, attr) = split_attribute(name);
    Ok(Some(Pattern::Resource {
        negated,
        type_glob: ty.to_string(),
        name_glob: if name.is_empty() {
            "*".into()
        } else {
            name.to_string()
        },
        attr_glob: attr.map(str::to_string),
    }))
}

/// `NAME:Attribute.Path` → (`NAME`, `Attribute.Path`) when the last `:`-segment reads as a
/// CloudFormation property path; else the whole text is the name (an ARN's own segments are
/// lower-case, digits, `*` or paths).
fn split_attribute(name: &str) -> (&str, Option<&str>) {
    let Some(i) = name.rfind(':') else {
        return (name, None);
    };
    let (head, attr) = (&name[..i], &name[i + 1..]);
    let path_like = attr.starts_with(|c: char| c.is_ascii_uppercase())
        && attr
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '*' | '?' | '[' | ']'));
    if head.is_empty() || !path_like || head.ends_with(':') {
        return (name, None);
    }
    (head, Some(attr))
}

/// Whether a drift `attribute` falls under an attribute glob: the path itself or below it.
fn attribute_matches(glob_: &str, attribute: &str) -> bool {
    glob(glob_, attribute)
        || attribute
            .strip_prefix(glob_)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        || glob(&format!("{glob_}.*"), attribute)
}

/// `*` matches any run of characters, `?` any one; everything else literally.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The names a resource answers to in a pattern.
pub(crate) fn names_of(r: &Resource) -> Vec<&str> {
    let mut v = vec![r.id.as_str()];
    v.extend(r.name.as_deref());
    v.extend(r.arn.as_deref());
    v.extend(r.physical_id.as_deref());
    if let Some(c) = &r.code {
        v.extend(c.address.as_deref());
        v.extend(c.logical_id.as_deref());
    }
    v
}

impl IgnoreRules {
    /// Parse the text of an ignore file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<IgnoreRules, IgnoreError> {
        let mut patterns = Vec::new();
        for (i, line) in text.lines().enumerate() {
            match parse_line(line) {
                Ok(Some(_)) => patterns.push(line.trim().to_string()),
                Ok(None) => {}
                Err(message) => {
                    return Err(IgnoreError::Pattern {
                        path: path.to_path_buf(),
                        line: i + 1,
                        message,
                    })
                }
            }
        }
        Ok(IgnoreRules {
            patterns,
            origin: Some(path.display().to_string()),
        })
    }

    pub fn load(path: &Path) -> Result<IgnoreRules, IgnoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| IgnoreError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// The contract's lookup: `--ignore-file F` when given (it must exist), else
    /// `.surveyorignore` in the first PATH (its folder, when PATH is a file), if present.
    pub fn discover(
        explicit: Option<&Path>,
        first_path: &Path,
    ) -> Result<IgnoreRules, IgnoreError> {
        if let Some(f) = explicit {
            return Self::load(f);
        }
        let dir = if first_path.is_file() {
            first_path.parent().unwrap_or(Path::new("."))
        } else {
            first_path
        };
        let candidate = dir.join(".surveyorignore");
        if candidate.is_file() {
            Self::load(&candidate)
        } else {
            Ok(IgnoreRules::default())
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    fn compiled(&self) -> impl Iterator<Item = Pattern> + '_ {
        self.patterns
            .iter()
            .filter_map(|l| parse_line(l).ok().flatten())
    }

    /// Whether all drift about a resource of `type_name` known by `names` is accepted.
    pub fn accepts_resource(&self, type_name: &str, names: &[&str]) -> bool {
        self.accepts_drift(type_name, names, None)
    }

    /// Whether one drift item is accepted: about a resource of `type_name` known by `names`,
    /// on `attribute` for a `changed` item (attribute patterns accept only those).
    pub fn accepts_drift(&self, type_name: &str, names: &[&str], attribute: Option<&str>) -> bool {
        let mut accepted = false;
        for p in self.compiled() {
            if let Pattern::Resource {
                negated,
                type_glob,
                name_glob,
                attr_glob,
            } = p
            {
                let on_attribute = match (&attr_glob, attribute) {
                    (None, _) => true,
                    (Some(g), Some(a)) => attribute_matches(g, a),
                    (Some(_), None) => false,
                };
                if on_attribute
                    && glob(&type_glob, type_name)
                    && names.iter().any(|n| glob(&name_glob, n))
                {
                    accepted = !negated;
                }
            }
        }
        accepted
    }

    /// Whether a finding of `rule` on a resource of `type_name` known by `names` is accepted.
    pub fn accepts_finding(&self, rule: &str, type_name: &str, names: &[&str]) -> bool {
        let mut accepted = false;
        for p in self.compiled() {
            match p {
                Pattern::Rule {
                    negated,
                    rule_glob,
                    resource_glob,
                } => {
                    let on_resource = resource_glob
                        .as_deref()
                        .is_none_or(|g| names.iter().any(|n| glob(g, n)));
                    if glob(&rule_glob, rule) && on_resource {
                        accepted = !negated;
                    }
                }
                Pattern::Resource {
                    negated,
                    type_glob,
                    name_glob,
                    attr_glob: None,
                } if rule == "unmanaged-resource" => {
                    if glob(&type_glob, type_name) && names.iter().any(|n| glob(&name_glob, n)) {
                        accepted = !negated;
                    }
                }
                Pattern::Resource { .. } => {}
            }
        }
        accepted
    }

    /// Remove accepted findings from `findings`; returns how many went.
    pub fn filter_findings(&self, findings: &mut Vec<Finding>, resources: &[Resource]) -> usize {
        if self.is_empty() {
            return 0;
        }
        let index: std::collections::HashMap<_, _> = resources.iter().map(|r| (&r.id, r)).collect();
        let before = findings.len();
        findings.retain(|f| {
            let (ty, names) = match index.get(&f.resource) {
                Some(r) => (r.type_name.as_str(), names_of(r)),
                None => ("", vec![f.resource.as_str()]),
            };
            !self.accepts_finding(&f.rule, ty, &names)
        });
        before - findings.len()
    }

    /// [`IgnoreRules::filter_findings`] on a map's findings, with a note saying how many.
    pub fn apply_to_findings(&self, map: &mut Map) {
        let mut findings = std::mem::take(&mut map.findings);
        let n = self.filter_findings(&mut findings, &map.resources);
        map.findings = findings;
        if n > 0 {
            map.notes.push(Note::info(format!(
                "{n} finding{} accepted by {}",
                if n == 1 { "" } else { "s" },
                self.origin.as_deref().unwrap_or("the ignore file")
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> IgnoreRules {
        IgnoreRules::parse(text, Path::new(".surveyorignore")).unwrap()
    }

    #[test]
    fn globs() {
        assert!(glob("rfq-*", "rfq-scrape"));
        assert!(glob("*-dlq", "jobs-dlq"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXbY"));
        assert!(glob("?b", "ab"));
        assert!(!glob("rfq-*", "other"));
    }

    #[test]
    fn type_and_name_patterns_with_comments_and_negation() {
        let r = rules(
            "# accepted\n\nAWS::Scheduler::Schedule:rfq-*  # crons\n!AWS::Scheduler::Schedule:rfq-critical\nAWS::SSM::Parameter\n",
        );
        assert_eq!(r.patterns.len(), 3);
        assert!(r.accepts_resource("AWS::Scheduler::Schedule", &["rfq-hourly"]));
        assert!(!r.accepts_resource("AWS::Scheduler::Schedule", &["rfq-critical"]));
        assert!(!r.accepts_resource("AWS::Scheduler::Schedule", &["other"]));
        assert!(r.accepts_resource("AWS::SSM::Parameter", &["/x/y"]));
        assert!(!r.accepts_resource("AWS::SQS::Queue", &["rfq-hourly"]));
    }

    #[test]
    fn ids_work_as_names() {
        let r = rules("AWS::EC2::Instance:i-05152be67822f4cc5");
        assert!(r.accepts_resource(
            "AWS::EC2::Instance",
            &[
                "arn:aws:ec2:r:1:instance/i-05152be67822f4cc5",
                "i-05152be67822f4cc5"
            ]
        ));
    }

    #[test]
    fn rule_patterns_apply_to_findings_only() {
        let r =
            rules("rule:secret-no-rotation\nrule:db-single-az:v1-orcha-*\nAWS::EC2::Instance:i-1");
        assert!(r.accepts_finding("secret-no-rotation", "AWS::SecretsManager::Secret", &["s"]));
        assert!(r.accepts_finding("db-single-az", "AWS::RDS::DBInstance", &["v1-orcha-db"]));
        assert!(!r.accepts_finding("db-single-az", "AWS::RDS::DBInstance", &["other-db"]));
        assert!(!r.accepts_resource("AWS::SecretsManager::Secret", &["s"]));
        // A resource pattern accepts the finding that restates its drift, not other findings.
        assert!(r.accepts_finding("unmanaged-resource", "AWS::EC2::Instance", &["i-1"]));
        assert!(!r.accepts_finding("public-compute", "AWS::EC2::Instance", &["i-1"]));
    }

    #[test]
    fn attribute_patterns_accept_one_property_and_below() {
        let r = rules(
            "AWS::ECS::Service:orders-api:DesiredCount\n*:*:Tags.*\nAWS::Lambda::Function:*:Environment\n",
        );
        let svc = ("AWS::ECS::Service", ["orders-api"]);
        assert!(r.accepts_drift(svc.0, &svc.1, Some("DesiredCount")));
        assert!(!r.accepts_drift(svc.0, &svc.1, Some("LaunchType")));
        // The resource's other drift (missing, unmanaged: no attribute) stays.
        assert!(!r.accepts_drift(svc.0, &svc.1, None));
        assert!(!r.accepts_resource(svc.0, &svc.1));
        assert!(r.accepts_drift("AWS::SQS::Queue", &["q"], Some("Tags.env")));
        assert!(!r.accepts_drift("AWS::SQS::Queue", &["q"], Some("TagsX")));
        // A parent path covers its children, not a sibling that shares its prefix.
        let f = "AWS::Lambda::Function";
        assert!(r.accepts_drift(f, &["w"], Some("Environment.Variables.STAGE")));
        assert!(!r.accepts_drift(f, &["w"], Some("EnvironmentX")));
        // Attribute patterns never accept findings.
        assert!(!r.accepts_finding("unmanaged-resource", svc.0, &svc.1));
    }

    #[test]
    fn names_with_colons_keep_their_segments() {
        // An ARN's last segment is never read as an attribute (lower case, digits, `*`).
        let arn = "arn:aws:logs:us-east-2:1:log-group:/ecs/x:*";
        let r = rules(&format!("AWS::Logs::LogGroup:{arn}"));
        assert!(r.accepts_resource("AWS::Logs::LogGroup", &[arn]));
        let r = rules(&format!("AWS::Logs::LogGroup:{arn}:RetentionInDays"));
        assert!(r.accepts_drift("AWS::Logs::LogGroup", &[arn], Some("RetentionInDays")));
        assert!(!r.accepts_resource("AWS::Logs::LogGroup", &[arn]));
        let sub = "arn:aws:sns:us-east-2:1:alerts:1b2c3d4e-aaaa";
        let r = rules(&format!("AWS::SNS::Subscription:{sub}"));
        assert!(r.accepts_resource("AWS::SNS::Subscription", &[sub]));
        assert_eq!(split_attribute("a:b::C"), ("a:b::C", None));
        assert_eq!(split_attribute(":Tags"), (":Tags", None));
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        let e = IgnoreRules::parse("ok:x\nrule:\n", Path::new("ign")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ign:2: `rule:` needs a rule id, e.g. `rule:db-single-az`"
        );
        let e = IgnoreRules::parse(":x\n", Path::new("ign")).unwrap_err();
        assert!(e.to_string().starts_with("ign:1:"), "{e}");
    }
}
