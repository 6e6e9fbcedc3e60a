//! Every cloud assembly of the shared corpus is either mapped or refused with a reason that
//! names the file; none panics. Skipped when `../shared` is not beside the repository.

use std::path::{Path, PathBuf};

use surveyor_code::{read_paths, CodeOptions};

fn assemblies(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in ["aws-cdk-examples-synth", "aws-solutions-constructs"] {
        let Ok(entries) = std::fs::read_dir(root.join(group)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("manifest.json").is_file())
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

#[test]
fn every_corpus_assembly_is_mapped_or_refused_clearly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cdk-out");
    if !root.is_dir() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let dirs = assemblies(&root);
    assert!(
        dirs.len() > 400,
        "expected the whole corpus, found {}",
        dirs.len()
    );
    let (mut mapped, mut refused, mut resources) = (0, 0, 0);
    for dir in &dirs {
        match read_paths(std::slice::from_ref(dir), &CodeOptions::default()) {
            Ok(inv) => {
                mapped += 1;
                resources += inv.resources.len();
                assert!(!inv.stacks.is_empty(), "{}: no stacks", dir.display());
            }
            Err(e) => {
                refused += 1;
                let msg = e.to_string();
                assert!(
                    msg.contains(".json") || msg.contains(&*dir.to_string_lossy()),
                    "unclear refusal: {msg}"
                );
                eprintln!("refused: {msg}");
            }
        }
    }
    println!(
        "cdk-out corpus: {} assemblies, {mapped} mapped, {refused} refused, {resources} resources",
        dirs.len()
    );
    assert!(
        mapped * 100 >= dirs.len() * 98,
        "only {mapped} of {} mapped",
        dirs.len()
    );
}
