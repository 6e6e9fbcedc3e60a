//! Every state and plan in the shared corpus is read, or refused with a message naming the
//! file; nothing panics. Skipped when the corpus is not beside the repository.

use std::path::{Path, PathBuf};

use surveyor_code::terraform::read_all;
use surveyor_code::CodeOptions;

fn corpus() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    [beside, PathBuf::from("/work/shared/corpus")]
        .into_iter()
        .find(|p| p.join("tfstate").is_dir())
}

fn files(d: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(d) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_state_and_plan_is_read_or_refused_clearly() {
    let Some(root) = corpus() else {
        eprintln!("shared corpus not found; skipped");
        return;
    };
    let mut all = Vec::new();
    files(&root.join("tfstate"), &mut all);
    files(&root.join("tfplan"), &mut all);
    all.sort();
    let (mut read, mut refused, mut resources) = (0, 0, 0);
    for f in &all {
        let is_plan = f.starts_with(root.join("tfplan"));
        let (states, plans) = if is_plan {
            (vec![], vec![f.clone()])
        } else {
            (vec![f.clone()], vec![])
        };
        match read_all(&[], &states, &plans, &root, &CodeOptions::default()) {
            Ok(inv) => {
                read += 1;
                resources += inv.resources.len();
                for r in &inv.resources {
                    let c = r.code.as_ref().unwrap();
                    assert!(c.address.is_some(), "{}", f.display());
                }
            }
            Err(e) => {
                refused += 1;
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                let msg = e.to_string();
                assert!(msg.contains(&name), "{msg} does not name {}", f.display());
                eprintln!("refused: {msg}");
            }
        }
    }
    eprintln!(
        "{} files: {read} read ({resources} resources), {refused} refused",
        all.len()
    );
    assert!(
        all.len() > 150,
        "corpus smaller than expected: {}",
        all.len()
    );
    // The corpus holds a few deliberately old or broken states, not more.
    assert!(refused <= 6, "{refused} refused");
    // Most corpus states are other providers' (not in the map); the AWS ones are.
    assert!(resources > 150, "{resources}");
    let sqs = root.join(
        "tfstate/raw/snyk__driftctl/pkg/iac/terraform/state/test/aws_sqs_queue/terraform.tfstate",
    );
    if sqs.is_file() {
        let inv = read_all(&[], &[sqs], &[], &root, &CodeOptions::default()).unwrap();
        let q = inv
            .resources
            .iter()
            .find(|r| r.type_name == "AWS::SQS::Queue")
            .expect("a queue");
        assert!(
            q.arn
                .as_deref()
                .is_some_and(|a| a.starts_with("arn:aws:sqs:")),
            "{q:?}"
        );
        assert!(
            q.physical_id
                .as_deref()
                .is_some_and(|a| a.starts_with("https://")),
            "{q:?}"
        );
        assert!(q.code.as_ref().unwrap().line > 0);
    }
}
