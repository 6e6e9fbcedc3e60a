//! Every template of the shared corpus (`../shared/corpus/cloudformation`) is either mapped or
//! refused with an error that names the file; at least 98% of the files meant to be valid map.
//! The sam-translator `error_*` inputs are invalid on purpose: refused or mapped with notes,
//! never a crash. Skipped (with a message) where the corpus is not present.

use std::path::{Path, PathBuf};

use surveyor_code::cfn::{read_templates, TemplateInput};
use surveyor_code::CodeOptions;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cloudformation");
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_templates_map_or_are_refused_clearly() {
    let Some(root) = corpus() else {
        println!("skipped: ../shared/corpus/cloudformation is not present");
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    // sam-translator outputs are CloudFormation too; inputs named error_* are invalid SAM.
    let (mut valid, mut valid_ok, mut invalid, mut refused, mut noted) = (0, 0, 0, 0, 0);
    let mut resources = 0;
    let mut failures = Vec::new();
    for path in &all {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let meant_invalid = name.starts_with("error_");
        let input = TemplateInput::file(path, &root);
        match read_templates(vec![input], &root, &CodeOptions::default()) {
            Ok(inv) => {
                resources += inv.resources.len();
                if meant_invalid {
                    invalid += 1;
                    if !inv.notes.is_empty() {
                        noted += 1;
                    }
                } else {
                    valid += 1;
                    valid_ok += 1;
                }
            }
            Err(e) => {
                let text = e.to_string();
                assert!(text.contains(&name), "error does not name the file: {text}");
                if meant_invalid {
                    invalid += 1;
                    refused += 1;
                } else {
                    valid += 1;
                    failures.push(text);
                }
            }
        }
    }
    println!(
        "cfn corpus: {} files, {valid_ok}/{valid} valid ones mapped ({resources} resources), \
         {invalid} invalid SAM inputs ({refused} refused, {noted} mapped with notes, the rest mapped)",
        all.len()
    );
    for f in failures.iter().take(40) {
        println!("  refused: {f}");
    }
    assert!(valid > 0);
    assert!(
        valid_ok * 100 >= valid * 98,
        "only {valid_ok} of {valid} valid templates mapped"
    );
}
