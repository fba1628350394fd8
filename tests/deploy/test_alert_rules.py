"""The alert rules (deploy/prometheus/gastvrij-alerts.yml): valid for Prometheus, each one tested
firing and quiet with ``promtool test rules``, and every metric they read is one the service exports."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import Api

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "gastvrij-alerts.yml"
RULE_TESTS = RULES.with_name("gastvrij-alerts.test.yml")
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is missing (Debian package prometheus)")


def alerts() -> list[dict[str, object]]:
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


@needs_promtool
def test_the_rules_pass_promtool_check() -> None:
    done = subprocess.run([str(PROMTOOL), "check", "rules", str(RULES)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_promtool
def test_every_alert_fires_and_stays_quiet_as_its_promtool_tests_say() -> None:
    done = subprocess.run([str(PROMTOOL), "test", "rules", str(RULE_TESTS)], capture_output=True, text=True,
                          timeout=120, cwd=RULE_TESTS.parent)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_test_in_which_it_fires() -> None:
    fired = {case["alertname"] for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
             for case in test.get("alert_rule_test", []) if case.get("exp_alerts")}
    assert {str(rule["alert"]) for rule in alerts()} == fired


def test_every_metric_the_rules_read_is_exported_by_the_service(api: Api, make_token) -> None:
    kiosk = make_token("kiosk", name="kiosk-1")
    assert api.issue(kiosk, "paspoort").status_code == 201
    assert api.post("/api/v1/devices/me/status", kiosk, {"printer": "ok"}).status_code == 202
    metrics = api.get("/metrics", make_token("ops", None)).text
    exported = set(re.findall(r"^# TYPE (\w+) ", metrics, re.MULTILINE))
    exported |= {f"{name}_total" for name in exported}  # counters are read by their samples' name
    read = {name for rule in alerts() for name in re.findall(r"\bgastvrij_\w+", str(rule["expr"]))}
    assert read and read <= exported, read - exported
