//! Terraform inputs beyond the example: bad input (syntax errors, unknown functions, cyclic
//! locals, missing variables, unknown state versions), installed registry modules, variable
//! precedence, built-in functions, plans.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use surveyor_code::terraform::{read_all, read_hcl_str};
use surveyor_code::{CodeError, CodeOptions};
use surveyor_model::{Inventory, Value};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(p)
}

fn read_dir(dir: &Path, opts: &CodeOptions) -> Inventory {
    read_all(&[dir.to_path_buf()], &[], &[], dir, opts).unwrap()
}

fn note<'a>(inv: &'a Inventory, needle: &str) -> &'a surveyor_model::Note {
    inv.notes
        .iter()
        .find(|n| n.message.contains(needle))
        .unwrap_or_else(|| panic!("no note with {needle:?}: {:#?}", inv.notes))
}

#[test]
fn bad_hcl_is_noted_with_file_and_line_and_the_rest_is_mapped() {
    let inv = read_dir(&fixture("bad"), &CodeOptions::default());
    let syntax = note(&inv, "HCL syntax error");
    assert_eq!(syntax.file.as_deref(), Some("broken.tf"));
    assert!(matches!(syntax.line, Some(2) | Some(3)), "{syntax:?}");
    let cycle = note(&inv, "cycle");
    assert_eq!(cycle.file.as_deref(), Some("main.tf"));
    assert!(cycle.line.is_some_and(|l| l == 4 || l == 5), "{cycle:?}");
    let f = note(&inv, "unknown function frobnicate()");
    assert_eq!((f.file.as_deref(), f.line), (Some("main.tf"), Some(6)));
    let v = note(&inv, "variable `region` has no value");
    assert_eq!((v.file.as_deref(), v.line), (Some("main.tf"), Some(1)));
    let m = note(&inv, "is not installed");
    assert!(m.message.contains("module.remote"), "{m:?}");
    let names: BTreeMap<String, Option<Value>> = inv
        .resources
        .iter()
        .map(|r| {
            (
                r.code.as_ref().unwrap().address.clone().unwrap(),
                r.attributes
                    .get("QueueName")
                    .or(r.attributes.get("TopicName"))
                    .cloned(),
            )
        })
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(matches!(
        &names["aws_sqs_queue.cyclic"],
        Some(Value::Unresolved(_))
    ));
    assert_eq!(
        names["aws_sns_topic.fine"],
        Some(Value::Unresolved("\"still-mapped-${var.region}\"".into()))
    );
    // With the variable given, the same name resolves.
    let opts = CodeOptions {
        tf_vars: BTreeMap::from([("region".to_string(), "eu-west-1".to_string())]),
        ..Default::default()
    };
    let inv = read_dir(&fixture("bad"), &opts);
    let t = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::SNS::Topic")
        .unwrap();
    assert_eq!(t.name.as_deref(), Some("still-mapped-eu-west-1"));
}

#[test]
fn installed_registry_modules_are_read_from_modules_json() {
    let dir = fixture("installed");
    let inv = read_dir(&dir, &CodeOptions::default());
    let q = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::SQS::Queue")
        .expect("queue from the installed module");
    let c = q.code.as_ref().unwrap();
    assert_eq!(c.address.as_deref(), Some("module.q.aws_sqs_queue.this"));
    assert_eq!(c.file, ".terraform/modules/q/main.tf");
    assert_eq!(c.line, 5);
    assert_eq!(c.module, vec!["module.q".to_string()]);
    assert_eq!(q.name.as_deref(), Some("orders"));
    let sub = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::SNS::Subscription")
        .unwrap();
    assert_eq!(sub.attr("Endpoint"), Some(&Value::Ref(q.id.clone())));
}

#[test]
fn variables_follow_terraforms_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("main.tf"),
        "variable \"a\" { default = \"default\" }\nvariable \"b\" { default = \"default\" }\nvariable \"c\" { default = \"default\" }\nvariable \"n\" { default = 1 }\n\
         resource \"aws_sqs_queue\" \"q\" {\n  name = \"${var.a}-${var.b}-${var.c}\"\n  delay_seconds = var.n * 2\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("terraform.tfvars"),
        "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
    )
    .unwrap();
    std::fs::write(d.join("x.auto.tfvars"), "b = \"auto\"\nc = \"auto\"\n").unwrap();
    let extra = d.join("prod.tfvars");
    std::fs::write(&extra, "c = \"file\"\nn = 3\n").unwrap();
    let opts = CodeOptions {
        tf_var_files: vec![extra],
        tf_vars: BTreeMap::from([("a".to_string(), "cli".to_string())]),
        ..Default::default()
    };
    let inv = read_dir(d, &opts);
    let q = &inv.resources[0];
    assert_eq!(q.name.as_deref(), Some("cli-auto-file"));
    assert_eq!(q.attr("DelaySeconds").and_then(Value::as_i64), Some(6));
}

#[test]
fn built_in_functions_evaluate_as_terraform_does() {
    let src = r#"
locals {
  m = { a = 1, b = 2 }
  checks = {
    jsonencode  = jsonencode({ x = [1, "two"] })
    jsondecode  = jsondecode("{\"k\": [true]}")
    yamldecode  = yamldecode("a: 1\nb: [x, y]\n")
    format      = format("%s-%03d-%v", "q", 7, true)
    join_split  = join("|", split(",", "a,b,c"))
    merge       = merge(local.m, { c = 3 })
    lookup      = lookup(local.m, "z", "dflt")
    concat      = concat([1], [2, 3])
    flatten     = flatten([[1, [2]], [3]])
    distinct    = distinct([1, 1, 2])
    toset       = toset(["b", "a", "b"])
    length      = length(local.m)
    element     = element(["a", "b"], 3)
    keys        = keys(local.m)
    values      = values(local.m)
    contains    = contains(["a"], "a")
    coalesce    = coalesce("", null, "x")
    try         = try(local.m.nope, "fallback")
    can         = can(local.m.nope)
    cidrsubnet  = cidrsubnet("10.0.0.0/16", 8, 3)
    replace     = replace("a-b-c", "-", "_")
    case        = "${lower("AB")}${upper("cd")}"
    trim        = trim("--x--", "-")
    trimprefix  = trimprefix("prefix-x", "prefix-")
    trimsuffix  = trimsuffix("x.tf", ".tf")
    startswith  = startswith("abc", "ab") && endswith("abc", "bc")
    substr      = substr("hello", 1, 3)
    sort        = sort(["b", "c", "a"])
    range       = range(1, 7, 2)
    zipmap      = zipmap(["a", "b"], [1, 2])
    for_list    = [for k, v in local.m : "${k}=${v}" if v > 1]
    for_map     = { for k, v in local.m : upper(k) => v * 10 }
    conditional = length(local.m) > 1 ? "many" : "one"
    template    = "%{ for k in keys(local.m) }<${k}>%{ endfor }"
  }
}

resource "aws_ssm_parameter" "check" {
  for_each = local.checks
  name     = each.key
  type     = "String"
  value    = jsonencode(each.value)
}
"#;
    let inv = read_hcl_str(src);
    assert!(inv.notes.is_empty(), "{:#?}", inv.notes);
    let got: BTreeMap<String, serde_json::Value> = inv
        .resources
        .iter()
        .map(|r| {
            let v = r
                .attr_str("Value")
                .unwrap_or_else(|| panic!("{:?}", r.attributes));
            (r.name.clone().unwrap(), serde_json::from_str(v).unwrap())
        })
        .collect();
    let want: serde_json::Value = serde_json::json!({
        "jsonencode": "{\"x\":[1,\"two\"]}",
        "jsondecode": {"k": [true]},
        "yamldecode": {"a": 1, "b": ["x", "y"]},
        "format": "q-007-true",
        "join_split": "a|b|c",
        "merge": {"a": 1, "b": 2, "c": 3},
        "lookup": "dflt",
        "concat": [1, 2, 3],
        "flatten": [1, 2, 3],
        "distinct": [1, 2],
        "toset": ["a", "b"],
        "length": 2,
        "element": "b",
        "keys": ["a", "b"],
        "values": [1, 2],
        "contains": true,
        "coalesce": "x",
        "try": "fallback",
        "can": false,
        "cidrsubnet": "10.0.3.0/24",
        "replace": "a_b_c",
        "case": "abCD",
        "trim": "x",
        "trimprefix": "x",
        "trimsuffix": "x",
        "startswith": true,
        "substr": "ell",
        "sort": ["a", "b", "c"],
        "range": [1, 3, 5],
        "zipmap": {"a": 1, "b": 2},
        "for_list": ["b=2"],
        "for_map": {"A": 10, "B": 20},
        "conditional": "many",
        "template": "<a><b>",
    });
    let want: BTreeMap<String, serde_json::Value> = serde_json::from_value(want).unwrap();
    for (k, w) in &want {
        assert_eq!(got.get(k), Some(w), "{k}");
    }
    assert_eq!(got.len(), want.len());
}

#[test]
fn references_inside_strings_stay_unresolved_but_whole_references_are_refs() {
    let inv = read_hcl_str(
        r#"
resource "aws_sqs_queue" "dlq" { name = "d" }
resource "aws_sqs_queue" "q" {
  name           = "${aws_sqs_queue.dlq.name}-main"
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 4 })
}
resource "aws_sns_topic" "t" {
  count = 2
  name  = "t${count.index}"
}
resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name    = "a"
  alarm_actions = aws_sns_topic.t[*].arn
}
"#,
    );
    let q = inv
        .resources
        .iter()
        .find(|r| r.id.as_str().ends_with("aws_sqs_queue.q"))
        .unwrap();
    assert!(matches!(q.attr("QueueName"), Some(Value::Unresolved(_))));
    assert_eq!(
        q.attr("RedrivePolicy.deadLetterTargetArn"),
        Some(&Value::Ref("AWS::SQS::Queue::aws_sqs_queue.dlq".into()))
    );
    let a = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::CloudWatch::Alarm")
        .unwrap();
    assert_eq!(
        a.attr("AlarmActions"),
        Some(&Value::List(vec![
            Value::Ref("AWS::SNS::Topic::aws_sns_topic.t[0]".into()),
            Value::Ref("AWS::SNS::Topic::aws_sns_topic.t[1]".into()),
        ]))
    );
}

#[test]
fn a_state_of_an_unknown_version_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.tfstate");
    std::fs::write(&p, r#"{"version": 2, "serial": 1, "modules": []}"#).unwrap();
    let err = read_all(
        &[],
        std::slice::from_ref(&p),
        &[],
        dir.path(),
        &CodeOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CodeError::Invalid { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("old.tfstate") && msg.contains("version 2"),
        "{msg}"
    );
    std::fs::write(&p, "{\"version\": 4,\n \"resources\": [\n  {oops}\n]}").unwrap();
    let err = read_all(&[], &[p], &[], dir.path(), &CodeOptions::default()).unwrap_err();
    assert!(matches!(err, CodeError::Syntax { line: 3, .. }), "{err}");
}

#[test]
fn a_plan_gives_planned_resources_and_a_change_summary() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plan.json");
    std::fs::write(
        &p,
        r#"{"format_version":"1.2","terraform_version":"1.7.5",
"planned_values":{"root_module":{"resources":[
 {"address":"aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","values":{"name":"jobs","visibility_timeout_seconds":60}}],
 "child_modules":[{"address":"module.m","resources":[
 {"address":"module.m.aws_sns_topic.t[\"a\"]","mode":"managed","type":"aws_sns_topic","name":"t","index":"a","values":{"name":"alerts"}}]}]}},
"resource_changes":[
 {"address":"aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","change":{"actions":["create"]}},
 {"address":"module.m.aws_sns_topic.t[\"a\"]","mode":"managed","type":"aws_sns_topic","name":"t","change":{"actions":["delete","create"]}},
 {"address":"aws_s3_bucket.old","mode":"managed","type":"aws_s3_bucket","name":"old","change":{"actions":["delete"]}},
 {"address":"aws_s3_bucket.same","mode":"managed","type":"aws_s3_bucket","name":"same","change":{"actions":["no-op"]}}]}"#,
    )
    .unwrap();
    let inv = read_all(&[], &[], &[p], dir.path(), &CodeOptions::default()).unwrap();
    assert_eq!(inv.resources.len(), 2);
    let t = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::SNS::Topic")
        .unwrap();
    let c = t.code.as_ref().unwrap();
    assert_eq!(c.source_kind, surveyor_model::SourceKind::Tfplan);
    assert_eq!(c.module, vec!["module.m".to_string()]);
    assert_eq!(c.line, 5);
    let n = note(&inv, "Terraform plan:");
    assert!(
        n.message.contains("1 to create (aws_sqs_queue.q)"),
        "{}",
        n.message
    );
    assert!(n.message.contains("1 to replace"), "{}", n.message);
    assert!(
        n.message.contains("1 to delete (aws_s3_bucket.old)"),
        "{}",
        n.message
    );
    assert!(n.message.contains("1 unchanged"), "{}", n.message);
}

#[test]
fn extreme_function_arguments_fail_softly() {
    let inv = read_hcl_str(
        r#"
resource "aws_sqs_queue" "q" {
  name          = substr("abcdef", -2, 1e18)
  delay_seconds = cidrsubnet("10.0.0.0/8", 4294967295, 0)
  tags = {
    r = length(range(0, 1e12))
    c = element([], 1)
  }
}
"#,
    );
    let q = &inv.resources[0];
    assert_eq!(q.name.as_deref(), Some("ef"));
    assert!(matches!(q.attr("DelaySeconds"), Some(Value::Unresolved(_))));
    assert!(
        inv.notes.iter().any(|n| n.message.contains("cidrsubnet")),
        "{:#?}",
        inv.notes
    );
    assert!(
        inv.notes
            .iter()
            .any(|n| n.message.contains("range too long")),
        "{:#?}",
        inv.notes
    );
}

#[test]
fn policy_attachments_fold_onto_their_role_and_unmapped_types_are_counted_once_each() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_iam_role" "app" {
  name                = "app"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
resource "aws_iam_role_policy_attachment" "ro_again" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_role_policy_attachment" "sqs" {
  role       = "app"
  policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess"
}
resource "aws_iam_role_policy_attachment" "elsewhere" {
  role       = "a-role-made-by-hand"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_user_login_profile" "ops" {
  count = 2
  user  = "ops${count.index}"
}
resource "aws_ce_anomaly_monitor" "spend" {
  name = "spend"
}
"#,
    )
    .unwrap();
    let inv = read_dir(dir.path(), &CodeOptions::default());
    let role = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::IAM::Role")
        .expect("the role");
    // By reference and by name; a policy the role already lists is not listed twice.
    assert_eq!(
        role.attr("ManagedPolicyArns"),
        Some(&Value::List(vec![
            Value::str("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Value::str("arn:aws:iam::aws:policy/AmazonSQSFullAccess"),
        ]))
    );
    assert_eq!(inv.resources.len(), 1, "{:?}", inv.resources);
    let orphan = note(&inv, "could not be merged");
    assert!(
        orphan
            .message
            .contains("aws_iam_role_policy_attachment.elsewhere"),
        "{orphan:?}"
    );
    let unmapped = note(&inv, "no CloudFormation equivalent");
    assert!(
        unmapped.message.starts_with("3 Terraform resources")
            && unmapped
                .message
                .ends_with("aws_ce_anomaly_monitor ×1, aws_iam_user_login_profile ×2"),
        "{unmapped:?}"
    );
}

/// The functions beyond the issue's list, with the results Terraform's documentation gives.
#[test]
fn more_built_in_functions_match_terraforms_documented_results() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "files/a.txt",
        "files/b.txt",
        "files/sub/c.txt",
        "files/d.json",
    ] {
        let p = dir.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x").unwrap();
    }
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
locals {
  checks = {
    base64decode    = base64decode("SGVsbG8gV29ybGQ=")
    urlencode       = urlencode("Hello World! ☃")
    cidrnetmask     = cidrnetmask("172.16.0.0/12")
    cidrsubnets     = cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
    parseint        = [parseint("100", 10), parseint("FF", 16), parseint("-10", 16), parseint("aA", 62)]
    pow_signum_log  = [pow(3, 2), signum(-13), signum(0), log(16, 2)]
    strrev          = strrev("hello")
    setintersection = setintersection(["a", "b"], ["b", "c"], ["b", "d"])
    setsubtract     = setsubtract(["a", "b", "c"], ["a", "c"])
    setproduct      = setproduct(["development", "staging"], ["app1", "app2"])
    transpose       = transpose({ a = ["1", "2"], b = ["2", "3"] })
    matchkeys       = matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])
    fileset_star    = fileset(path.module, "files/*.txt")
    fileset_deep    = fileset(path.module, "files/**/*.txt")
    fileset_class   = fileset(path.module, "files/[!a]*")
    regex_plain     = regex("[a-z]+", "53453453.345345aaabbbccc23454")
    regex_groups    = regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")
    regex_named     = regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")
    regexall        = regexall("[a-z]+", "1234abcd5678efgh9")
    az_is_named     = length(regexall("^[a-z]{2}-", "us-east-1a")) > 0
    replace_regex   = [replace("hello world", "/w.*d/", "everybody"), replace("a1b22", "/[^0-9A-Za-z]*([0-9]+)/", "<$1>")]
  }
}

resource "aws_ssm_parameter" "check" {
  for_each = local.checks
  name     = each.key
  type     = "String"
  value    = jsonencode(each.value)
}

resource "aws_ssm_parameter" "bad" {
  name  = "bad"
  type  = "String"
  value = parseint("12", 2)
}

resource "aws_ssm_parameter" "unevaluated" {
  name  = "unevaluated"
  type  = "String"
  value = sha512(templatestring("x", {}))
}
"#,
    )
    .unwrap();
    let inv = read_dir(dir.path(), &CodeOptions::default());
    let value = |name: &str| {
        inv.resources
            .iter()
            .find(|r| r.name.as_deref() == Some(name))
            .and_then(|r| r.attributes.get("Value"))
            .unwrap_or_else(|| panic!("no parameter {name}"))
    };
    let want = serde_json::json!({
        "base64decode": "Hello World",
        "urlencode": "Hello+World%21+%E2%98%83",
        "cidrnetmask": "255.240.0.0",
        "cidrsubnets": ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"],
        "parseint": [100, 255, -16, 656],
        "pow_signum_log": [9, -1, 0, 4],
        "strrev": "olleh",
        "setintersection": ["b"],
        "setsubtract": ["b"],
        "setproduct": [["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]],
        "transpose": {"1": ["a"], "2": ["a", "b"], "3": ["b"]},
        "matchkeys": ["i-abc", "i-def"],
        "fileset_star": ["files/a.txt", "files/b.txt"],
        "fileset_deep": ["files/a.txt", "files/b.txt", "files/sub/c.txt"],
        "fileset_class": ["files/b.txt", "files/d.json"],
        "regex_plain": "aaabbbccc",
        "regex_groups": ["2019", "02", "01"],
        "regex_named": {"authority": "terraform.io", "scheme": "https"},
        "regexall": ["abcd", "efgh"],
        "az_is_named": true,
        "replace_regex": ["hello everybody", "a<1>b<22>"],
    });
    for (k, w) in want.as_object().unwrap() {
        let got: serde_json::Value = serde_json::from_str(
            value(k)
                .as_str()
                .unwrap_or_else(|| panic!("{k}: {:?}", value(k))),
        )
        .unwrap();
        assert_eq!(&got, w, "{k}");
    }
    // A wrong digit is an error at the line of the call; hashes and the like stay
    // unresolved without a note.
    let bad = note(&inv, "parseint");
    assert_eq!(
        (bad.file.as_deref(), bad.line),
        (Some("main.tf"), Some(38)),
        "{bad:?}"
    );
    assert!(
        matches!(value("bad"), Value::Unresolved(_)),
        "{:?}",
        value("bad")
    );
    assert!(matches!(value("unevaluated"), Value::Unresolved(_)));
    assert_eq!(inv.notes.len(), 1, "{:#?}", inv.notes);
}

/// A module repository: its root module, and an example that calls it with `../../`.
#[test]
fn a_root_called_only_by_its_own_examples_is_still_a_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("main.tf"),
        "variable \"name\" { default = \"jobs\" }\nresource \"aws_sqs_queue\" \"this\" { name = var.name }\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("examples/complete")).unwrap();
    std::fs::write(
        root.join("examples/complete/main.tf"),
        "module \"q\" {\n  source = \"../../\"\n  name   = \"example\"\n}\n",
    )
    .unwrap();
    // A sibling module called by the root stays a module.
    std::fs::create_dir_all(root.join("modules/extra")).unwrap();
    std::fs::write(
        root.join("modules/extra/main.tf"),
        "resource \"aws_sns_topic\" \"t\" { name = \"extra\" }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("extra.tf"),
        "module \"extra\" { source = \"./modules/extra\" }\n",
    )
    .unwrap();
    // Detected as the CLI does: every folder with `.tf` files under the PATH.
    let inv = surveyor_code::read_paths(&[root.to_path_buf()], &CodeOptions::default()).unwrap();
    let mut got: Vec<(String, String)> = inv
        .resources
        .iter()
        .map(|r| {
            (
                r.code.as_ref().unwrap().address.clone().unwrap(),
                r.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, String)> = [
        ("aws_sqs_queue.this", "jobs"),
        ("module.extra.aws_sns_topic.t", "extra"),
        ("module.q.aws_sqs_queue.this", "example"),
        ("module.q.module.extra.aws_sns_topic.t", "extra"),
    ]
    .iter()
    .map(|(a, n)| (a.to_string(), n.to_string()))
    .collect();
    assert_eq!(got, want, "{:#?} {:#?}", inv.stacks, inv.notes);
    let roots: Vec<&str> = inv.stacks.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(roots.len(), 2, "{roots:?}");
    assert!(roots.contains(&"examples/complete"), "{roots:?}");
}

/// Patterns of the public VPC module that must resolve the way Terraform plans them.
#[test]
fn unknowns_resolve_where_terraform_knows_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("complete");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("main.tf"),
        r#"
data "aws_availability_zones" "available" {}
variable "secondary" { default = [] }
locals {
  azs  = slice(data.aws_availability_zones.available.names, 0, 3)
  name = "ex-${basename(path.cwd)}"
}
resource "aws_vpc" "this" {
  count      = 1
  cidr_block = "10.0.0.0/16"
}
# A type the map does not hold, with no instances: its splat is an empty list.
resource "aws_vpc_ipv4_cidr_block_association" "this" {
  count      = length(var.secondary)
  vpc_id     = aws_vpc.this[0].id
  cidr_block = var.secondary[count.index]
}
resource "aws_internet_gateway" "this" {
  count  = length(local.azs) > 0 ? 1 : 0
  vpc_id = element(concat(aws_vpc_ipv4_cidr_block_association.this.*.vpc_id, aws_vpc.this.*.id, [""]), 0)
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this[0].id
}
resource "aws_route" "internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}
# `unknown && false` is false, whichever side is unknown.
resource "aws_subnet" "never" {
  count      = length(local.azs) > 0 && false ? 1 : 0
  vpc_id     = aws_vpc.this[0].id
  cidr_block = "10.0.9.0/24"
}
resource "aws_sqs_queue" "named" {
  name = local.name
  # try() of an unknown is unknown: it does not fall back to the default.
  kms_master_key_id = try(coalesce(null, data.aws_availability_zones.available.id), null)
}
"#,
    )
    .unwrap();
    let inv = read_dir(&root, &CodeOptions::default());
    let by_addr = |a: &str| {
        inv.resources
            .iter()
            .find(|r| {
                r.code.as_ref().unwrap().address.as_deref() == Some(a)
                    && r.type_name != "AWS::EC2::VPCGatewayAttachment"
            })
            .unwrap_or_else(|| panic!("no {a}: {:#?}", inv.resources))
    };
    let vpc = Value::Ref("AWS::EC2::VPC::aws_vpc.this[0]".into());
    assert_eq!(
        by_addr("aws_internet_gateway.this").attr("VpcId"),
        Some(&vpc)
    );
    assert_eq!(
        by_addr("aws_route.internet").attr("GatewayId"),
        Some(&Value::Ref(
            "AWS::EC2::InternetGateway::aws_internet_gateway.this".into()
        ))
    );
    assert!(
        !inv.resources
            .iter()
            .any(|r| r.type_name == "AWS::EC2::Subnet"),
        "{:#?}",
        inv.resources
    );
    let q = by_addr("aws_sqs_queue.named");
    assert_eq!(q.attr_str("QueueName"), Some("ex-complete"));
    assert!(
        matches!(q.attr("KmsMasterKeyId"), Some(Value::Unresolved(_))),
        "{:?}",
        q.attributes
    );
}

/// `optional(T, default)` in a variable's type fills what the value leaves out, at the root
/// and in a module, nested in maps of objects.
#[test]
fn optional_attribute_defaults_of_variable_types_apply() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("modules/q")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        r#"
variable "sse" {
  type = object({
    enabled     = optional(bool, true)
    kms_key_arn = optional(string)
  })
  default = {}
}
resource "aws_sqs_queue" "root" {
  name                    = "root"
  sqs_managed_sse_enabled = var.sse.enabled
  kms_master_key_id       = var.sse.kms_key_arn
}
module "q" {
  source = "./modules/q"
  queues = {
    jobs    = {}
    reports = { visibility = 900, dlq = { max_receives = 3 } }
  }
}
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("modules/q/main.tf"),
        r#"
variable "queues" {
  type = map(object({
    visibility = optional(number, 30)
    dlq = optional(object({
      max_receives = optional(number, 5)
      retention    = optional(number, 1209600)
    }), {})
  }))
}
resource "aws_sqs_queue" "this" {
  for_each                   = var.queues
  name                       = each.key
  visibility_timeout_seconds = each.value.visibility
  message_retention_seconds  = each.value.dlq.retention
  delay_seconds              = each.value.dlq.max_receives
}
"#,
    )
    .unwrap();
    let inv = read_dir(root, &CodeOptions::default());
    assert!(inv.notes.is_empty(), "{:#?}", inv.notes);
    let q = |name: &str| {
        inv.resources
            .iter()
            .find(|r| r.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no {name}: {:#?}", inv.resources))
    };
    let num = |name: &str, p: &str| q(name).attr(p).and_then(Value::as_i64);
    assert_eq!(
        q("root").attr("SqsManagedSseEnabled"),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        q("root").attr("KmsMasterKeyId"),
        None,
        "optional(string) is null"
    );
    assert_eq!(num("jobs", "VisibilityTimeout"), Some(30));
    assert_eq!(num("jobs", "DelaySeconds"), Some(5));
    assert_eq!(num("jobs", "MessageRetentionPeriod"), Some(1209600));
    assert_eq!(num("reports", "VisibilityTimeout"), Some(900));
    assert_eq!(num("reports", "DelaySeconds"), Some(3));
    assert_eq!(num("reports", "MessageRetentionPeriod"), Some(1209600));
}

/// The AWS provider's split-out bucket resources are properties of `AWS::S3::Bucket`.
#[test]
fn bucket_configuration_resources_fold_onto_the_bucket() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_s3_bucket" "site" { bucket = "site" }
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = aws_s3_bucket.site.id
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://example.com"]
    max_age_seconds = 3000
  }
}
resource "aws_s3_bucket_website_configuration" "w" {
  bucket = aws_s3_bucket.site.id
  index_document { suffix = "index.html" }
  error_document { key = "error.html" }
}
resource "aws_s3_bucket_logging" "l" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = "logs"
  target_prefix = "site/"
}
resource "aws_s3_bucket_accelerate_configuration" "a" {
  bucket = aws_s3_bucket.site.bucket
  status = "Enabled"
}
resource "aws_s3_bucket_ownership_controls" "o" {
  bucket = aws_s3_bucket.site.id
  rule { object_ownership = "BucketOwnerEnforced" }
}
resource "aws_s3_bucket_object_lock_configuration" "k" {
  bucket = aws_s3_bucket.site.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 5
    }
  }
}
resource "aws_s3_bucket_acl" "acl" {
  bucket = aws_s3_bucket.site.id
  acl    = "log-delivery-write"
}
resource "aws_s3_bucket_lifecycle_configuration" "lc" {
  bucket = aws_s3_bucket.site.id
  rule {
    id     = "tidy"
    status = "Enabled"
    filter {
      and {
        prefix                   = "tmp/"
        object_size_greater_than = 1024
        tags                     = { class = "scratch" }
      }
    }
    abort_incomplete_multipart_upload { days_after_initiation = 7 }
    noncurrent_version_transition {
      noncurrent_days = 30
      storage_class   = "GLACIER"
    }
  }
}
"#,
    )
    .unwrap();
    let inv = read_dir(dir.path(), &CodeOptions::default());
    assert_eq!(inv.resources.len(), 1, "{:#?}", inv.resources);
    assert!(inv.notes.is_empty(), "{:#?}", inv.notes);
    let got = inv.resources[0].attributes.clone();
    let got: serde_json::Value = serde_json::to_value(&got).unwrap();
    let want = serde_json::json!({
        "BucketName": "site",
        "CorsConfiguration": {"CorsRules": [{
            "AllowedMethods": ["GET"], "AllowedOrigins": ["https://example.com"], "MaxAge": 3000
        }]},
        "WebsiteConfiguration": {"IndexDocument": "index.html", "ErrorDocument": "error.html"},
        "LoggingConfiguration": {"DestinationBucketName": "logs", "LogFilePrefix": "site/"},
        "AccelerateConfiguration": {"AccelerationStatus": "Enabled"},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "ObjectLockEnabled": true,
        "ObjectLockConfiguration": {
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 5}}
        },
        "AccessControl": "LogDeliveryWrite",
        "LifecycleConfiguration": {"Rules": [{
            "Id": "tidy",
            "Status": "Enabled",
            "Prefix": "tmp/",
            "ObjectSizeGreaterThan": 1024,
            "TagFilters": [{"Key": "class", "Value": "scratch"}],
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            "NoncurrentVersionTransitions": [{"StorageClass": "GLACIER", "TransitionInDays": 30}]
        }]}
    });
    assert_eq!(got, want);
}

/// The public S3 module names the bucket through its policy (`aws_s3_bucket_policy.this.id`
/// is the bucket's name): the block still belongs to the bucket, not to the policy.
#[test]
fn a_fold_through_a_sibling_resource_reaches_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_s3_bucket" "this" { bucket = "data" }
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket_policy.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"#,
    )
    .unwrap();
    let inv = read_dir(dir.path(), &CodeOptions::default());
    let of = |ty: &str| {
        inv.resources
            .iter()
            .find(|r| r.type_name == ty)
            .unwrap_or_else(|| panic!("no {ty}: {:#?}", inv.resources))
    };
    assert_eq!(
        of("AWS::S3::Bucket").attr("PublicAccessBlockConfiguration.BlockPublicPolicy"),
        Some(&Value::Bool(true))
    );
    assert!(of("AWS::S3::BucketPolicy")
        .attr("PublicAccessBlockConfiguration")
        .is_none());
}

/// What `terraform validate` refuses is noted where it is written: a `var.` name no
/// `variable` block declares, and a module argument the module has no variable for.
#[test]
fn undeclared_variables_and_module_arguments_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("modules/q")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        "module \"q\" {\n  source = \"./modules/q\"\n  name   = \"jobs\"\n  colour = \"blue\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("modules/q/main.tf"),
        "variable \"name\" {}\n\nresource \"aws_sqs_queue\" \"q\" {\n  name       = var.name\n  fifo_queue = var.fifo\n}\n",
    )
    .unwrap();
    let inv = read_dir(root, &CodeOptions::default());
    let arg = note(&inv, "no variable `colour`");
    assert_eq!(
        (arg.file.as_deref(), arg.line),
        (Some("main.tf"), Some(1)),
        "{arg:?}"
    );
    let var = note(&inv, "var.fifo");
    assert!(
        var.message.contains("no `variable` block declares it"),
        "{var:?}"
    );
    assert_eq!(
        (var.file.as_deref(), var.line),
        (Some("modules/q/main.tf"), Some(5)),
        "{var:?}"
    );
    assert_eq!(inv.notes.len(), 2, "{:#?}", inv.notes);
    // The rest is mapped.
    assert_eq!(inv.resources[0].attr_str("QueueName"), Some("jobs"));
}

#[test]
fn provider_sentinels_and_single_blocks_map_as_cloudformation_holds_them() {
    let inv = read_hcl_str(
        r#"
resource "aws_lambda_function" "f" {
  function_name                  = "f"
  role                           = "arn:aws:iam::123456789012:role/r"
  reserved_concurrent_executions = -1
}
resource "aws_lambda_function" "g" {
  function_name                  = "g"
  role                           = "arn:aws:iam::123456789012:role/r"
  reserved_concurrent_executions = 5
}
resource "aws_ecs_cluster" "c" {
  name = "c"
  configuration {
    execute_command_configuration { logging = "DEFAULT" }
  }
}
"#,
    );
    let by = |n: &str| {
        inv.resources
            .iter()
            .find(|r| r.name.as_deref() == Some(n))
            .unwrap()
    };
    assert_eq!(by("f").attr("ReservedConcurrentExecutions"), None);
    assert_eq!(
        by("g")
            .attr("ReservedConcurrentExecutions")
            .and_then(Value::as_i64),
        Some(5)
    );
    assert!(
        matches!(by("c").attr("Configuration"), Some(Value::Map(_))),
        "{:?}",
        by("c").attributes
    );
}

/// `try(jsondecode(var.x), var.x)`: a list (even with unknown elements) is not JSON text,
/// so `try` takes the list itself, and its length is known.
#[test]
fn try_jsondecode_of_a_list_falls_through_to_the_list() {
    let inv = read_hcl_str(
        r#"
data "aws_canonical_user_id" "me" {}
variable "grant" {
  default = [{ id = "x", permission = "READ" }]
}
locals {
  grants = try(jsondecode(var.grant), var.grant)
  mine   = try(jsondecode([{ id = data.aws_canonical_user_id.me.id }]), [{ id = data.aws_canonical_user_id.me.id }])
  doc    = try(jsondecode("{\"a\": 1}"), {})
}
resource "aws_sqs_queue" "q" {
  count         = length(local.grants) + length(local.mine)
  name          = "q${count.index}"
  delay_seconds = local.doc.a
}
"#,
    );
    assert!(inv.notes.is_empty(), "{:#?}", inv.notes);
    assert_eq!(inv.resources.len(), 2, "{:#?}", inv.resources);
    assert_eq!(
        inv.resources[0]
            .attr("DelaySeconds")
            .and_then(Value::as_i64),
        Some(1)
    );
}

/// Older provider names and attributes, and blocks CloudFormation shapes differently, as the
/// public modules write them.
#[test]
fn legacy_names_and_shapes_map_to_cloudformation_properties() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_alb" "main" {
  name     = "web"
  internal = false
  subnets  = ["subnet-1", "subnet-2"]
  tags     = "${merge(map("Name", "web"), map("team", "core"))}"
}
resource "aws_alb_target_group" "tg" {
  name     = "tg"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-1"
  health_check { path = "/health" }
}
resource "aws_alb_listener" "https" {
  load_balancer_arn = aws_alb.main.arn
  port              = "443"
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
  default_action {
    target_group_arn = aws_alb_target_group.tg.arn
    type             = "forward"
  }
}
resource "aws_eip" "nat" { vpc = true }
resource "aws_vpn_gateway" "this" {
  vpc_id            = "vpc-1"
  availability_zone = "us-east-1a"
}
resource "aws_dynamodb_table" "t" {
  name             = "t"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_dynamodb_table" "quiet" {
  name           = "quiet"
  hash_key       = "id"
  stream_enabled = false
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_ecs_cluster" "c" {
  name = "c"
  configuration {
    execute_command_configuration {
      logging = "OVERRIDE"
      log_configuration { cloud_watch_log_group_name = "/ecs/exec" }
    }
  }
}
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = "{}"
}
resource "aws_s3_bucket" "data" { bucket = "data" }
resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = element(concat(aws_s3_bucket_policy.logs.*.id, aws_s3_bucket.logs.*.id, [""]), 0)
}
"#,
    )
    .unwrap();
    let inv = read_dir(dir.path(), &CodeOptions::default());
    assert!(inv.notes.is_empty(), "{:#?}", inv.notes);
    let by = |a: &str| {
        let r = inv
            .resources
            .iter()
            .find(|r| r.code.as_ref().unwrap().address.as_deref() == Some(a))
            .unwrap_or_else(|| panic!("no {a}"));
        serde_json::to_value(&r.attributes).unwrap()
    };
    let lb = by("aws_alb.main");
    assert_eq!(lb["Scheme"], "internet-facing", "{lb}");
    assert!(lb.get("Internal").is_none(), "{lb}");
    let tags = &inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::ElasticLoadBalancingV2::LoadBalancer")
        .unwrap()
        .tags;
    assert_eq!(tags.get("team").map(String::as_str), Some("core"));
    assert_eq!(by("aws_alb_target_group.tg")["HealthCheckPath"], "/health");
    let l = by("aws_alb_listener.https");
    assert_eq!(l["Port"], 443, "{l}");
    assert_eq!(
        l["Certificates"][0]["CertificateArn"],
        "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        "{l}"
    );
    assert_eq!(l["DefaultActions"][0]["Type"], "forward", "{l}");
    assert_eq!(by("aws_eip.nat")["Domain"], "vpc");
    let vgw = by("aws_vpn_gateway.this");
    assert_eq!(vgw["Type"], "ipsec.1");
    assert!(vgw.get("AvailabilityZone").is_none(), "{vgw}");
    assert_eq!(
        by("aws_dynamodb_table.t")["StreamSpecification"],
        serde_json::json!({"StreamViewType": "NEW_IMAGE"})
    );
    let quiet = by("aws_dynamodb_table.quiet");
    assert!(
        quiet.get("StreamSpecification").is_none() && quiet.get("StreamEnabled").is_none(),
        "{quiet}"
    );
    assert_eq!(
        by("aws_ecs_cluster.c")["Configuration"],
        serde_json::json!({"ExecuteCommandConfiguration": {
            "Logging": "OVERRIDE",
            "LogConfiguration": {"CloudWatchLogGroupName": "/ecs/exec"}
        }})
    );
    assert_eq!(
        by("aws_s3_bucket.data")["LoggingConfiguration"]["DestinationBucketName"],
        serde_json::json!({"ref": "AWS::S3::Bucket::aws_s3_bucket.logs"})
    );
}

#[test]
fn target_group_stickiness_and_deregistration_are_target_group_attributes() {
    let inv = read_hcl_str(
        r#"
resource "aws_lb_target_group" "tg" {
  name                 = "tg"
  port                 = 80
  protocol             = "HTTP"
  deregistration_delay = 30
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
    enabled         = true
  }
}
"#,
    );
    let a = serde_json::to_value(&inv.resources[0].attributes).unwrap();
    assert_eq!(
        a["TargetGroupAttributes"],
        serde_json::json!([
            {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
            {"Key": "stickiness.enabled", "Value": "true"},
            {"Key": "stickiness.type", "Value": "lb_cookie"},
            {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "3600"}
        ]),
        "{a}"
    );
    assert!(
        a.get("Stickiness").is_none() && a.get("DeregistrationDelay").is_none(),
        "{a}"
    );
}
