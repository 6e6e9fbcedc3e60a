//! Snapshots of every text format for the hand-built orders map, and targeted checks of
//! what the snapshots could hide: escaping, grouping, plumbing left out, `file:line` in tables.

mod common;

use surveyor_model::{EdgeKind, Map, Resource, ResourceId, Value, ValueMap};
use surveyor_report::layout::{self, Context};
use surveyor_report::{mermaid, Format};

fn mermaid_block(md: &str) -> &str {
    let start = md.find("```mermaid\n").expect("a mermaid block") + "```mermaid\n".len();
    let end = md[start..].find("```").expect("closed block") + start;
    &md[start..end]
}

#[test]
fn markdown_snapshot() {
    let md = Format::Markdown.render(&common::orders());
    insta::assert_snapshot!("map_md", md);
}

#[test]
fn mermaid_snapshot() {
    let md = Format::Markdown.render(&common::orders());
    insta::assert_snapshot!("mermaid", mermaid_block(&md));
}

/// A fixed catalogue, so the snapshot does not move each time a rule is added.
fn catalogue() -> Vec<surveyor_rules::RuleInfo> {
    use surveyor_model::{FindingCategory, Severity};
    vec![
        surveyor_rules::RuleInfo {
            id: "dlq-has-messages",
            severity: Severity::High,
            category: FindingCategory::Reliability,
            summary: "A dead-letter queue holds messages",
            doc: "## What it fires on\n\nA dead-letter queue holds messages.\n\n## What to do\n\nRead them, fix the consumer, redrive.",
        },
        surveyor_rules::RuleInfo {
            id: "db-single-az",
            severity: Severity::Medium,
            category: FindingCategory::Reliability,
            summary: "A database runs in one availability zone",
            doc: "A database runs in one availability zone.",
        },
        surveyor_rules::RuleInfo {
            id: "schedule-disabled",
            severity: Severity::Low,
            category: FindingCategory::Operations,
            summary: "A schedule is disabled",
            doc: "A schedule or rule is disabled.",
        },
    ]
}

#[test]
fn sarif_snapshot() {
    let sarif = surveyor_report::sarif::document_with(&common::orders(), &catalogue());
    insta::assert_json_snapshot!("findings_sarif", sarif);
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let map = common::orders();
    let sarif = surveyor_report::sarif::document_with(&map, &catalogue());
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "surveyor");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    // Catalogue rules first, then one entry for each rule id only the findings name.
    assert_eq!(rules[0]["id"], "dlq-has-messages");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "note");
    assert_eq!(rules[0]["properties"]["tags"][0], "reliability");
    assert!(rules.iter().any(|r| r["id"] == "public-compute"));
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), map.findings.len());
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    let dlq = results
        .iter()
        .find(|r| r["ruleId"] == "dlq-has-messages")
        .expect("dlq");
    let phys = &dlq["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "lib/data-stack.ts");
    assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(phys["region"]["startLine"], 51);
    assert!(dlq["message"]["text"]
        .as_str()
        .unwrap_or("")
        .contains("Evidence: ApproximateNumberOfMessages = 3396"));
    // No code declares the hand-made instance: a logical location only.
    let ec2 = results
        .iter()
        .find(|r| r["ruleId"] == "public-compute")
        .expect("public-compute");
    assert!(ec2["locations"][0].get("physicalLocation").is_none());
    assert_eq!(
        ec2["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "arn:aws:ec2:us-east-2:111111111111:instance/i-05152be67822f4cc5"
    );
}

#[test]
fn json_snapshot_locks_the_contract() {
    let mut map = common::orders();
    map.generated_at = "volatile".into();
    let text = Format::Json.render(&map);
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("map.json is JSON");
    v["generated_at"] = "[generated_at]".into();
    insta::assert_json_snapshot!("map_json", v);
    // Deterministic, and it reads back to the same map.
    assert_eq!(text, Format::Json.render(&map));
    let back: Map = serde_json::from_str(&text).expect("map.json reads back");
    assert_eq!(back, map);
}

#[test]
fn labels_are_escaped_for_mermaid() {
    let escaped = mermaid::escape(r#"a "quoted" [name] #1 <b> & `x` {y} |z|"#);
    for bad in ['"', '[', ']', '<', '>', '`', '{', '}', '|'] {
        assert!(!escaped.contains(bad), "{bad} left in {escaped}");
    }
    assert!(
        escaped.contains("#quot;") && escaped.contains("#35;1") && escaped.contains("#lt;b#gt;")
    );

    let mut map = common::orders();
    let q = map
        .resources
        .iter_mut()
        .find(|r| r.label() == "orders-ingest")
        .expect("queue in fixture");
    q.name = Some(r#"jobs "prod" [fifo] #1 <x>"#.into());
    let md = Format::Markdown.render(&map);
    let block = mermaid_block(&md);
    let line = block
        .lines()
        .find(|l| l.contains("jobs #quot;prod#quot;"))
        .expect("escaped queue node");
    assert!(line.contains("#91;fifo#93; #35;1 #lt;x#gt;"), "{line}");
    // Node ids never come from names.
    for l in block
        .lines()
        .filter(|l| l.contains("-->") || l.contains("==>"))
    {
        let first = l.split_whitespace().next().unwrap_or("");
        assert!(
            first.starts_with('n') && first[1..].chars().all(|c| c.is_ascii_digit()),
            "{l}"
        );
    }
    // And the table cell escapes the pipe of the SG description.
    assert!(md.contains("ALB \\| public"), "pipe escaped in tables");
}

fn lambda(i: usize, stack: &str) -> Resource {
    let mut r = Resource::new(
        ResourceId::of("AWS::Lambda::Function", &format!("fn-{i}")),
        "AWS::Lambda::Function",
    );
    r.name = Some(format!("rfq-load-{i}"));
    r.in_code = true;
    r.code = Some(surveyor_model::Provenance {
        file: "lib/worker-stack.ts".into(),
        line: 80 + i as u32,
        address: Some(format!("{stack}/Load{i}/Resource")),
        stack: Some(stack.into()),
        ..Default::default()
    });
    r.attributes = ValueMap::from([
        ("PackageType".to_string(), Value::str("Image")),
        (
            "Architectures".to_string(),
            Value::List(vec!["arm64".into()]),
        ),
    ]);
    r
}

#[test]
fn sixty_repeated_functions_become_one_node() {
    let mut map = Map::default();
    let topic = ResourceId::of("AWS::SNS::Topic", "jobs");
    let mut t = Resource::new(topic.clone(), "AWS::SNS::Topic");
    t.name = Some("jobs".into());
    map.resources.push(t);
    for i in 0..60 {
        let f = lambda(i, "Workers");
        map.edges.push(surveyor_model::Edge::new(
            topic.clone(),
            f.id.clone(),
            EdgeKind::Delivers,
            surveyor_model::Origin::Code,
        ));
        map.resources.push(f);
    }
    // One function with its own neighbour stays apart.
    let mut odd = lambda(99, "Workers");
    odd.name = Some("odd-one".into());
    map.resources.push(odd);
    let ctx = Context::new(&map);
    let d = layout::diagram(&ctx);
    let grouped: Vec<_> = d.nodes.iter().filter(|n| n.count() > 1).collect();
    assert_eq!(
        grouped.len(),
        1,
        "{:?}",
        d.nodes.iter().map(|n| &n.label).collect::<Vec<_>>()
    );
    assert_eq!(grouped[0].count(), 60);
    assert_eq!(grouped[0].label, "Lambda function ×60");
    assert_eq!(d.edges.len(), 1, "60 delivers edges merge into one");
    assert!(d.nodes.iter().any(|n| n.label == "odd-one"));
    let md = Format::Markdown.render(&map);
    assert!(mermaid_block(&md).contains("Lambda function ×60"));
    assert!(
        md.contains("Compute is not on EC2 — 61 Lambda functions (all arm64, 61 container images)"),
        "{md}"
    );
}

#[test]
fn plumbing_is_left_out_of_the_diagram_but_kept_in_tables() {
    let map = common::orders();
    let md = Format::Markdown.render(&map);
    let block = mermaid_block(&md);
    for plumbing in [
        "orders-api-task-role",
        "api-from-alb",
        "orders-alb-https",
        "/orders/worker",
        "public-a",
        "orders-db-subnets",
    ] {
        assert!(!block.contains(plumbing), "{plumbing} drawn:\n{block}");
        assert!(md.contains(plumbing), "{plumbing} missing from the tables");
    }
    // SG ingress is drawn between the resources that use the groups.
    let ctx = Context::new(&map);
    let d = layout::diagram(&ctx);
    let node = |label: &str| {
        d.nodes
            .iter()
            .position(|n| n.label == label)
            .unwrap_or_else(|| panic!("{label} not drawn"))
    };
    let (api, db) = (node("orders-api"), node("orders-db"));
    assert!(d.edges.iter().any(|e| e.from == api
        && e.to == db
        && e.kind == EdgeKind::Allows
        && e.label.as_deref() == Some("tcp/5432")));
    // Placement: VPC → tier subgraphs.
    let tier_of = |i: usize| {
        d.nodes[i]
            .group
            .map(|g| d.groups[g].label.clone())
            .unwrap_or_default()
    };
    assert_eq!(tier_of(node("orders-alb")), "public subnets (2 AZ)");
    assert_eq!(tier_of(api), "private subnets (2 AZ)");
    assert_eq!(tier_of(db), "isolated subnets (2 AZ)");
    assert!(block.contains("subgraph") && block.contains("VPC orders-vpc 10.40.0.0/16"));
}

#[test]
fn tables_show_where_each_resource_is_declared() {
    let map = common::orders();
    let md = Format::Markdown.render(&map);
    for r in &map.resources {
        let Some(c) = &r.code else { continue };
        let at = format!("`{}:{}`", c.file, c.line);
        let row = md.lines().find(|l| {
            l.starts_with('|') && l.contains(&format!("**{}**", r.label())) && l.contains(&at)
        });
        assert!(row.is_some(), "no row with {} at {at}", r.label());
    }
    let ec2 = md
        .lines()
        .find(|l| l.contains("**orders-verify-oneshot**") && l.starts_with('|'))
        .expect("unmanaged row");
    assert!(ec2.contains("live only"), "{ec2}");
    // Measured beside declared.
    assert!(
        md.contains("| postgres 16.9 → 16.10 (live) ⚠ |"),
        "drifted attribute shows the live value"
    );
    assert!(md.contains("2 / 1 running (measured) ⚠"));
    // References rendered as labels, unresolved as ⟨text⟩.
    assert!(md.contains("orders-ingest-dlq after 5 receives"));
    assert!(md.contains("⟨Fn::Join [https://, Alb.DNSName]⟩"));
}

#[test]
fn glance_answers_is_it_ec2_and_live_health() {
    let md = Format::Markdown.render(&common::orders());
    let glance =
        &md[md.find("## At a glance").expect("glance")..md.find("## Diagram").expect("diagram")];
    assert!(
        glance.contains("Compute is not on EC2 — 1 Lambda function (arm64) and 2 Fargate services. ⚠ But 1 EC2 resource runs outside the code: orders-verify-oneshot."),
        "the hand-made instance is called out, not counted as what the code runs: {glance}"
    );
    assert!(glance.contains("1 of 1 alarm in ALARM"));
    assert!(
        glance.contains("GET `https://api.orders.example.com/health` → 200 ok:true db:ok in 41 ms")
    );
    assert!(glance.contains("`orders-ingest-dlq` holds 3396"));
    assert!(glance.contains("`orders-api` runs 1 of 2"));
    assert!(glance.contains("1 schedule disabled"));
    assert!(glance.contains("**Findings:** 5 (3 high, 1 medium, 1 low)"));
    assert!(glance.contains("**Coverage:** 97.6%"));
}

#[test]
fn stacks_are_listed_in_deploy_order() {
    let md = Format::Markdown.render(&common::orders());
    let pos = |s: &str| {
        md.find(&format!("| **{s}** |"))
            .unwrap_or_else(|| panic!("{s}"))
    };
    assert!(pos("OrdersNetwork") < pos("OrdersData"));
    assert!(pos("OrdersData") < pos("OrdersService"));
    assert!(
        pos("OrdersService") < pos("OrdersOps"),
        "Ops depends on Service"
    );
}

#[test]
fn terminal_summary_is_plain_without_a_terminal() {
    let map = common::orders();
    let plain =
        surveyor_report::terminal::render(&map, &[std::path::PathBuf::from("out/map.md")], false);
    assert!(!plain.contains('\x1b'));
    assert!(
        plain.contains("findings 5 (3 high, 1 medium, 1 low)"),
        "{plain}"
    );
    assert!(plain.contains("wrote    out/map.md"));
    assert!(plain.lines().count() <= 8);
    assert!(
        plain.starts_with("map 36 resources in 4 stacks: "),
        "{plain}"
    );
    // One resource of one Terraform root: singular, and named as Terraform names it.
    let mut b = common::B::new();
    b.res("AWS::SQS::Queue", "jobs", "infra", "main.tf", 1, &[]);
    b.map.stacks.push(surveyor_model::Stack {
        name: "infra".into(),
        source_kind: surveyor_model::SourceKind::Terraform,
        ..Default::default()
    });
    let one = surveyor_report::terminal::render(&b.map, &[], false);
    assert!(
        one.starts_with("map 1 resource in 1 Terraform root module: messaging 1"),
        "{one}"
    );
    let coloured = surveyor_report::terminal::render(&map, &[], true);
    assert!(coloured.contains("\x1b[31m"));
}

#[test]
fn many_unmanaged_of_one_type_fold_into_one_drift_row() {
    let mut map = common::orders();
    for i in 0..7 {
        let id = ResourceId::new(format!(
            "arn:aws:scheduler:us-east-2:1:schedule/default/adhoc-{i}"
        ));
        let mut r = Resource::new(id.clone(), "AWS::Scheduler::Schedule");
        r.name = Some(format!("adhoc-{i}"));
        r.in_live = true;
        map.resources.push(r);
        map.drift.push(surveyor_model::Drift {
            kind: surveyor_model::DriftKind::Unmanaged,
            resource: Some(id),
            type_name: "AWS::Scheduler::Schedule".into(),
            name: Some(format!("adhoc-{i}")),
            attribute: None,
            code: None,
            live: None,
            code_location: None,
            scope: None,
        });
    }
    let md = Format::Markdown.render(&map);
    let drift = &md[md.find("## Drift").expect("drift")..md.find("## Findings").expect("findings")];
    let rows: Vec<&str> = drift
        .lines()
        .filter(|l| l.starts_with("| Schedule"))
        .collect();
    assert_eq!(rows.len(), 2, "one folded row plus the count row: {rows:?}");
    assert!(rows
        .iter()
        .any(|r| r.contains("Schedule ×7 (`adhoc-0`, `adhoc-1`, `adhoc-2`, …)")));
    // The lone unmanaged instance keeps its own row.
    assert!(drift.contains("EC2 instance **orders-verify-oneshot**"));
}

#[test]
fn an_empty_kms_key_from_terraform_state_is_no_encryption() {
    let mut b = common::B::new();
    // Terraform state records an unset optional string as "".
    b.res(
        "AWS::SNS::Topic",
        "plain",
        "ledger",
        "sns.tf",
        1,
        &[("KmsMasterKeyId", Value::str(""))],
    );
    b.res(
        "AWS::SNS::Topic",
        "sealed",
        "ledger",
        "sns.tf",
        9,
        &[("KmsMasterKeyId", Value::str("alias/aws/sns"))],
    );
    let md = Format::Markdown.render(&b.map);
    let row = |name: &str| {
        md.lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("**{name}**")))
            .unwrap_or_else(|| panic!("no row for {name}"))
            .to_string()
    };
    assert!(row("plain").contains("| none |"), "{}", row("plain"));
    assert!(
        row("sealed").contains("| KMS alias/aws/sns |"),
        "{}",
        row("sealed")
    );
}
