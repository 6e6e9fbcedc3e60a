//! CloudFormation stacks and what each manages. The physical ids from ListStackResources are
//! matched to collected resources after every collector ran (see `collect::attach_stacks`).

use surveyor_model::Value;

use super::{each, Collected, StackMember};
use crate::runtime::{s, tags_of, CallError, Rc};
use crate::{pages, state_keys as k};

pub async fn collect(rc: &Rc<'_>) -> Result<Collected, CallError> {
    let client = aws_sdk_cloudformation::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "cloudformation",
        "DescribeStacks",
        client.describe_stacks()
    )?;
    let stacks: Vec<&aws_sdk_cloudformation::types::Stack> =
        pages.iter().flat_map(|p| p.stacks()).collect();
    let mut out = Collected::default();
    for st in &stacks {
        let (Some(id), Some(name)) = (st.stack_id(), st.stack_name()) else {
            continue;
        };
        let mut r = rc.resource(
            "AWS::CloudFormation::Stack",
            Some(id.to_string()),
            Some(id.to_string()),
            Some(name.to_string()),
        );
        r.tags = tags_of(st.tags().iter().map(|t| (t.key(), t.value())));
        if let Some(d) = st.description() {
            r.attributes.insert("Description".into(), s(d));
        }
        if !st.parameters().is_empty() {
            // Parameter values can be secrets (NoEcho): keep only the names.
            r.attributes.insert(
                "ParameterNames".into(),
                Value::List(
                    st.parameters()
                        .iter()
                        .filter_map(|p| p.parameter_key().map(s))
                        .collect(),
                ),
            );
        }
        if let Some(status) = st.stack_status() {
            r.state.insert(k::STACK_STATUS.into(), s(status.as_str()));
        }
        if let Some(parent) = st.parent_id() {
            r.state.insert("ParentId".into(), s(parent));
        }
        out.resources.push(r);
    }
    let names: Vec<String> = stacks
        .iter()
        .filter_map(|s| s.stack_name().map(str::to_string))
        .collect();
    let members = each(&names, |name| {
        let client = &client;
        async move {
            match pages!(
                rc,
                "cloudformation",
                "ListStackResources",
                client.list_stack_resources().stack_name(name)
            ) {
                Ok(pages) => pages
                    .iter()
                    .flat_map(|p| p.stack_resource_summaries())
                    .filter_map(|m| {
                        Some(StackMember {
                            stack: name.clone(),
                            logical_id: m.logical_resource_id()?.to_string(),
                            type_name: m.resource_type()?.to_string(),
                            physical_id: m.physical_resource_id()?.to_string(),
                        })
                    })
                    .collect::<Vec<_>>(),
                Err(e) => {
                    rc.note_failed(&e);
                    Vec::new()
                }
            }
        }
    })
    .await;
    out.members = members.into_iter().flatten().collect();
    Ok(out)
}
