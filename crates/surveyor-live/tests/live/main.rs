//! surveyor-live's integration tests, one module per concern, in one test binary: each binary
//! links the whole AWS SDK, so five binaries cost five links for every build.

#[path = "../support/mod.rs"]
mod support;

mod allowlist;
mod moto_account;
mod moto_faults;
mod orders_example;
mod probes;
