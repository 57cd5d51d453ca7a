"""Renders a report as text, JSON, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

import json
from typing import Any

from invariants.checker import Report
from invariants.model import Diagnostic
from invariants.rules import catalogue

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_URI = "https://github.com/strata/strata#the-invariant-checker"


def render(report: Report, output_format: str) -> str:
    renderers = {"text": text, "json": as_json, "sarif": sarif, "github": github}
    return renderers[output_format](report)


def text(report: Report) -> str:
    lines = [d.render() for d in report.diagnostics]
    if report.suppressed:
        lines.append(f"suppressed ({len(report.suppressed)}):")
        lines += [
            f"  {d.path}:{d.line}:{d.column}: {d.code} ({s.reason})" for d, s in report.suppressed
        ]
    return "\n".join(lines)


def as_json(report: Report) -> str:
    document = {
        "version": 1,
        "diagnostics": [_diagnostic(d) for d in report.diagnostics],
        "suppressed": [{**_diagnostic(d), "reason": s.reason} for d, s in report.suppressed],
        "notices": report.notices,
        "summary": {
            "violations": len(report.diagnostics),
            "suppressed": len(report.suppressed),
            "files": report.files,
            "seconds": round(report.seconds, 3),
        },
    }
    return json.dumps(document, indent=2)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "message": d.message,
    }


def sarif(report: Report) -> str:
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": f"{rule.summary} Why: {rule.why}"},
            "help": {"text": f"How to fix: {rule.fix}", "markdown": f"**How to fix:** {rule.fix}"},
            "defaultConfiguration": {"level": "error"},
        }
        for rule in catalogue().values()
    ]
    index = {code: i for i, code in enumerate(catalogue())}
    results = [_result(d, index) for d in report.diagnostics]
    # Suppressed findings are listed, not reported: code scanning would open alerts for them.
    suppressed = [{**_diagnostic(d), "reason": s.reason} for d, s in report.suppressed]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "strata-invariants",
                        "informationUri": TOOL_URI,
                        "version": "1.0.0",
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": {"suppressed": suppressed, "notices": report.notices},
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2)


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": "error",
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": d.path},
                    "region": {"startLine": d.line, "startColumn": d.column},
                }
            }
        ],
    }


def github(report: Report) -> str:
    lines = [
        f"::error file={_property(d.path)},line={d.line},col={d.column},"
        f"title={d.code}::{_data(d.message)}"
        for d in report.diagnostics
    ]
    lines += [
        f"::notice file={_property(d.path)},line={d.line},title={d.code} suppressed::"
        f"{_data(s.reason)}"
        for d, s in report.suppressed
    ]
    lines += [f"::notice title=strata-invariants::{_data(n)}" for n in report.notices]
    return "\n".join(lines)


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
