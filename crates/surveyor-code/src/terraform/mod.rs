//! Terraform → canonical resources: HCL root modules (with local and installed modules),
//! state v3/v4 and `terraform show -json` output, plans.
//!
//! PLACEHOLDER until the Terraform readers land: inputs are noted, not read.

use std::path::{Path, PathBuf};

use surveyor_model::{Inventory, Note};

use crate::{relative, CodeError, CodeOptions};

/// Read Terraform folders, states and plans found under one base folder together, so that a
/// root module and its state join by address.
pub fn read_all(
    dirs: &[PathBuf],
    states: &[PathBuf],
    plans: &[PathBuf],
    base: &Path,
    _opts: &CodeOptions,
) -> Result<Inventory, CodeError> {
    let mut inv = Inventory::default();
    for p in dirs.iter().chain(states).chain(plans) {
        inv.notes
            .push(Note::warning("Terraform input not read yet").at(relative(p, base), None));
    }
    Ok(inv)
}
