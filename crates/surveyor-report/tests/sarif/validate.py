"""Validate SARIF files against the SARIF 2.1.0 JSON schema shipped beside this script.

The schema is `sarif-2.1.0-rtm.5.json`, the OASIS SARIF 2.1.0 schema as published on
schemastore (copied from the npm package @microsoft/jest-sarif, MIT). Usage:
    python3 validate.py FILE.sarif ...
Exit 0 valid, 1 invalid, 3 when the `jsonschema` package is not installed.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "sarif-2.1.0-rtm.5.json"), encoding="utf-8") as f:
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
