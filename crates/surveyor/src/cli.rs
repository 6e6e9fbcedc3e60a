use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Map an AWS system from its infrastructure code and the live account.
#[derive(Debug, Parser)]
#[command(name = "surveyor", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read code (and the account or a snapshot), reconcile, audit, and write the map.
    Map(Box<MapArgs>),
    /// Read the account and write a snapshot for later `map --snapshot`.
    Scan(ScanArgs),
    /// List the rule catalogue, one line per rule.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `dlq-has-messages`.
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Region to read (repeatable); `all` means every enabled region.
    #[arg(long = "region", value_name = "R")]
    pub regions: Vec<String>,
    /// Named profile from the shared AWS config.
    #[arg(long)]
    pub profile: Option<String>,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// CDK assemblies or apps, CloudFormation/SAM templates, Terraform folders, states, plans.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Read the live AWS account (read-only).
    #[arg(long, conflicts_with = "snapshot")]
    pub live: bool,
    /// Use a snapshot written by `surveyor scan` instead of the account.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// GET this URL once and record status, latency and a body summary (repeatable).
    #[arg(long = "probe", value_name = "URL")]
    pub probes: Vec<String>,
    /// Drift and findings to accept (default: `.surveyorignore` in the first PATH).
    #[arg(long, value_name = "F")]
    pub ignore_file: Option<PathBuf>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "surveyor-out")]
    pub out: PathBuf,
    /// Formats to write: any of json,md,html,sarif.
    #[arg(
        long,
        value_name = "LIST",
        default_value = "json,md,html,sarif",
        value_delimiter = ','
    )]
    pub format: Vec<String>,
    /// Exit 1 when a finding of this severity or higher exists.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Exit 1 when any drift exists.
    #[arg(long)]
    pub fail_on_drift: bool,
    /// CloudFormation parameter value, `Name=Value` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Terraform variable, `name=value` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Terraform variable file (repeatable).
    #[arg(long = "var-file", value_name = "F")]
    pub var_files: Vec<PathBuf>,
    /// Print nothing on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Where to write the snapshot.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}
