"""Validate SARIF files against the official SARIF 2.1.0 JSON schema.

The schema is `sarif-2.1.0-rtm.5.json`, the OASIS SARIF 2.1.0 schema, as the npm package
@microsoft/jest-sarif ships it: `install-schema.sh` installs it into a scratch folder, and
$SARIF_SCHEMA (or that folder's default place) names it. Usage:
    python3 validate.py FILE.sarif ...
Exit 0 valid, 1 invalid, 3 when the `jsonschema` package or the schema is not installed.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

schema_path = os.environ.get("SARIF_SCHEMA") or os.path.join(
    os.environ.get("SARIF_DIR", "/tmp/surveyor-sarif"),
    "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
)
if not os.path.isfile(schema_path):
    print(f"the SARIF schema is not installed ({schema_path}): run install-schema.sh", file=sys.stderr)
    sys.exit(3)
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:20]:
        print(f"{path}: {'/'.join(str(p) for p in e.path)}: {e.message}", file=sys.stderr)
    bad += bool(errors)
print(f"sarif: {len(sys.argv) - 1 - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
