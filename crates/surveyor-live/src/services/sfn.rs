//! Step Functions state machines with their definitions (the linker reads task targets there).

use surveyor_model::Resource;

use super::each;
use crate::runtime::{b, json_value, obj, s, CallError, Rc};
use crate::{call, pages, state_keys as k};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_sfn::Client::new(&rc.config);
    let pages = pages!(rc, "sfn", "ListStateMachines", client.list_state_machines())?;
    let items: Vec<(String, String)> = pages
        .iter()
        .flat_map(|p| p.state_machines())
        .map(|m| (m.state_machine_arn().to_string(), m.name().to_string()))
        .collect();
    let out = each(&items, |(arn, name)| {
        let client = &client;
        async move {
            let mut r = rc.resource(
                "AWS::StepFunctions::StateMachine",
                Some(arn.clone()),
                Some(arn.clone()),
                Some(name.clone()),
            );
            r.attributes.insert("StateMachineName".into(), s(name));
            match call!(
                rc,
                "sfn",
                "DescribeStateMachine",
                client.describe_state_machine().state_machine_arn(arn)
            ) {
                Ok(o) => {
                    let a = &mut r.attributes;
                    a.insert("RoleArn".into(), s(o.role_arn()));
                    a.insert("Definition".into(), json_value(o.definition()));
                    a.insert("StateMachineType".into(), s(o.r#type().as_str()));
                    if let Some(t) = o.tracing_configuration() {
                        a.insert(
                            "TracingConfiguration".into(),
                            obj([("Enabled", Some(b(t.enabled())))]),
                        );
                    }
                    if let Some(l) = o.logging_configuration().and_then(|l| l.level()) {
                        a.insert(
                            "LoggingConfiguration".into(),
                            obj([("Level", Some(s(l.as_str())))]),
                        );
                    }
                    if let Some(st) = o.status() {
                        r.state.insert(k::STATUS.into(), s(st.as_str()));
                    }
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    Ok(out)
}
