#![no_main]
//! Fuzz target placeholder: replaced by the reader that owns it.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|_data: &[u8]| {});
