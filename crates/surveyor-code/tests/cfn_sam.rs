//! SAM expansion checked against the SAM translator's own output: for an input of
//! `sam-translator/input`, the logical ids and types we generate match those in the matching
//! `output` file (ids SAM derives from a content hash compared without the hash). Skipped
//! where the shared corpus is not present.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use surveyor_code::cfn::parse_template_str;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/cloudformation/sam-translator");
    dir.is_dir().then_some(dir)
}

type Ids = BTreeSet<(String, String)>;

fn produced(input: &Path) -> Option<Ids> {
    let text = std::fs::read_to_string(input).ok()?;
    let inv = parse_template_str(&text, input).ok()?;
    Some(
        inv.resources
            .iter()
            .filter(|r| r.type_name != "AWS::Lambda::Version")
            .filter_map(|r| {
                let id = r.code.as_ref()?.logical_id.clone()?;
                Some((id, r.type_name.clone()))
            })
            .collect(),
    )
}

fn is_hash(s: &str) -> bool {
    s.len() == 10
        && s.bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

fn expected(output: &Path) -> Option<Ids> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(output).ok()?).ok()?;
    let mut out = BTreeSet::new();
    for (id, body) in v.get("Resources")?.as_object()? {
        let ty = body.get("Type")?.as_str()?.to_string();
        match ty.as_str() {
            "AWS::ApiGateway::Deployment" | "AWS::Lambda::Version" => continue,
            "AWS::Lambda::LayerVersion" if id.len() > 10 && is_hash(&id[id.len() - 10..]) => {
                out.insert((id[..id.len() - 10].to_string(), ty));
            }
            _ => {
                out.insert((id.clone(), ty));
            }
        }
    }
    Some(out)
}

fn compare(dir: &Path, name: &str) -> Option<(Ids, Ids)> {
    let input = dir.join("input").join(format!("{name}.yaml"));
    let output = dir.join("output").join(format!("{name}.json"));
    Some((produced(&input)?, expected(&output)?))
}

/// Pairs that use only the SAM features the reader expands.
const EXACT: &[&str] = &[
    "basic_function",
    "sqs",
    "streams",
    "s3",
    "sns",
    "function_with_sns_event_source_all_parameters",
    "eventbridgerule",
    "eventbridgerule_schedule_properties",
    "cloudwatchevent",
    "api_with_cors",
    "http_api_with_cors",
    "state_machine_with_schedule",
    "state_machine_with_api",
    "function_with_alias",
    "basic_layer",
    "simple_table_ref_parameter_intrinsic",
];

#[test]
fn sam_expansion_matches_the_translator() {
    let Some(dir) = corpus() else {
        println!("skipped: ../shared/corpus/cloudformation/sam-translator is not present");
        return;
    };
    let mut failed = Vec::new();
    for name in EXACT {
        let Some((got, want)) = compare(&dir, name) else {
            failed.push(format!("{name}: could not be read"));
            continue;
        };
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failed.push(format!("{name}: missing {missing:?}, extra {extra:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Over every pair: how many match exactly (printed; a floor keeps regressions visible).
#[test]
fn sam_expansion_over_all_pairs() {
    let Some(dir) = corpus() else {
        println!("skipped: ../shared/corpus/cloudformation/sam-translator is not present");
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(dir.join("output"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.path()
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let (mut total, mut exact) = (0, 0);
    let mut ids_want = 0;
    let mut ids_got = 0;
    for name in &names {
        let Some((got, want)) = compare(&dir, name) else {
            continue;
        };
        total += 1;
        ids_want += want.len();
        ids_got += want.intersection(&got).count();
        if got == want {
            exact += 1;
        } else if std::env::var("SAM_DIFF").is_ok() {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            println!("{name}: missing {missing:?} extra {extra:?}");
        }
    }
    println!(
        "sam pairs: {exact}/{total} exact; {ids_got}/{ids_want} expected (id, type) pairs produced"
    );
    assert!(total > 100);
    assert!(ids_got * 100 >= ids_want * 70, "{ids_got}/{ids_want}");
}
