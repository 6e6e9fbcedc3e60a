"""Shared helpers for the account builders: every builder works in an account of its own
(moto keys accounts by the access key an STS AssumeRole hands out), so tests that share one
moto server never see each other's resources. Only the local moto endpoint is ever used."""

import io
import json
import os
import sys
import zipfile

import boto3

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "")
if not ENDPOINT.startswith("http://127.0.0.1:") and not ENDPOINT.startswith("http://localhost:"):
    sys.exit("refusing to run: AWS_ENDPOINT_URL must point at a local moto server")


def session(account: str, region: str = "us-east-1"):
    sts = boto3.client("sts", region_name=region, endpoint_url=ENDPOINT)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/surveyor-test",
        RoleSessionName="surveyor-test",
    )["Credentials"]
    s = boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )
    return s, creds


def client(s, name, region=None):
    return s.client(name, endpoint_url=ENDPOINT, region_name=region or s.region_name)


def lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def emit(creds, account, **facts):
    """The builder's answer on stdout: credentials for the account, and what it made."""
    print(
        json.dumps(
            {
                "access_key": creds["AccessKeyId"],
                "secret_key": creds["SecretAccessKey"],
                "session_token": creds["SessionToken"],
                "account": account,
                "facts": facts,
            },
            default=str,
        )
    )
