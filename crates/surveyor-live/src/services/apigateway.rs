//! API Gateway: REST APIs and their stages (v1), HTTP and WebSocket APIs and stages (v2).
//! Stage variables are listed by name only: their values are often credentials.

use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{b, list, s, CallError, Rc};
use crate::{call, pages, state_keys as k, token_pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let (v1, v2) = tokio::join!(rest(rc), http(rc));
    let mut out = Vec::new();
    match (v1, v2) {
        (Err(a), Err(_)) => return Err(a),
        (a, b) => {
            for r in [a, b] {
                match r {
                    Ok(list) => out.extend(list),
                    Err(e) => rc.note_failed(&e),
                }
            }
        }
    }
    Ok(out)
}

fn api_arn(rc: &Rc<'_>, path: &str) -> String {
    format!("arn:{}:apigateway:{}::{path}", rc.ctx.partition, rc.region)
}

fn var_names(vars: Option<&std::collections::HashMap<String, String>>) -> Option<Value> {
    let mut names: Vec<&String> = vars?.keys().collect();
    names.sort();
    (!names.is_empty()).then(|| Value::List(names.into_iter().map(s).collect()))
}

async fn rest(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_apigateway::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "apigateway",
        "GetRestApis",
        client.get_rest_apis().limit(500)
    )?;
    let apis: Vec<aws_sdk_apigateway::types::RestApi> = pages
        .iter()
        .flat_map(|p| p.items().iter().cloned())
        .collect();
    let mut out = Vec::new();
    for api in &apis {
        let Some(id) = api.id() else { continue };
        let mut r = rc.resource(
            "AWS::ApiGateway::RestApi",
            Some(api_arn(rc, &format!("/restapis/{id}"))),
            Some(id.to_string()),
            api.name().map(str::to_string),
        );
        if let Some(nm) = api.name() {
            r.attributes.insert("Name".into(), s(nm));
        }
        if let Some(d) = api.description().filter(|d| !d.is_empty()) {
            r.attributes.insert("Description".into(), s(d));
        }
        if let Some(e) = api.endpoint_configuration() {
            r.attributes.insert(
                "EndpointConfiguration".into(),
                crate::runtime::obj([(
                    "Types",
                    Some(list(
                        e.types().iter().map(|t| s(t.as_str())).collect::<Vec<_>>(),
                    )),
                )]),
            );
        }
        if let Some(p) = api.policy() {
            r.attributes.insert(
                "Policy".into(),
                crate::runtime::json_value(&p.replace("\\\"", "\"")),
            );
        }
        out.push(r);
    }
    let stages = each(&apis, |api| {
        let client = &client;
        async move {
            let id = api.id()?;
            match call!(
                rc,
                "apigateway",
                "GetStages",
                client.get_stages().rest_api_id(id)
            ) {
                Ok(o) => Some(
                    o.item()
                        .iter()
                        .filter_map(|st| {
                            let name = st.stage_name()?;
                            let mut r = rc.resource(
                                "AWS::ApiGateway::Stage",
                                Some(api_arn(rc, &format!("/restapis/{id}/stages/{name}"))),
                                Some(name.to_string()),
                                Some(format!("{}/{name}", api.name().unwrap_or(id))),
                            );
                            let a = &mut r.attributes;
                            a.insert("RestApiId".into(), s(id));
                            a.insert("StageName".into(), s(name));
                            if let Some(d) = st.deployment_id() {
                                a.insert("DeploymentId".into(), s(d));
                            }
                            a.insert("TracingEnabled".into(), b(st.tracing_enabled()));
                            if let Some(v) = var_names(st.variables()) {
                                a.insert("VariableNames".into(), v);
                            }
                            if let Some(l) =
                                st.access_log_settings().and_then(|l| l.destination_arn())
                            {
                                a.insert(
                                    "AccessLogSetting".into(),
                                    crate::runtime::obj([("DestinationArn", Some(s(l)))]),
                                );
                            }
                            if let Some(w) = st.web_acl_arn() {
                                r.state.insert(k::WEB_ACL.into(), s(w));
                            }
                            Some(r)
                        })
                        .collect::<Vec<_>>(),
                ),
                Err(e) => {
                    rc.note_failed(&e);
                    None
                }
            }
        }
    })
    .await;
    out.extend(stages.into_iter().flatten().flatten());
    Ok(out)
}

async fn http(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_apigatewayv2::Client::new(&rc.config);
    let pages = token_pages!(
        rc,
        "apigatewayv2",
        "GetApis",
        |tok| client.get_apis().set_next_token(tok.clone()),
        |o| o.next_token()
    )?;
    let apis: Vec<aws_sdk_apigatewayv2::types::Api> = pages
        .iter()
        .flat_map(|p| p.items().iter().cloned())
        .collect();
    let mut out = Vec::new();
    for api in &apis {
        let Some(id) = api.api_id() else { continue };
        let mut r = rc.resource(
            "AWS::ApiGatewayV2::Api",
            Some(api_arn(rc, &format!("/apis/{id}"))),
            Some(id.to_string()),
            api.name().map(str::to_string),
        );
        if let Some(nm) = api.name() {
            r.attributes.insert("Name".into(), s(nm));
        }
        if let Some(p) = api.protocol_type() {
            r.attributes.insert("ProtocolType".into(), s(p.as_str()));
        }
        if let Some(d) = api.description().filter(|d| !d.is_empty()) {
            r.attributes.insert("Description".into(), s(d));
        }
        if let Some(e) = api.api_endpoint() {
            r.state.insert("ApiEndpoint".into(), s(e));
        }
        out.push(r);
    }
    let stages = each(&apis, |api| {
        let client = &client;
        async move {
            let id = api.api_id()?;
            match token_pages!(
                rc,
                "apigatewayv2",
                "GetStages",
                |tok| client.get_stages().api_id(id).set_next_token(tok.clone()),
                |o| o.next_token()
            ) {
                Ok(pages) => Some(
                    pages
                        .iter()
                        .flat_map(|p| p.items())
                        .filter_map(|st| {
                            let name = st.stage_name()?;
                            let mut r = rc.resource(
                                "AWS::ApiGatewayV2::Stage",
                                Some(api_arn(rc, &format!("/apis/{id}/stages/{name}"))),
                                Some(name.to_string()),
                                Some(format!("{}/{name}", api.name().unwrap_or(id))),
                            );
                            let a = &mut r.attributes;
                            a.insert("ApiId".into(), s(id));
                            a.insert("StageName".into(), s(name));
                            if let Some(v) = st.auto_deploy() {
                                a.insert("AutoDeploy".into(), b(v));
                            }
                            if let Some(v) = var_names(st.stage_variables()) {
                                a.insert("StageVariableNames".into(), v);
                            }
                            Some(r)
                        })
                        .collect::<Vec<_>>(),
                ),
                Err(e) => {
                    rc.note_failed(&e);
                    None
                }
            }
        }
    })
    .await;
    out.extend(stages.into_iter().flatten().flatten());
    Ok(out)
}
