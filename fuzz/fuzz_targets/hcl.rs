#![no_main]
//! Any text given to the Terraform HCL front end (parse, evaluate, map) gives resources and
//! notes: never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = surveyor_code::terraform::read_hcl_str(text);
    }
});
