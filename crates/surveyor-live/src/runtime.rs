//! The collection runtime: one shared context per scan (account, the bounded in-flight
//! semaphore, the call counter, notes), the gate every SDK call passes through, and the
//! translation of SDK errors into notes or absent values.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use surveyor_model::{SortedMap, ValueMap};

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use surveyor_model::{Note, NoteLevel, Resource, ResourceId, Value};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::allow;

/// What a refused or failed call left behind: enough to tell the user what is missing.
#[derive(Debug, Clone)]
pub struct CallError {
    pub service: &'static str,
    pub operation: &'static str,
    pub code: Option<String>,
    pub message: String,
}

impl CallError {
    pub fn from_sdk<E>(service: &'static str, operation: &'static str, e: &E) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let code = e.code().map(str::to_string);
        let message = match e.message() {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => {
                let text = aws_smithy_types::error::display::DisplayErrorContext(e).to_string();
                text.chars().take(300).collect()
            }
        };
        CallError {
            service,
            operation,
            code,
            message,
        }
    }

    fn code_str(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// The caller may not read this (IAM, SCP, or an opt-in region).
    pub fn is_denied(&self) -> bool {
        let c = self.code_str();
        c.contains("AccessDenied")
            || c.contains("Unauthorized")
            || c.contains("AuthorizationError")
            || c == "Forbidden"
            || c == "OptInRequired"
            || c == "InvalidClientTokenId"
            || c == "UnrecognizedClientException"
    }

    /// "Not configured" answers: the thing asked about does not exist, which is a fact, not
    /// a failure (no encryption configuration, no public access block, no policy, …).
    pub fn is_absent(&self) -> bool {
        let c = self.code_str();
        c.starts_with("NoSuch")
            || c.contains("NotFound")
            || c == "ResourceNotFoundException"
            || c == "WAFNonexistentItemException"
    }

    /// The operation is not implemented by this endpoint (emulators, some partitions).
    pub fn is_unsupported(&self) -> bool {
        let c = self.code_str();
        c.contains("NotImplemented") || c == "InvalidAction" || c == "UnknownOperationException"
    }

    pub fn to_note(&self, region: Option<&str>) -> Note {
        let what = if self.code.is_some() {
            format!("{}: {}", self.code_str(), self.message)
        } else {
            self.message.clone()
        };
        let level = if self.is_denied() || self.is_unsupported() {
            NoteLevel::Warning
        } else {
            NoteLevel::Error
        };
        Note::new(
            level,
            format!("{} failed ({what}); its data is missing", self.operation),
        )
        .service(self.service, region.map(str::to_string))
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} {}",
            self.service,
            self.operation,
            self.code_str(),
            self.message
        )
    }
}

/// Shared by every collector of one scan.
pub struct Ctx {
    pub account: String,
    pub partition: String,
    /// The regions being read (S3, read once, keeps only buckets in these).
    pub regions: Vec<String>,
    sem: Semaphore,
    calls: AtomicUsize,
    per_op: Mutex<BTreeMap<(&'static str, &'static str), usize>>,
    notes: Mutex<Vec<Note>>,
}

impl Ctx {
    pub fn new(concurrency: usize) -> Ctx {
        Ctx {
            account: String::new(),
            partition: "aws".to_string(),
            regions: Vec::new(),
            sem: Semaphore::new(concurrency.max(1)),
            calls: AtomicUsize::new(0),
            per_op: Mutex::new(BTreeMap::new()),
            notes: Mutex::new(Vec::new()),
        }
    }

    /// The gate: refuses operations not on the allow-list, and bounds requests in flight.
    pub async fn permit(
        &self,
        service: &'static str,
        operation: &'static str,
    ) -> Result<SemaphorePermit<'_>, CallError> {
        if !allow::is_allowed(service, operation) {
            return Err(CallError {
                service,
                operation,
                code: Some("NotAllowed".into()),
                message: "not on surveyor's read-only allow-list".into(),
            });
        }
        self.sem.acquire().await.map_err(|_| CallError {
            service,
            operation,
            code: None,
            message: "scan cancelled".into(),
        })
    }

    /// Counts one request that was sent (a page of a paginated call counts once).
    pub fn count(&self, service: &'static str, operation: &'static str) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = self.per_op.lock() {
            *m.entry((service, operation)).or_default() += 1;
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn calls_by_operation(&self) -> BTreeMap<String, usize> {
        self.per_op
            .lock()
            .map(|m| {
                m.iter()
                    .map(|((s, o), n)| (format!("{s}:{o}"), *n))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn note(&self, note: Note) {
        if let Ok(mut n) = self.notes.lock() {
            n.push(note);
        }
    }

    /// Records a failed per-item call (the resource stays, with what could be read).
    pub fn failed(&self, e: &CallError, region: Option<&str>) {
        self.note(e.to_note(region));
    }

    pub fn take_notes(&self) -> Vec<Note> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }
}

/// One region's view: the SDK configuration for it and the shared context.
pub struct Rc<'a> {
    pub ctx: &'a Ctx,
    pub region: String,
    pub config: aws_config::SdkConfig,
    /// Set when an endpoint override is in use (emulators need S3 path-style addressing).
    pub custom_endpoint: bool,
}

impl Rc<'_> {
    pub fn note_failed(&self, e: &CallError) {
        self.ctx.failed(e, Some(&self.region));
    }

    /// A live resource of `type_name`: id = ARN when known, else `TYPE::physical_id`.
    pub fn resource(
        &self,
        type_name: &str,
        arn: Option<String>,
        physical_id: Option<String>,
        name: Option<String>,
    ) -> Resource {
        let id = match (&arn, &physical_id, &name) {
            (Some(a), _, _) => ResourceId::new(a.clone()),
            (None, Some(p), _) => ResourceId::of(type_name, p),
            (None, None, Some(n)) => ResourceId::of(type_name, n),
            (None, None, None) => ResourceId::of(type_name, "unknown"),
        };
        let global = surveyor_model::registry::lookup(type_name).is_some_and(|t| t.global);
        Resource {
            id,
            type_name: type_name.to_string(),
            name,
            arn,
            physical_id,
            region: if global {
                None
            } else {
                Some(self.region.clone())
            },
            account: Some(self.ctx.account.clone()).filter(|a| !a.is_empty()),
            in_live: true,
            ..Resource::default()
        }
    }

    /// The ARN the registry's template gives for a name, in this region and account.
    pub fn arn_of(&self, type_name: &str, name: &str) -> Option<String> {
        surveyor_model::registry::lookup(type_name)?.arn_for(
            name,
            &self.ctx.partition,
            &self.region,
            &self.ctx.account,
        )
    }
}

/// Sends one request through the allow-list gate and counts it.
/// `call!(rc, "sqs", "GetQueueAttributes", client.get_queue_attributes().queue_url(u))`
#[macro_export]
macro_rules! call {
    ($rc:expr, $svc:literal, $op:literal, $req:expr) => {{
        let ctx: &$crate::runtime::Ctx = $rc.ctx;
        match ctx.permit($svc, $op).await {
            Ok(_permit) => {
                let r = $req.send().await;
                ctx.count($svc, $op);
                r.map_err(|e| $crate::runtime::CallError::from_sdk($svc, $op, &e))
            }
            Err(e) => Err(e),
        }
    }};
}

/// Every page of a paginated operation, through the same gate; each page counts as a call.
#[macro_export]
macro_rules! pages {
    ($rc:expr, $svc:literal, $op:literal, $req:expr) => {{
        let ctx: &$crate::runtime::Ctx = $rc.ctx;
        let mut stream = $req.into_paginator().send();
        let mut out = Vec::new();
        let mut err = None;
        loop {
            let permit = match ctx.permit($svc, $op).await {
                Ok(p) => p,
                Err(e) => {
                    err = Some(e);
                    break;
                }
            };
            match stream.next().await {
                None => break,
                Some(Ok(page)) => {
                    ctx.count($svc, $op);
                    out.push(page);
                }
                Some(Err(e)) => {
                    ctx.count($svc, $op);
                    err = Some($crate::runtime::CallError::from_sdk($svc, $op, &e));
                    break;
                }
            }
            drop(permit);
        }
        match err {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }};
}

// --- small builders for canonical values

pub fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

pub fn n(v: impl Into<i64>) -> Value {
    Value::Number(v.into().into())
}

pub fn f(v: f64) -> Value {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

pub fn b(v: bool) -> Value {
    Value::Bool(v)
}

pub fn list<I, T>(items: I) -> Value
where
    I: IntoIterator<Item = T>,
    T: Into<Value>,
{
    Value::List(items.into_iter().map(Into::into).collect())
}

pub fn strs<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|x| Value::String(x.clone()))
            .collect(),
    )
}

/// A map value from `(key, Option<Value>)` pairs, dropping the absent ones.
pub fn obj<const N: usize>(pairs: [(&str, Option<Value>); N]) -> Value {
    Value::Map(
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

/// Inserts `key` when there is a value.
pub fn put(m: &mut ValueMap, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

/// A JSON document in a string (policies, redrive policies, definitions) as a value.
pub fn json_value(text: &str) -> Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(j) => Value::from_json(j),
        Err(_) => Value::String(text.to_string()),
    }
}

pub fn tags_of<'a>(
    pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> SortedMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or("").to_string())))
        .collect()
}

pub fn datetime(d: &aws_smithy_types::DateTime) -> Value {
    Value::String(surveyor_model::rfc3339(d.secs()))
}

/// Every page of an operation the SDK has no paginator for, following its token by hand.
/// `token_pages!(rc, "events", "ListRules", |t| client.list_rules().set_next_token(t), |o| o.next_token())`
#[macro_export]
macro_rules! token_pages {
    ($rc:expr, $svc:literal, $op:literal, |$tok:ident| $req:expr, |$o:ident| $next:expr) => {{
        let mut out = Vec::new();
        let mut $tok: Option<String> = None;
        loop {
            match $crate::call!($rc, $svc, $op, $req) {
                Ok($o) => {
                    let next: Option<String> = $next.map(|x: &str| x.to_string());
                    out.push($o);
                    match next {
                        // A bound, in case an endpoint keeps answering with a token.
                        Some(t) if !t.is_empty() && out.len() < 10_000 => $tok = Some(t),
                        _ => break Ok(out),
                    }
                }
                Err(e) => break Err(e),
            }
        }
    }};
}
