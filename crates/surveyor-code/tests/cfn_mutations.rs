//! Fuzzing that runs in CI: templates of the shared corpus (and the fixtures), truncated at
//! random points and with bytes flipped, driven by a fixed-seed PRNG. The reader must map or
//! refuse each one, never panic.

use std::path::{Path, PathBuf};

use surveyor_code::cfn::parse_template_str;

/// xorshift64*: tiny, deterministic, good enough to pick cut points and bytes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(PathBuf, String)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![here.join("tests/fixtures/cfn/worker.yaml")];
    let corpus = here.join("../../../shared/corpus/cloudformation");
    for sub in [
        "aws-cloudformation-templates",
        "sam-translator/input",
        "cdk-synth",
        "cfn-lint-good",
    ] {
        let Ok(rd) = std::fs::read_dir(corpus.join(sub)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        paths.extend(files.into_iter().step_by(20).take(8));
    }
    paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

#[test]
fn mutated_templates_never_panic() {
    let mut rng = Rng(0x5eed_cf17_2026);
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let mut cases = 0;
    let mut refused = 0;
    for (path, text) in &seeds {
        let bytes = text.as_bytes();
        for round in 0..40 {
            let mut m = bytes.to_vec();
            match round % 3 {
                0 => m.truncate(rng.below(bytes.len())),
                1 => {
                    for _ in 0..1 + rng.below(8) {
                        let i = rng.below(m.len());
                        if let Some(b) = m.get_mut(i) {
                            const NASTY: &[u8] = b" \n:{}[]-!&*'\"#|>,\t\\";
                            *b = NASTY[rng.below(NASTY.len())];
                        }
                    }
                }
                _ => {
                    // Splice a random slice of the template into another point of it.
                    let a = rng.below(m.len());
                    let b = (a + rng.below(400)).min(m.len());
                    let chunk = m[a..b].to_vec();
                    let at = rng.below(m.len());
                    m.splice(at..at, chunk);
                }
            }
            let t = String::from_utf8_lossy(&m);
            cases += 1;
            if parse_template_str(&t, path).is_err() {
                refused += 1;
            }
        }
    }
    println!("mutations: {cases} cases, {refused} refused, none panicked");
    assert!(cases >= 100 || seeds.len() == 1);
}
