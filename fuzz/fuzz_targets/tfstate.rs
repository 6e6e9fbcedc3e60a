#![no_main]
//! Any text given to the Terraform state/plan reader is read or refused with an error that
//! names the file: never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ =
            surveyor_code::terraform::state::read_text(text, std::path::Path::new("fuzz.tfstate"));
    }
});
