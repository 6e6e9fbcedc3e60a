//! surveyor-live reads the live AWS account into surveyor's canonical model: one collector per
//! service under `services/`, each turning API answers into resources with CloudFormation types
//! and property names plus runtime `state`. It owns the runtime (credential and region chain,
//! region fan-out, bounded concurrency, pagination, adaptive retry, errors as notes), the
//! read-only allow-list every call passes through, snapshot files, and health probes.
//!
//! It is the only crate that depends on the AWS SDK, so nothing else recompiles it.

pub mod allow;
mod collect;
mod probe;
#[doc(hidden)]
pub mod runtime;
mod services;
mod snapshot;
pub mod state_keys;

pub use collect::{collect, collect_blocking, Scan};
pub use probe::{probe, probe_with_timeout};
pub use snapshot::{read_snapshot, write_snapshot};

use std::path::PathBuf;

/// What to read and how.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Regions to read; empty means the region the credential chain gives; `all` means every
    /// enabled region (DescribeRegions).
    pub regions: Vec<String>,
    /// A named profile from the shared config files.
    pub profile: Option<String>,
    /// An endpoint override (an emulator, a proxy); `AWS_ENDPOINT_URL` is honoured without it.
    pub endpoint_url: Option<String>,
    /// Requests in flight at once across all services and regions.
    pub concurrency: usize,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Fixed credentials instead of the standard chain (tests, one-off runs).
    pub credentials: Option<StaticCredentials>,
}

/// An access key, for callers that must not depend on the process environment.
#[derive(Clone)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            regions: Vec::new(),
            profile: None,
            endpoint_url: None,
            concurrency: 12,
            progress: true,
            credentials: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a surveyor snapshot: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{path}: schema `{found}` is not `{}`",
        surveyor_model::SNAPSHOT_SCHEMA
    )]
    Schema { path: PathBuf, found: String },
    #[error("could not start the AWS runtime: {0}")]
    Runtime(String),
}
