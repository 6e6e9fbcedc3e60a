//! STS: who the credentials are (account and partition).

use crate::call;
use crate::runtime::{CallError, Rc};

pub async fn identity(rc: &Rc<'_>) -> Result<(String, String), CallError> {
    let client = aws_sdk_sts::Client::new(&rc.config);
    let out = call!(rc, "sts", "GetCallerIdentity", client.get_caller_identity())?;
    let account = out.account().unwrap_or_default().to_string();
    let partition = out
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string();
    Ok((account, partition))
}
