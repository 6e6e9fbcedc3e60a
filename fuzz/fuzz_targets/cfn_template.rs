#![no_main]
//! Any bytes given to the CloudFormation reader as a template (JSON or YAML) either map or
//! are refused with an error: never a panic, never a hang.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = surveyor_code::cfn::parse_template_str(text, std::path::Path::new("fuzz.yaml"));
        let _ = surveyor_code::cfn::parse_template_str(text, std::path::Path::new("fuzz.json"));
    }
});
