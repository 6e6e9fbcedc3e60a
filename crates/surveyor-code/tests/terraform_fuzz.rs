//! Mutated HCL and state inputs (fixed-seed PRNG, so failures reproduce) never panic. The
//! cargo-fuzz targets in `fuzz/` explore further; this runs with every `cargo test`.

use std::path::Path;

use surveyor_code::terraform::{read_hcl_str, state};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "=",
    "\n",
    ".",
    "*",
    "...",
    "=>",
    "?",
    ":",
    "for",
    "in",
    "if",
    "count.index",
    "each.key",
    "var.x",
    "local.a",
    "module.m.o",
    "null",
    "<<EOT\n",
    "EOT\n",
    "dynamic",
    "[*]",
    "\\",
    "\u{0}",
    "é",
    "-1",
    "1e999",
    "#",
    "/*",
    "*/",
];

fn mutate(rng: &mut Rng, seed: &str, structural: &[&str]) -> String {
    let mut b: Vec<u8> = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len());
        match rng.below(5) {
            0 => b[at] = rng.next() as u8,
            1 => {
                let end = (at + rng.below(40)).min(b.len());
                b.drain(at..end);
            }
            2 => {
                let t = structural[rng.below(structural.len())];
                b.splice(at..at, t.bytes());
            }
            3 => b.truncate(at),
            _ => {
                let from = rng.below(b.len());
                let end = (from + rng.below(60)).min(b.len());
                let chunk: Vec<u8> = b[from..end].to_vec();
                b.splice(at..at, chunk);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn example(p: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/ledger-terraform")
            .join(p),
    )
    .unwrap()
}

#[test]
fn mutated_hcl_never_panics() {
    let seeds: Vec<String> = [
        "alb.tf",
        "ecs.tf",
        "queues.tf",
        "schedules.tf",
        "modules/queue/main.tf",
        "modules/vpc/main.tf",
    ]
    .iter()
    .map(|f| example(f))
    .collect();
    // The seeds themselves map: the harness exercises the evaluator, not only the parser.
    assert!(seeds.iter().all(|s| !read_hcl_str(s).resources.is_empty()));
    let mut rng = Rng(0x5eed_7e44_a1f0_0001);
    let mut parsed = 0;
    for i in 0..1500 {
        let s = mutate(&mut rng, &seeds[i % seeds.len()], TOKENS);
        let inv = read_hcl_str(&s);
        if !inv.resources.is_empty() {
            parsed += 1;
        }
    }
    assert!(parsed > 30, "only {parsed} mutants still mapped resources");
}

#[test]
fn mutated_state_never_panics() {
    let seed = example("terraform.tfstate");
    let json_tokens: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "null",
        "4",
        "3",
        "\"module\":",
        "\"index_key\":",
        "\"attributes_flat\":{\"a.#\":\"1\"}",
        "\\u0000",
    ];
    let mut rng = Rng(0xfeed_0000_0000_0042);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..600 {
        let s = mutate(&mut rng, &seed, json_tokens);
        match state::read_text(&s, Path::new("fuzz.tfstate")) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(e.to_string().contains("fuzz.tfstate"));
                err += 1;
            }
        }
    }
    assert!(ok > 0 && err > 0, "ok {ok}, err {err}");
}
