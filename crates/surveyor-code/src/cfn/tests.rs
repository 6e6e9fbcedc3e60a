use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use surveyor_model::{Inventory, NoteLevel, Resource, ResourceId, SourceKind, Value};

use super::*;

fn read(text: &str) -> Inventory {
    parse_template_str(text, Path::new("app.yaml")).unwrap()
}

fn res<'a>(inv: &'a Inventory, logical: &str) -> &'a Resource {
    inv.resources
        .iter()
        .find(|r| r.code.as_ref().and_then(|c| c.logical_id.as_deref()) == Some(logical))
        .unwrap_or_else(|| panic!("no resource {logical}"))
}

fn attr<'a>(inv: &'a Inventory, logical: &str, path: &str) -> &'a Value {
    res(inv, logical)
        .attr(path)
        .unwrap_or_else(|| panic!("{logical} has no {path}"))
}

fn id(ty: &str, logical: &str) -> Value {
    Value::Ref(ResourceId::of(ty, &format!("app/{logical}")))
}

fn warnings(inv: &Inventory) -> Vec<String> {
    inv.notes
        .iter()
        .filter(|n| n.level == NoteLevel::Warning)
        .map(|n| {
            format!(
                "{}:{}: {}",
                n.file.as_deref().unwrap_or(""),
                n.line.unwrap_or(0),
                n.message
            )
        })
        .collect()
}

/// A file set in a fresh folder, read together as CloudFormation templates.
fn read_files(files: &[(&str, &str)], account: Option<&str>, region: Option<&str>) -> Inventory {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        if !name.contains("nested/") && (name.ends_with(".yaml") || name.ends_with(".json")) {
            let mut input = TemplateInput::file(&p, dir.path());
            input.account = account.map(str::to_string);
            input.region = region.map(str::to_string);
            inputs.push(input);
        }
    }
    read_templates(inputs, dir.path(), &CodeOptions::default()).unwrap()
}

const INTRINSICS: &str = r#"
Parameters:
  Env: {Type: String, Default: prod}
  Subnets: {Type: CommaDelimitedList, Default: "a,b,c"}
  NoDefault: {Type: String}
Mappings:
  Sizes:
    prod: {Memory: 1024}
    dev: {Memory: 128}
Resources:
  Dlq:
    Type: AWS::SQS::Queue
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${Env}-jobs"
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
        maxReceiveCount: 5
      LongForm: {"Fn::GetAtt": ["Dlq", "Arn"]}
      Plain: !Ref Dlq
      Joined: !Join ["-", [!Ref Env, x, 3]]
      JoinedRef: !Join ["", [!GetAtt Dlq.Arn, "/*"]]
      Picked: !Select [1, !Ref Subnets]
      Split: !Split [",", "p,q"]
      PickedSplit: !Select [0, !Split ["|", "left|right"]]
      Mapped: !FindInMap [Sizes, !Ref Env, Memory]
      SubMap: !Sub ["${A}-${B}", {A: one, B: !Ref Env}]
      SubRef: !Sub "${Dlq}"
      SubMixed: !Sub "arn:aws:s3:::${Dlq}/*"
      SubEscape: !Sub "${!Literal}-${AWS::Region}"
      Region: !Ref AWS::Region
      Partition: !Ref AWS::Partition
      Stack: !Ref AWS::StackName
      Url: !Ref AWS::URLSuffix
      Azs: !GetAZs ""
      Encoded: !Base64 "hello"
      Blocks: !Cidr ["10.0.0.0/16", 2, 8]
      Gone: !Ref AWS::NoValue
      Missing: !Ref NoDefault
      List: [a, !Ref AWS::NoValue, b]
"#;

#[test]
fn intrinsic_functions_resolve() {
    let inv = read(INTRINSICS);
    let q = |p: &str| attr(&inv, "Queue", p).clone();
    let dlq = id("AWS::SQS::Queue", "Dlq");
    assert_eq!(q("QueueName"), Value::str("prod-jobs"));
    assert_eq!(q("RedrivePolicy.deadLetterTargetArn"), dlq);
    assert_eq!(q("RedrivePolicy.maxReceiveCount"), Value::int(5));
    assert_eq!(q("LongForm"), dlq);
    assert_eq!(q("Plain"), dlq);
    assert_eq!(q("Joined"), Value::str("prod-x-3"));
    assert_eq!(q("JoinedRef"), Value::Unresolved("${Dlq}/*".into()));
    assert_eq!(q("Picked"), Value::str("b"));
    assert_eq!(
        q("Split"),
        Value::List(vec![Value::str("p"), Value::str("q")])
    );
    assert_eq!(q("PickedSplit"), Value::str("left"));
    assert_eq!(q("Mapped"), Value::int(1024));
    assert_eq!(q("SubMap"), Value::str("one-prod"));
    assert_eq!(
        q("SubRef"),
        dlq,
        "a Sub of exactly one reference is that reference"
    );
    assert_eq!(
        q("SubMixed"),
        Value::Unresolved("arn:aws:s3:::${Dlq}/*".into())
    );
    assert_eq!(
        q("SubEscape"),
        Value::Unresolved("${Literal}-${AWS::Region}".into()),
        "no region was given"
    );
    assert_eq!(q("Region"), Value::Unresolved("${AWS::Region}".into()));
    assert_eq!(q("Partition"), Value::str("aws"));
    assert_eq!(q("Stack"), Value::str("app"));
    assert_eq!(q("Url"), Value::str("amazonaws.com"));
    assert!(matches!(q("Azs"), Value::Unresolved(t) if t.contains("GetAZs")));
    assert_eq!(q("Encoded"), Value::str("aGVsbG8="));
    assert_eq!(
        q("Blocks"),
        Value::List(vec![Value::str("10.0.0.0/24"), Value::str("10.0.1.0/24")])
    );
    assert!(
        res(&inv, "Queue").attr("Gone").is_none(),
        "AWS::NoValue removes the key"
    );
    assert_eq!(q("Missing"), Value::Unresolved("${NoDefault}".into()));
    assert_eq!(
        q("List"),
        Value::List(vec![Value::str("a"), Value::str("b")])
    );
    assert_eq!(res(&inv, "Queue").name.as_deref(), Some("prod-jobs"));
    assert!(warnings(&inv).is_empty(), "{:?}", warnings(&inv));
}

#[test]
fn params_from_the_command_line_and_the_input_override_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.yaml");
    std::fs::write(
        &p,
        "Parameters:\n  Env: {Type: String, Default: prod}\n  Size: {Type: String, Default: s}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${Env}-${Size}'\n",
    )
    .unwrap();
    let mut input = TemplateInput::file(&p, dir.path());
    input.parameters.insert("Env".into(), "from-input".into());
    input.parameters.insert("Size".into(), "m".into());
    let mut opts = CodeOptions::default();
    opts.params.insert("Env".into(), "from-cli".into());
    let inv = read_templates(vec![input], dir.path(), &opts).unwrap();
    assert_eq!(inv.resources[0].name.as_deref(), Some("from-cli-m"));
}

#[test]
fn every_short_form_tag_is_read() {
    let inv = read(
        r#"
Parameters:
  Env: {Type: String, Default: prod}
Mappings:
  M: {prod: {k: v}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Condition IsProd]
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties:
      Ref: !Ref Env
      GetAtt: !GetAtt T.TopicName
      Sub: !Sub "x-${Env}"
      Join: !Join [",", [a, b]]
      If: !If [IsProd, yes-prod, no-prod]
      IfDev: !If [IsDev, yes-dev, no-dev]
      IfBoth: !If [Both, both, neither]
      IfEither: !If [Either, either, none]
      Select: !Select [0, [first, second]]
      Split: !Split ["/", "a/b"]
      FindInMap: !FindInMap [M, prod, k]
      ImportValue: !ImportValue shared-vpc
      GetAZs: !GetAZs us-east-1
      Base64: !Base64 abc
      Cidr: !Cidr ["192.168.0.0/24", 1, 4]
"#,
    );
    let a = |p: &str| attr(&inv, "T", p).clone();
    assert_eq!(a("Ref"), Value::str("prod"));
    assert_eq!(a("GetAtt"), id("AWS::SNS::Topic", "T"));
    assert_eq!(a("Sub"), Value::str("x-prod"));
    assert_eq!(a("Join"), Value::str("a,b"));
    assert_eq!(a("If"), Value::str("yes-prod"));
    assert_eq!(a("IfDev"), Value::str("no-dev"));
    assert_eq!(a("IfBoth"), Value::str("both"));
    assert_eq!(a("IfEither"), Value::str("either"));
    assert_eq!(a("Select"), Value::str("first"));
    assert_eq!(
        a("Split"),
        Value::List(vec![Value::str("a"), Value::str("b")])
    );
    assert_eq!(a("FindInMap"), Value::str("v"));
    assert_eq!(
        a("ImportValue"),
        Value::Unresolved("!ImportValue shared-vpc".into())
    );
    assert!(matches!(a("GetAZs"), Value::Unresolved(t) if t == "!GetAZs us-east-1"));
    assert_eq!(a("Base64"), Value::str("YWJj"));
    assert_eq!(a("Cidr"), Value::List(vec![Value::str("192.168.0.0/28")]));
}

#[test]
fn conditions_leave_resources_out_and_unknown_ones_stay() {
    let inv = read(
        r#"
Parameters:
  Env: {Type: String, Default: dev}
  Unknown: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Maybe: !Equals [!Ref Unknown, x]
  InRegion: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
  MaybeQueue:
    Type: AWS::SQS::Queue
    Condition: Maybe
    Properties:
      DelaySeconds: !If [InRegion, 1, 2]
      Same: !If [Maybe, 5, 5]
  Always:
    Type: AWS::SQS::Queue
    Properties:
      Extra: !If [IsProd, big, !Ref AWS::NoValue]
"#,
    );
    let ids: Vec<_> = inv
        .resources
        .iter()
        .filter_map(|r| r.code.as_ref()?.logical_id.clone())
        .collect();
    assert_eq!(ids, vec!["MaybeQueue", "Always"]);
    let note = inv
        .notes
        .iter()
        .find(|n| n.message.contains("ProdOnly"))
        .expect("a note says why ProdOnly is left out");
    assert_eq!(note.level, NoteLevel::Info);
    assert_eq!(note.line, Some(10));
    assert!(
        matches!(attr(&inv, "MaybeQueue", "DelaySeconds"), Value::Unresolved(t) if t.starts_with("!If"))
    );
    assert_eq!(attr(&inv, "MaybeQueue", "Same"), &Value::int(5));
    assert!(res(&inv, "Always").attr("Extra").is_none());
}

#[test]
fn condition_cycles_and_dangling_references_are_warnings() {
    let inv = read(
        r#"
Conditions:
  A: !Condition B
  B: !Condition A
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: A
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Nope.Arn}
      Name: !Ref Nothing
  Loop1:
    Type: AWS::SNS::Topic
    Properties: {X: !Ref Loop2}
  Loop2:
    Type: AWS::SNS::Topic
    DependsOn: Loop1
  Odd:
    Type: NotAType
"#,
    );
    let w = warnings(&inv).join("\n");
    assert!(w.contains("cycle"), "{w}");
    assert!(w.contains("app.yaml:10: Fn::GetAtt Nope.Arn"), "{w}");
    assert!(w.contains("app.yaml:11: Ref Nothing"), "{w}");
    assert!(w.contains("Loop1, Loop2 depend on each other"), "{w}");
    assert!(w.contains("app.yaml:18: resource Odd: NotAType"), "{w}");
    assert_eq!(inv.resources.len(), 4, "everything is still mapped");
}

#[test]
fn resource_lines_yaml_and_json() {
    let yaml = read("Resources:\n  # a comment\n  First:\n    Type: AWS::SQS::Queue\n\n  Second:\n    Type: AWS::SNS::Topic\n");
    assert_eq!(res(&yaml, "First").code.as_ref().unwrap().line, 3);
    assert_eq!(res(&yaml, "Second").code.as_ref().unwrap().line, 6);
    let json = parse_template_str(
        "{\n  \"Resources\": {\n    \"First\": {\"Type\": \"AWS::SQS::Queue\"},\n    \"Second\": {\n      \"Type\": \"AWS::SNS::Topic\"\n    }\n  }\n}\n",
        Path::new("t.json"),
    )
    .unwrap();
    assert_eq!(res(&json, "First").code.as_ref().unwrap().line, 3);
    assert_eq!(res(&json, "Second").code.as_ref().unwrap().line, 4);
    let c = res(&json, "Second").code.clone().unwrap();
    assert_eq!(c.address.as_deref(), Some("t/Second"));
    assert_eq!(c.stack.as_deref(), Some("t"));
    assert_eq!(c.source_kind, SourceKind::Cloudformation);
    assert_eq!(
        res(&json, "Second").id,
        ResourceId::of("AWS::SNS::Topic", "t/Second")
    );
}

#[test]
fn malformed_templates_are_syntax_errors_with_lines() {
    let e = parse_template_str(
        "Resources:\n  Q:\n    Type: [unclosed\n",
        Path::new("bad.yaml"),
    )
    .unwrap_err();
    match &e {
        CodeError::Syntax { path, line, .. } => {
            assert_eq!(path, Path::new("bad.yaml"));
            assert!(*line >= 3, "{e}");
        }
        other => panic!("{other}"),
    }
    let e = parse_template_str(
        "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}",
        Path::new("bad.json"),
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("bad.json:1:"), "{e}");
    let e = parse_template_str("Resources: [1, 2]\n", Path::new("list.yaml")).unwrap_err();
    assert!(e.to_string().contains("Resources must be a mapping"), "{e}");
}

#[test]
fn unsupported_transforms_are_noted_and_the_rest_mapped() {
    let inv = read("Transform: MyMacro\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    assert!(warnings(&inv)
        .iter()
        .any(|w| w.contains("app.yaml:1: transform MyMacro")));
    assert_eq!(inv.resources.len(), 1);
}

#[test]
fn names_arns_tags_and_provenance_from_the_input() {
    let inv = read_files(
        &[(
            "orders.yaml",
            "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: jobs\n      Tags:\n        - {Key: env, Value: prod}\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'uploads-${AWS::AccountId}'\n",
        )],
        Some("123456789012"),
        Some("us-east-2"),
    );
    let jobs = res(&inv, "Jobs");
    assert_eq!(jobs.name.as_deref(), Some("jobs"));
    assert_eq!(
        jobs.arn.as_deref(),
        Some("arn:aws:sqs:us-east-2:123456789012:jobs")
    );
    assert_eq!(jobs.tags.get("env").map(String::as_str), Some("prod"));
    assert!(
        jobs.attributes.contains_key("Tags"),
        "tags stay in the attributes too"
    );
    assert_eq!(jobs.region.as_deref(), Some("us-east-2"));
    assert!(jobs.in_code);
    assert_eq!(
        jobs.stack.as_ref().map(|s| s.logical_id.as_str()),
        Some("Jobs")
    );
    let b = res(&inv, "Bucket");
    assert_eq!(b.name.as_deref(), Some("uploads-123456789012"));
    assert_eq!(b.arn.as_deref(), Some("arn:aws:s3:::uploads-123456789012"));
    assert_eq!(inv.stacks.len(), 1);
    assert_eq!(inv.stacks[0].name, "orders");
    assert_eq!(inv.stacks[0].resources, 2);
    assert_eq!(inv.sources[0].path, "orders.yaml");
    assert_eq!(inv.account.as_deref(), Some("123456789012"));
}

#[test]
fn cdk_sites_point_at_the_app_source() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cdk.out/Worker.template.json");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(
        &p,
        r#"{
  "Resources": {
    "JobsQueue1234": {
      "Type": "AWS::SQS::Queue",
      "Metadata": {"aws:cdk:path": "Worker/JobsQueue/Resource"}
    },
    "Other": {
      "Type": "AWS::SNS::Topic",
      "Metadata": {"aws:cdk:path": "Worker/Other/Resource"},
      "Properties": {"Q": {"Ref": "JobsQueue1234"}}
    }
  }
}"#,
    )
    .unwrap();
    let input = TemplateInput {
        path: p,
        stack_name: "Worker".into(),
        source_kind: SourceKind::Cdk,
        sites: HashMap::from([(
            "JobsQueue1234".to_string(),
            CodeSite {
                file: "lib/worker.ts".into(),
                line: 24,
                address: Some("Worker/JobsQueue/Resource".into()),
            },
        )]),
        ..Default::default()
    };
    let inv = read_templates(vec![input], dir.path(), &CodeOptions::default()).unwrap();
    let q = res(&inv, "JobsQueue1234").code.clone().unwrap();
    assert_eq!((q.file.as_str(), q.line), ("lib/worker.ts", 24));
    assert_eq!(q.template.as_deref(), Some("cdk.out/Worker.template.json"));
    assert_eq!(q.template_line, Some(3));
    assert_eq!(q.source_kind, SourceKind::Cdk);
    let other = res(&inv, "Other");
    assert_eq!(
        other.code.as_ref().unwrap().file,
        "cdk.out/Worker.template.json"
    );
    assert_eq!(
        other.attributes["Q"],
        Value::Ref(ResourceId::of(
            "AWS::SQS::Queue",
            "Worker/JobsQueue/Resource"
        ))
    );
    assert!(
        inv.stacks.is_empty() && inv.sources.is_empty(),
        "the CDK reader owns CDK stacks"
    );
}

#[test]
fn imports_resolve_across_templates() {
    let inv = read_files(
        &[
            (
                "network.yaml",
                "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export:\n      Name: !Sub '${AWS::StackName}-VpcId'\n  Plain:\n    Value: subnet-123\n    Export: {Name: shared-subnet}\n",
            ),
            (
                "app.yaml",
                "Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !ImportValue network-VpcId\n      Subnet: {'Fn::ImportValue': shared-subnet}\n      Other: !ImportValue nobody-exports-this\n",
            ),
        ],
        None,
        None,
    );
    assert_eq!(
        attr(&inv, "Sg", "VpcId"),
        &Value::Ref(ResourceId::of("AWS::EC2::VPC", "network/Vpc"))
    );
    assert_eq!(attr(&inv, "Sg", "Subnet"), &Value::str("subnet-123"));
    assert!(matches!(attr(&inv, "Sg", "Other"), Value::Unresolved(_)));
    let app = inv.stacks.iter().find(|s| s.name == "app").unwrap();
    assert_eq!(app.depends_on, vec!["network".to_string()]);
    let net = inv.stacks.iter().find(|s| s.name == "network").unwrap();
    assert!(net.depends_on.is_empty());
}

#[test]
fn nested_stacks_are_read_with_their_parameters() {
    let inv = read_files(
        &[
            (
                "root.yaml",
                "Parameters:\n  Env: {Type: String, Default: prod}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/child.yaml\n      Parameters:\n        Prefix: !Sub '${Env}-q'\n        TopicArn: !Ref Topic\n  Gone:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./nested/missing.yaml\n  Uses:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!GetAtt Child.Outputs.QueueUrl]\n",
            ),
            (
                "nested/child.yaml",
                "Parameters:\n  Prefix: {Type: String}\n  TopicArn: {Type: String}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Prefix\n      Topic: !Ref TopicArn\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n",
            ),
        ],
        None,
        None,
    );
    let q = res(&inv, "Queue");
    assert_eq!(q.name.as_deref(), Some("prod-q"));
    assert_eq!(
        q.attributes["Topic"],
        Value::Ref(ResourceId::of("AWS::SNS::Topic", "root/Topic"))
    );
    let c = q.code.as_ref().unwrap();
    assert_eq!(c.file, "nested/child.yaml");
    assert_eq!(c.line, 5);
    assert_eq!(c.stack.as_deref(), Some("root-Child"));
    assert_eq!(
        attr(&inv, "Uses", "Queues"),
        &Value::List(vec![Value::Ref(ResourceId::of(
            "AWS::SQS::Queue",
            "root-Child/Queue"
        ))])
    );
    let w = warnings(&inv).join("\n");
    assert!(
        w.contains(
            "root.yaml:13: nested stack Gone: its template ./nested/missing.yaml was not found"
        ),
        "{w}"
    );
    assert_eq!(inv.stacks.len(), 2);
}

#[test]
fn sam_function_with_events_expands() {
    let inv = read(
        r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Uploads:
    Type: AWS::S3::Bucket
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 60
      CodeUri: s3://code-bucket/worker.zip
      Policies:
        - SQSPollerPolicy: {QueueName: !GetAtt Jobs.QueueName}
      Events:
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn, BatchSize: 5}
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
        Get:
          Type: Api
          Properties: {Path: /items, Method: get}
  Table:
    Type: AWS::Serverless::SimpleTable
"#,
    );
    let mut got: Vec<(String, String)> = inv
        .resources
        .iter()
        .map(|r| {
            (
                r.code.as_ref().unwrap().logical_id.clone().unwrap(),
                r.type_name.clone(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, String)> = [
        ("Jobs", "AWS::SQS::Queue"),
        ("ServerlessRestApi", "AWS::ApiGateway::RestApi"),
        ("ServerlessRestApiProdStage", "AWS::ApiGateway::Stage"),
        ("Table", "AWS::DynamoDB::Table"),
        ("Uploads", "AWS::S3::Bucket"),
        ("Worker", "AWS::Lambda::Function"),
        ("WorkerGetPermissionProd", "AWS::Lambda::Permission"),
        ("WorkerNightly", "AWS::Events::Rule"),
        ("WorkerNightlyPermission", "AWS::Lambda::Permission"),
        ("WorkerQueue", "AWS::Lambda::EventSourceMapping"),
        ("WorkerRole", "AWS::IAM::Role"),
        ("WorkerUploadPermission", "AWS::Lambda::Permission"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    let f = res(&inv, "Worker");
    assert_eq!(
        f.attributes["Runtime"],
        Value::str("python3.12"),
        "from Globals"
    );
    assert_eq!(
        f.attributes["Timeout"],
        Value::int(60),
        "the function's own value wins"
    );
    assert_eq!(f.attributes["Role"], id("AWS::IAM::Role", "WorkerRole"));
    assert_eq!(
        attr(&inv, "Worker", "Code.S3Bucket"),
        &Value::str("code-bucket")
    );
    let line = f.code.as_ref().unwrap().line;
    assert_eq!(line, 12);
    assert_eq!(res(&inv, "WorkerQueue").code.as_ref().unwrap().line, line);
    assert_eq!(
        attr(&inv, "WorkerQueue", "EventSourceArn"),
        &id("AWS::SQS::Queue", "Jobs")
    );
    assert_eq!(
        attr(&inv, "WorkerQueue", "FunctionName"),
        &id("AWS::Lambda::Function", "Worker")
    );
    assert_eq!(attr(&inv, "WorkerQueue", "BatchSize"), &Value::int(5));
    assert_eq!(
        attr(&inv, "WorkerNightly", "Targets.0.Arn"),
        &id("AWS::Lambda::Function", "Worker")
    );
    assert_eq!(
        attr(
            &inv,
            "Uploads",
            "NotificationConfiguration.LambdaConfigurations.0.Function"
        ),
        &id("AWS::Lambda::Function", "Worker")
    );
    assert!(matches!(
        attr(&inv, "ServerlessRestApi", "Body.paths./items.get.x-amazon-apigateway-integration.uri"),
        Value::Unresolved(t) if t.contains("${Worker}")
    ));
    assert_eq!(
        attr(&inv, "Table", "BillingMode"),
        &Value::str("PAY_PER_REQUEST")
    );
    assert_eq!(
        f.tags.get("lambda:createdBy").map(String::as_str),
        Some("SAM")
    );
}

#[test]
fn sam_state_machine_http_api_and_layer() {
    let inv = read(
        r#"
Transform: [AWS::Serverless-2016-10-31]
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
      Events:
        Every:
          Type: ScheduleV2
          Properties: {ScheduleExpression: rate(5 minutes)}
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h
      Runtime: nodejs20.x
      Role: arn:aws:iam::123456789012:role/given
      Layers: [!Ref Libs]
      Events:
        Http:
          Type: HttpApi
  Libs:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: s3://b/k.zip}
  App:
    Type: AWS::Serverless::Application
    Properties: {Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x, SemanticVersion: 1.0.0}}
"#,
    );
    let mut got: Vec<String> = inv
        .resources
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.code.as_ref().unwrap().logical_id.clone().unwrap(),
                r.type_name
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "Api AWS::Lambda::Function",
            "ApiHttpPermission AWS::Lambda::Permission",
            "App AWS::CloudFormation::Stack",
            "Flow AWS::StepFunctions::StateMachine",
            "FlowEvery AWS::Scheduler::Schedule",
            "FlowEveryRole AWS::IAM::Role",
            "FlowRole AWS::IAM::Role",
            "Libs AWS::Lambda::LayerVersion",
            "ServerlessHttpApi AWS::ApiGatewayV2::Api",
            "ServerlessHttpApiApiGatewayDefaultStage AWS::ApiGatewayV2::Stage",
        ]
    );
    assert_eq!(
        attr(&inv, "FlowEvery", "Target.Arn"),
        &id("AWS::StepFunctions::StateMachine", "Flow")
    );
    assert_eq!(
        attr(&inv, "Api", "Layers"),
        &Value::List(vec![id("AWS::Lambda::LayerVersion", "Libs")])
    );
    assert!(inv
        .notes
        .iter()
        .any(|n| n.message.contains("SAM application App")));
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "\u{feff}",
        "---\n...\n",
        "[",
        "{",
        "Resources:",
        "Resources:\n  X:\n",
        "Resources:\n  X: 5\n",
        "Resources:\n  X:\n    Type: [1]\n    Properties: 3\n",
        "Resources:\n  X:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: !Sub\n      B: !GetAtt\n      C: !Select [x, y]\n      D: !Join 5\n      E: !If [1]\n      F: !FindInMap []\n      G: !Cidr [a, b, c]\n      H: !Select [99, [1]]\n      I: !Ref [a]\n",
        "a: &a [*a]",
        "a: *nope",
        "Conditions:\n  C: !Equals\nResources:\n  X:\n    Type: AWS::SQS::Queue\n    Condition: C\n",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: 5\n  G:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E: {Type: S3, Properties: {Bucket: x}}\n        H: {Type: Api}\n        Q: 3\n",
        "{\"Resources\": {\"X\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"A\": \"\\ud800\"}}}}",
    ] {
        let _ = parse_template_str(text, Path::new("g.yaml"));
    }
    let deep = format!(
        "Resources:\n  X:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: {}",
        "!Base64 ".repeat(500) + "x"
    );
    assert!(
        parse_template_str(&deep, Path::new("deep.yaml")).is_ok()
            || parse_template_str(&deep, Path::new("deep.yaml")).is_err()
    );
    let nested_ifs = format!(
        "Resources:\n  X:\n    Type: AWS::SQS::Queue\n    Properties:\n      A: {}1{}\n",
        "{\"Fn::Base64\": ".repeat(150),
        "}".repeat(150)
    );
    let inv = parse_template_str(&nested_ifs, Path::new("n.yaml")).unwrap();
    assert_eq!(inv.resources.len(), 1);
}

#[test]
fn snapshot_of_a_realistic_template() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cfn/worker.yaml"),
    )
    .unwrap();
    let inv = parse_template_str(&text, Path::new("worker.yaml")).unwrap();
    let summary: BTreeMap<String, serde_json::Value> = inv
        .resources
        .iter()
        .map(|r| {
            (
                r.id.to_string(),
                serde_json::json!({
                    "line": r.code.as_ref().map(|c| c.line),
                    "name": r.name,
                    "attributes": r.attributes,
                }),
            )
        })
        .collect();
    insta::assert_json_snapshot!("worker_resources", summary);
    assert!(warnings(&inv).is_empty(), "{:?}", warnings(&inv));
}

#[test]
fn modules_are_left_out_with_a_reason_and_sam_dotted_refs_resolve() {
    let inv = read(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Net:\n    Type: !Rain::Module ./vpc.yml\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: h\n      Runtime: python3.12\n      AutoPublishAlias: live\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Alias: !Ref F.Alias\n      Version: !Ref F.Version\n",
    );
    let w = warnings(&inv).join("\n");
    assert!(
        w.contains("app.yaml:3: resource Net is left out: its Type is !Rain::Module ./vpc.yml"),
        "{w}"
    );
    assert_eq!(
        attr(&inv, "T", "Alias"),
        &id("AWS::Lambda::Alias", "FAliaslive")
    );
    assert_eq!(
        attr(&inv, "T", "Version"),
        &id("AWS::Lambda::Version", "FVersion")
    );
}

#[test]
fn same_named_templates_get_distinct_stacks() {
    let inv = read_files(
        &[
            (
                "orders/template.yaml",
                "Resources:\n  F:\n    Type: AWS::SNS::Topic\n",
            ),
            (
                "billing/template.yaml",
                "Resources:\n  F:\n    Type: AWS::SNS::Topic\n",
            ),
            (
                "billing/samconfig.toml",
                "version = 0.1\n[default.deploy.parameters]\nstack_name = \"billing-prod\"\n",
            ),
        ],
        None,
        None,
    );
    let mut names: Vec<&str> = inv.stacks.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["billing-prod", "template"]);
    assert_ne!(inv.resources[0].id, inv.resources[1].id);
}

#[test]
fn long_condition_chains_do_not_overflow_the_stack() {
    // Each condition picks the next through Fn::If: evaluation depth must stay bounded.
    let mut t = String::from("Conditions:\n");
    for i in 0..3000 {
        t.push_str(&format!("  C{i}: !Equals [!If [C{}, a, b], a]\n", i + 1));
    }
    t.push_str(
        "  C3000: !Equals [a, a]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C0\n",
    );
    let inv = read(&t);
    assert_eq!(
        inv.resources.len(),
        1,
        "an undecided condition keeps the resource"
    );
}
