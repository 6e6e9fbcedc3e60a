//! The `surveyor` binary: the command line, settings, wiring of readers → reconcile → link →
//! rules → renderers, and exit codes (0 done, 1 a policy failed, 2 bad input or command).
//! No domain logic lives here.

mod cli;
mod pipeline;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match pipeline::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
