//! CDK cloud assemblies → the templates to read (handed to [`crate::cfn`]) and the stacks of
//! the map, with each resource's line in the **user's own source**.
//!
//! An assembly is `manifest.json` plus templates: stack artifacts (with environment,
//! dependencies and metadata — inline in the manifest, or in `<Stack>.metadata.json` since
//! schema 30-ish), and nested assemblies (`cdk:cloud-assembly`, one per stage). The metadata
//! maps construct paths to logical ids and construct stack traces; the first frame outside
//! the CDK library, jsii and node internals is where the user wrote the construct. The
//! trace's path is from the machine that synthesized (`/builds/app/lib/x.ts`), so it is matched
//! by its suffix against the files under the app folder ([`sources::SourceIndex`]).

mod sources;
mod trace;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use surveyor_model::{Location, Note, Source, SourceKind, Stack};

use crate::cfn::{CodeSite, TemplateInput};
use crate::{relative, CodeError};

pub use sources::SourceIndex;
pub use trace::{user_frame, Frame};

/// Nested assemblies deeper than this are refused: real apps nest a stage or two.
const MAX_DEPTH: usize = 8;

/// What an assembly contributes: its stacks (for the map) and their templates (for [`crate::cfn`]).
#[derive(Debug, Default)]
pub struct Assembly {
    pub stacks: Vec<Stack>,
    pub templates: Vec<TemplateInput>,
    pub sources: Vec<Source>,
    pub notes: Vec<Note>,
}

/// Read the assembly in `dir`. `app_dir` is the CDK app folder (holding `cdk.json`) when known,
/// else the assembly's parent if that holds `cdk.json`, else `base`: stack-trace paths are
/// matched against the source files found there, and reported relative to `base`.
pub fn read_assembly(
    dir: &Path,
    app_dir: Option<&Path>,
    base: &Path,
) -> Result<Assembly, CodeError> {
    let search_root = app_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| match dir.parent() {
            Some(p) if p.join("cdk.json").is_file() => p.to_path_buf(),
            _ => base.to_path_buf(),
        });
    let index = SourceIndex::build(&search_root, dir);
    let mut reader = Reader {
        base,
        index,
        unmatched: HashSet::new(),
        out: Assembly::default(),
    };
    reader.read(dir, None, 0)?;
    if !reader.unmatched.is_empty() {
        let mut sample: Vec<_> = reader.unmatched.iter().cloned().collect();
        sample.sort();
        let shown = sample
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        reader.out.notes.push(
            Note::info(format!(
                "{} source file(s) named in the construct stack traces were not found under {} (e.g. {shown}); \
                 those resources point at their template line instead",
                sample.len(),
                search_root.display()
            ))
            .at(relative(dir, base), None),
        );
    }
    reader.out.sources.push(Source {
        kind: SourceKind::Cdk,
        path: relative(dir, base),
        resources: 0,
    });
    Ok(reader.out)
}

struct Reader<'a> {
    base: &'a Path,
    index: SourceIndex,
    /// Recorded source paths that matched no file (reported once, as a note).
    unmatched: HashSet<String>,
    out: Assembly,
}

impl Reader<'_> {
    fn read(&mut self, dir: &Path, stage: Option<&str>, depth: usize) -> Result<(), CodeError> {
        let manifest_path = dir.join("manifest.json");
        if depth > MAX_DEPTH {
            return Err(CodeError::invalid(
                &manifest_path,
                "nested assemblies deeper than 8 levels",
            ));
        }
        let manifest = read_json(&manifest_path)?;
        let Some(artifacts) = manifest.get("artifacts").and_then(Json::as_object) else {
            self.out.notes.push(
                Note::warning("manifest lists no artifacts")
                    .at(relative(&manifest_path, self.base), None),
            );
            return Ok(());
        };
        // Artifact id → deployed stack name, so dependencies name stacks as CloudFormation does.
        let stack_names: HashMap<&str, String> = artifacts
            .iter()
            .filter(|(_, a)| {
                a.get("type").and_then(Json::as_str) == Some("aws:cloudformation:stack")
            })
            .map(|(id, a)| (id.as_str(), deployed_name(id, a)))
            .collect();
        for (id, art) in artifacts {
            match art.get("type").and_then(Json::as_str) {
                Some("cdk:cloud-assembly") => {
                    let Some(sub) = art
                        .pointer("/properties/directoryName")
                        .and_then(Json::as_str)
                    else {
                        continue;
                    };
                    let display = art
                        .pointer("/properties/displayName")
                        .and_then(Json::as_str)
                        .or(art.get("displayName").and_then(Json::as_str))
                        .unwrap_or(id);
                    let sub_dir = dir.join(sub);
                    if sub_dir.join("manifest.json").is_file() {
                        self.read(&sub_dir, Some(display), depth + 1)?;
                    } else {
                        self.out.notes.push(
                            Note::warning(format!("nested assembly `{sub}` is missing"))
                                .at(relative(&manifest_path, self.base), None),
                        );
                    }
                }
                Some("aws:cloudformation:stack") => {
                    self.read_stack(dir, id, art, &stack_names, stage)?
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn read_stack(
        &mut self,
        dir: &Path,
        id: &str,
        art: &Json,
        stack_names: &HashMap<&str, String>,
        stage: Option<&str>,
    ) -> Result<(), CodeError> {
        let manifest_path = dir.join("manifest.json");
        let Some(file) = art
            .pointer("/properties/templateFile")
            .and_then(Json::as_str)
        else {
            self.out.notes.push(
                Note::warning(format!("stack `{id}` names no template file"))
                    .at(relative(&manifest_path, self.base), None),
            );
            return Ok(());
        };
        let template = dir.join(file);
        if !template.is_file() {
            self.out.notes.push(
                Note::warning(format!("stack `{id}`: template `{file}` is missing"))
                    .at(relative(&manifest_path, self.base), None),
            );
            return Ok(());
        }
        let name = deployed_name(id, art);
        let (account, region) = environment(art);
        let depends_on = art
            .get("dependencies")
            .and_then(Json::as_array)
            .map(|deps| {
                deps.iter()
                    .filter_map(Json::as_str)
                    .filter_map(|d| stack_names.get(d).cloned())
                    .collect()
            })
            .unwrap_or_default();
        let metadata = match art.get("additionalMetadataFile").and_then(Json::as_str) {
            Some(f) => {
                let p = dir.join(f);
                if p.is_file() {
                    Some(read_json(&p)?)
                } else {
                    None
                }
            }
            None => art.get("metadata").cloned(),
        };
        let (sites, location) = self.sites(metadata.as_ref());
        let parameters = art
            .pointer("/properties/parameters")
            .and_then(Json::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        self.out.templates.push(TemplateInput {
            path: template.clone(),
            stack_name: name.clone(),
            source_kind: SourceKind::Cdk,
            account: account.clone(),
            region: region.clone(),
            parameters,
            sites,
            parent: None,
        });
        self.out.stacks.push(Stack {
            name,
            source_kind: SourceKind::Cdk,
            path: relative(&template, self.base),
            account,
            region,
            depends_on,
            stage: stage.map(str::to_string),
            location,
            resources: 0,
        });
        Ok(())
    }

    /// Logical id → user source site, from the stack's metadata; and where the stack itself
    /// is created.
    fn sites(&mut self, metadata: Option<&Json>) -> (HashMap<String, CodeSite>, Option<Location>) {
        let mut sites = HashMap::new();
        let Some(meta) = metadata.and_then(Json::as_object) else {
            return (sites, None);
        };
        // Construct path → user site, for every path whose trace reaches user code.
        let mut by_path: HashMap<&str, (String, u32)> = HashMap::new();
        let mut logical: Vec<(&str, &str)> = Vec::new();
        for (path, entries) in meta {
            let Some(entries) = entries.as_array() else {
                continue;
            };
            for e in entries {
                match e.get("type").and_then(Json::as_str) {
                    Some("aws:cdk:logicalId") => {
                        if let Some(l) = e.get("data").and_then(Json::as_str) {
                            logical.push((path.as_str(), l));
                        }
                    }
                    Some("aws:cdk:creationStack") => {
                        let frames = e.get("data").and_then(Json::as_array);
                        let frame =
                            frames.and_then(|f| user_frame(f.iter().filter_map(Json::as_str)));
                        if let Some(frame) = frame {
                            match self.index.resolve(&frame.path) {
                                Some(file) => {
                                    by_path.insert(
                                        path.as_str(),
                                        (relative(&file, self.base), frame.line),
                                    );
                                }
                                None => {
                                    self.unmatched.insert(frame.path.clone());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let stack_path = meta
            .keys()
            .min_by_key(|k| k.len())
            .map(String::as_str)
            .unwrap_or("");
        let location = by_path.get(stack_path).map(|(file, line)| Location {
            file: file.clone(),
            line: *line,
        });
        for (path, logical_id) in logical {
            // Resources with library-only traces (subnets, default policies) take the site of
            // the nearest construct above them that the user wrote.
            let mut p = path;
            let site = loop {
                if let Some(s) = by_path.get(p) {
                    if p != stack_path {
                        break Some(s);
                    }
                }
                match p.rfind('/') {
                    Some(i) if i > 0 => p = &p[..i],
                    _ => break None,
                }
            };
            if let Some((file, line)) = site {
                sites.insert(
                    logical_id.to_string(),
                    CodeSite {
                        file: file.clone(),
                        line: *line,
                        address: Some(path.trim_start_matches('/').to_string()),
                    },
                );
            }
            // With no user frame anywhere above, the template stays the location (the cfn
            // reader takes the construct path from the template's `aws:cdk:path`).
        }
        (sites, location)
    }
}

/// The name CloudFormation knows the stack by: `stackName`, else the artifact id.
fn deployed_name(id: &str, art: &Json) -> String {
    art.pointer("/properties/stackName")
        .and_then(Json::as_str)
        .unwrap_or(id)
        .to_string()
}

/// `aws://ACCOUNT/REGION`, with CDK's `unknown-*` placeholders dropped.
fn environment(art: &Json) -> (Option<String>, Option<String>) {
    let Some(env) = art.get("environment").and_then(Json::as_str) else {
        return (None, None);
    };
    let rest = env.strip_prefix("aws://").unwrap_or(env);
    let (acct, region) = rest.split_once('/').unwrap_or((rest, ""));
    let keep = |s: &str| {
        (!s.is_empty() && !s.starts_with("unknown-") && !s.contains("${")).then(|| s.to_string())
    };
    (keep(acct), keep(region))
}

fn read_json(path: &PathBuf) -> Result<Json, CodeError> {
    let text = std::fs::read_to_string(path).map_err(|e| CodeError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| CodeError::syntax(path, e.line() as u32, e.to_string()))
}
