//! The CDK reader on the bundled examples: every row of the expected-lines table in
//! `examples/README.md` (checked by hand against the source) must come out of the real synth
//! output, for the TypeScript app and the Python fixture, and the source line it names must
//! hold the construct.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use surveyor_code::cdk::read_assembly;
use surveyor_code::cfn::CodeSite;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Row {
    path: String,
    logical: String,
    file: String,
    line: u32,
    source: String,
}

fn expected_rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(repo().join("examples/README.md")).unwrap();
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in readme.lines() {
        if line.starts_with("| construct path |") {
            in_table = true;
            continue;
        }
        if in_table && !line.starts_with('|') {
            break;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        let (file, ln) = cells[3].rsplit_once(':').unwrap();
        rows.push(Row {
            path: cells[0].clone(),
            logical: cells[2].clone(),
            file: file.to_string(),
            line: ln.parse().unwrap(),
            source: cells[4].trim_matches('`').to_string(),
        });
    }
    assert!(
        rows.len() >= 30,
        "the README table was not found ({} rows)",
        rows.len()
    );
    rows
}

fn sites(app: &Path) -> HashMap<String, CodeSite> {
    let assembly = read_assembly(&app.join("cdk.out"), Some(app), app).unwrap();
    assembly
        .templates
        .into_iter()
        .flat_map(|t| t.sites)
        .collect()
}

#[test]
fn every_expected_line_of_the_examples_is_read_from_the_traces() {
    let ts_app = repo().join("examples/orders/cdk");
    let py_app = repo().join("examples/fixtures/cdk-python");
    let ts = sites(&ts_app);
    let py = sites(&py_app);
    let mut checked = 0;
    for row in expected_rows() {
        let (sites, app) = if row.path.starts_with("Py") {
            (&py, &py_app)
        } else {
            (&ts, &ts_app)
        };
        let site = sites
            .get(&row.logical)
            .unwrap_or_else(|| panic!("no site for {} ({})", row.logical, row.path));
        assert_eq!(
            (site.file.as_str(), site.line),
            (row.file.as_str(), row.line),
            "{}",
            row.path
        );
        assert_eq!(site.address.as_deref(), Some(row.path.as_str()));
        // The line really holds the construct: compare with the table's quoted source, up
        // to its first elision.
        let text = std::fs::read_to_string(app.join(&site.file)).unwrap();
        let at = text.lines().nth(site.line as usize - 1).unwrap().trim();
        let quoted = row.source.split("...").next().unwrap().trim();
        if !quoted.starts_with('(') && !quoted.is_empty() {
            assert!(
                at.starts_with(quoted),
                "{}: line {} is `{at}`, expected `{quoted}`",
                row.path,
                site.line
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked} rows checked");
}

#[test]
fn stacks_carry_environment_dependencies_and_creation_site() {
    let app = repo().join("examples/orders/cdk");
    let a = read_assembly(&app.join("cdk.out"), Some(&app), &app).unwrap();
    let names: Vec<&str> = a.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["OrdersNetwork", "OrdersData", "OrdersService", "OrdersOps"]
    );
    let ops = &a.stacks[3];
    assert_eq!(ops.depends_on, ["OrdersService", "OrdersData"]);
    assert_eq!(ops.account.as_deref(), Some("111111111111"));
    assert_eq!(ops.region.as_deref(), Some("us-east-2"));
    let data = &a.stacks[1];
    let loc = data.location.as_ref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("bin/app.ts", 18));
    assert_eq!(data.path, "cdk.out/OrdersData.template.json");
    assert!(a.notes.is_empty(), "{:?}", a.notes);
}

#[test]
fn an_assembly_from_another_machine_without_its_source_points_at_templates() {
    // The assembly alone, as a CI artifact: no source to match, so no sites and one note.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    std::fs::create_dir(&out).unwrap();
    for e in std::fs::read_dir(repo().join("examples/orders/cdk/cdk.out")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), out.join(e.file_name())).unwrap();
    }
    let a = read_assembly(&out, None, dir.path()).unwrap();
    assert!(a.templates.iter().all(|t| t.sites.is_empty()));
    assert_eq!(a.notes.len(), 1);
    assert!(
        a.notes[0].message.contains("data-stack.ts"),
        "{}",
        a.notes[0].message
    );
}

#[test]
fn nested_assemblies_and_stages_are_read() {
    let corpus = repo().join("../shared/corpus/cdk-out/aws-cdk-examples-synth/aws-cdk-examples__typescript__aws-codepipeline-ecs-lambda__cdk.out");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is not beside the repository");
        return;
    }
    let a = read_assembly(&corpus, None, &corpus).unwrap();
    let staged: Vec<_> = a.stacks.iter().filter(|s| s.stage.is_some()).collect();
    assert!(
        staged.len() >= 5,
        "{:?}",
        a.stacks
            .iter()
            .map(|s| (&s.name, &s.stage))
            .collect::<Vec<_>>()
    );
    let ecs = staged
        .iter()
        .find(|s| s.name.contains("EcsFargateStack"))
        .unwrap();
    assert_eq!(ecs.stage.as_deref(), Some("aws-codepipeline-stack/dev"));
    assert!(
        ecs.depends_on.iter().any(|d| d.contains("VpcStack")),
        "{:?}",
        ecs.depends_on
    );
    assert!(ecs.path.starts_with("assembly-aws-codepipeline-stack-dev/"));
}

#[test]
fn a_broken_manifest_is_an_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        "{\n  \"artifacts\": {\n    oops\n}",
    )
    .unwrap();
    let err = read_assembly(dir.path(), None, dir.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("manifest.json:3"), "{err}");
}
