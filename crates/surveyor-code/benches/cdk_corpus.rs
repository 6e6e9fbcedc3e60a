//! Reads and maps every cloud assembly of `../shared/corpus/cdk-out` and prints the figures
//! (budget: under 2 s wall on 2 cores, release). `cargo bench -p surveyor-code --bench cdk_corpus`

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use surveyor_code::{read_paths, CodeOptions};

fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|es| {
            es.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        size_of(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cdk-out");
    let mut dirs: Vec<PathBuf> = Vec::new();
    for group in ["aws-cdk-examples-synth", "aws-solutions-constructs"] {
        if let Ok(es) = std::fs::read_dir(root.join(group)) {
            dirs.extend(
                es.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.join("manifest.json").is_file()),
            );
        }
    }
    if dirs.is_empty() {
        eprintln!("cdk_corpus: {} not found, nothing measured", root.display());
        return;
    }
    let bytes: u64 = dirs.iter().map(|d| size_of(d)).sum();
    let start = Instant::now();
    let results: Vec<_> = dirs
        .par_iter()
        .map(|d| read_paths(std::slice::from_ref(d), &CodeOptions::default()))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let resources: usize = results.iter().flatten().map(|i| i.resources.len()).sum();
    println!(
        "cdk_corpus: {} assemblies ({ok} mapped), {resources} resources, {:.1} MB in {:.3} s wall: {:.0} assemblies/s, {:.1} MB/s (budget 2 s)",
        dirs.len(),
        bytes as f64 / 1e6,
        secs,
        dirs.len() as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}
