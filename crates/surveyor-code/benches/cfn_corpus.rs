//! Reads and maps every template of the shared corpus (`../shared/corpus/cloudformation`,
//! ~2,900 templates, 31 MB), one `read_templates` call per template spread over rayon's pool,
//! and prints templates/s, MB/s and the wall time. Run with
//! `cargo bench -p surveyor-code --bench cfn_corpus`; the budget is under 1 s on 2 cores.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use surveyor_code::cfn::{read_templates, TemplateInput};
use surveyor_code::CodeOptions;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cloudformation");
    if !root.is_dir() {
        println!("cfn_corpus: skipped, {} is not present", root.display());
        return;
    }
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    let bytes: u64 = all
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let opts = CodeOptions::default();
    let mut best = f64::MAX;
    let mut summary = (0, 0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        let results: Vec<(usize, usize)> = all
            .par_iter()
            .map(|p| {
                let input = TemplateInput::file(p, &root);
                match read_templates(vec![input], &root, &opts) {
                    Ok(inv) => (1, inv.resources.len()),
                    Err(_) => (0, 0),
                }
            })
            .collect();
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        summary = (
            results.iter().map(|r| r.0).sum(),
            all.len(),
            results.iter().map(|r| r.1).sum(),
        );
    }
    let (mapped, total, resources) = summary;
    let mb = bytes as f64 / 1e6;
    println!(
        "cfn_corpus: {total} templates ({mb:.1} MB), {mapped} mapped, {resources} resources; \
         best of 3: {best:.3} s wall, {:.0} templates/s, {:.1} MB/s ({} threads)",
        total as f64 / best,
        mb / best,
        rayon::current_num_threads()
    );
}
