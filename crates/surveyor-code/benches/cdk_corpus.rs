//! Benchmark placeholder: replaced by the reader that owns it.
fn main() {}
