"""VNG-Realisatie's own published tests of the Zaken API, run with newman against the service: the
Postman collections of VNG-Realisatie/gemma-postman-tests (``ZGW_api_postman_tests.json`` folder
``zrc``; ``ZGW_OAS_tests.json`` folders ``setUp`` and ``ZRC``), and every JSON body the service sends
them checked against the official ``src/openapi.yaml`` of VNG-Realisatie/zaken-api at tag 1.5.1.

Nothing of VNG's is kept in this repository: the collections and the OpenAPI document are read at run
time from local mirrors of those repositories (``ZGW_MIRROR``, default ``/work/.mirror``); without
them, or without Node.js, the test is skipped and says why. newman comes from the npm registry into
``node_modules`` with the suite's other Node tools (package.json, ``make node``). The other ZGW APIs the
collections use are ``zgw_fixtures``.

Figures per resource are printed and written to ``var/conformance.json``; the test fails when a
resource passes fewer assertions than it did when last measured (``FLOORS``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from queue_ticketing.api.app import create_app
from queue_ticketing.domain.clock import system_clock
from queue_ticketing.services.zgw_auth import SCOPES
from queue_ticketing.services.zgw_permissions import Autorisatie, put_client_autorisaties
from queue_ticketing.settings import Settings
from queue_ticketing.store.database import Database
from queue_ticketing.store.migrations import upgrade
from queue_ticketing.store.write_batch import write_alone
from tests.cases.conformance.zgw_fixtures import Fixtures
from tests.support.live_server import ThreadServer

ROOT = Path(__file__).resolve().parents[3]
MIRROR = Path(os.environ.get("ZGW_MIRROR", "/work/.mirror"))
POSTMAN = MIRROR / "VNG-Realisatie+gemma-postman-tests" / "repo"
ZAKEN_API = MIRROR / "VNG-Realisatie+zaken-api" / "repo"
ZAKEN_API_TAG = "1.5.1"
NEWMAN = ROOT / "node_modules" / ".bin" / "newman"
RESOURCES = ("zaken", "statussen", "resultaten", "rollen")
FLOORS = {"zaken": 149, "statussen": 8, "resultaten": 16, "rollen": 9}
"""Assertions passing per resource when last measured (docs/cases.md); a run below them fails."""

pytestmark = pytest.mark.timeout(1200)

LOOP_GUARD = """
var name = pm.info.requestName;
var streak = pm.collectionVariables.get("gastvrij_guard_last") === name
    ? Number(pm.collectionVariables.get("gastvrij_guard_streak") || 0) + 1 : 1;
pm.collectionVariables.set("gastvrij_guard_last", name);
pm.collectionVariables.set("gastvrij_guard_streak", streak);
if (streak > 20) { pm.execution.skipRequest(); }
"""
"""Added (in memory) before every request: the collection's ``zrc-007b`` sends itself again until it has
seen every Documenten object of a case, and loops forever when there is none (the service holds no
zaakinformatieobjecten); a request sent more than 20 times in a row is skipped, and the run goes on."""


def _zrc_tail(collection: dict[str, Any]) -> dict[str, Any]:
    """The ``zrc`` folder with only its setUp, ``zrc-001`` (which makes the case body ``zrc-023`` uses),
    ``zrc-023``, tearDown and common requests (in memory): the collection's ``zrc-022`` jumps to a request
    that does not exist (``(zrc-022b) ...``), which ends every run there, so ``zrc-023`` (deleting a case
    with its statuses, result and roles) gets a run of its own. Only its ``zrc-023`` assertions count."""
    copy = json.loads(json.dumps(collection))

    def trim(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("name") == "zrc" and "item" in item:
                item["item"] = [i for i in item["item"] if i.get("name") in
                                ("setUp", "zrc-001", "zrc-023", "tearDown", "common requests")]
            elif "item" in item:
                trim(item["item"])

    trim(copy["item"])
    return copy


def _guarded(collection: dict[str, Any]) -> dict[str, Any]:
    events = [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": LOOP_GUARD.splitlines()}}]
    return {**collection, "event": events + list(collection.get("event") or [])}


def _git_show(repo: Path, revision: str, path: str) -> bytes:
    if not repo.exists():
        pytest.skip(f"no mirror of {repo.name} at {repo} (set ZGW_MIRROR); VNG's files are never kept here")
    shown = subprocess.run(["git", f"--git-dir={repo}", "show", f"{revision}:{path}"], capture_output=True,
                           check=False)
    if shown.returncode != 0:
        pytest.skip(f"{path} at {revision} is not in the mirror {repo}: {shown.stderr.decode()[:200]}")
    return shown.stdout


def _newman() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed to run newman (Debian: apt-get install nodejs npm)")
    if not NEWMAN.exists():
        pytest.skip("newman is not installed: `make node` installs it with npm (package.json) into node_modules")
    return NEWMAN


class ServiceUnderTest:
    def __init__(self, tmp: Path, fixtures_url: str) -> None:
        self.settings = Settings(database_url=f"sqlite:///{tmp / 'conformance.sqlite'}", access_log=False,
                                 catalogi_api_url=f"{fixtures_url}/ztc/api/v1", zgw_client_id="gastvrij",
                                 referentielijsten_api_url=f"{fixtures_url}/ref/api/v1",
                                 zgw_client_secret="a-secret-the-fixtures-do-not-check-0123456789")
        self.db = Database(self.settings.database_url)
        upgrade(self.db)

    def register(self, client_id: str, secret: str, everything: bool, autorisaties: list[dict[str, Any]]) -> None:
        """What the Autorisaties API would hold for this client, in the service's own table."""
        given = [Autorisatie("*", frozenset(SCOPES))] if everything else [
            Autorisatie(str(a.get("zaaktype") or "*"), frozenset(s for s in a.get("scopes", []) if s in SCOPES),
                        str(a.get("maxVertrouwelijkheidaanduiding") or "zeer_geheim"))
            for a in autorisaties if a.get("component") == "zrc"]
        types = self.app.state.case_types
        keyed = [Autorisatie(types.key_of(a.zaaktype) or a.zaaktype if a.zaaktype != "*" else "*", a.scopes,
                             a.max_vertrouwelijkheidaanduiding) for a in given]
        write_alone(self.db, system_clock, lambda uow: put_client_autorisaties(uow, client_id, secret, keyed))

    def start(self) -> ThreadServer:
        self.app = create_app(self.settings)
        self.server = ThreadServer(self.app).start()
        return self.server


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(_git_show(ZAKEN_API, ZAKEN_API_TAG, "src/openapi.yaml"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[dict[str, Any]], str]]:
    api = json.loads(_git_show(POSTMAN, "HEAD", "ZGW_api_postman_tests.json"))
    oas = json.loads(_git_show(POSTMAN, "HEAD", "ZGW_OAS_tests.json"))
    newman = _newman()
    tmp = tmp_path_factory.mktemp("conformance")
    holder: dict[str, ServiceUnderTest] = {}
    fixtures = Fixtures(lambda *args: holder["service"].register(*args)).start()
    service = holder["service"] = ServiceUnderTest(tmp, fixtures.url)
    server = service.start()
    base = server.url.removeprefix("http://")
    environment = {"zrc_url": f"{base}/zaken/api/v1", "ztc_url": f"{fixtures.url}/ztc/api/v1",
                   "drc_url": f"{fixtures.url}/drc/api/v1", "brc_url": f"{fixtures.url}/brc/api/v1",
                   "nrc_url": f"{fixtures.url}/nrc/api/v1", "ac_url": f"{fixtures.url}/ac/api/v1",
                   "referentielijst_url": f"{fixtures.url}/ref/api/v1", "mock_url": f"{fixtures.url}/mock",
                   "token-issuer_url": f"{fixtures.url}/token-issuer", "client_id": "zgw_api_tests",
                   "secret": "secret", "client_id_limited": "zgw_api_tests_limited", "secret_limited": "secret_limited"}
    env_file = tmp / "environment.json"
    env_file.write_text(json.dumps({"name": "gastvrij", "values": [{"key": k, "value": v, "enabled": True}
                                                                    for k, v in environment.items()]}))
    executions: list[dict[str, Any]] = []
    defined = _defined(api, ["zrc"]) + _defined(oas, ["setUp", "ZRC"])
    try:
        for name, collection, folders in (("api", api, ["zrc"]), ("api-zrc-023", _zrc_tail(api), ["zrc"]),
                                          ("oas", oas, ["setUp", "ZRC"])):
            path = tmp / f"{name}.json"
            path.write_text(json.dumps(_guarded(collection)))
            report = tmp / f"{name}-report.json"
            command = [str(newman), "run", str(path), "-e", str(env_file), "--reporters", "json",
                       "--reporter-json-export", str(report), "--timeout-request", "20000", "--insecure"]
            for folder in folders:
                command += ["--folder", folder]
            subprocess.run(command, cwd=tmp, capture_output=True, timeout=800, check=False)
            ran = json.loads(report.read_text())["run"]["executions"]
            if name == "api-zrc-023":
                ran = [e for e in ran if e["item"]["name"].startswith("(zrc-023")]
            executions += ran
        yield executions, f"{server.url}/zaken/api/v1", defined
    finally:
        server.stop()
        fixtures.stop()
        service.db.dispose()


def _resource(url: str, zrc: str) -> str | None:
    if not url.startswith(zrc):
        return None
    first = url.removeprefix(zrc).split("?")[0].strip("/").split("/")
    if first[0] not in RESOURCES:
        return None
    return first[0] if len(first) <= 2 or first[0] != "zaken" else None  # zaken/{uuid}/<sub-resource>: not ours


def _url(execution: dict[str, Any]) -> str:
    url = execution["request"]["url"]
    host = ".".join(url.get("host", [])) if isinstance(url.get("host"), list) else str(url.get("host", ""))
    port = f":{url['port']}" if url.get("port") else ""
    return f"{url.get('protocol', 'http')}://{host}{port}/" + "/".join(url.get("path", []))


def _figures(executions: list[dict[str, Any]], zrc: str) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {r: Counter() for r in RESOURCES}
    for execution in executions:
        resource = _resource(_url(execution), zrc)
        if resource is None:
            continue
        for assertion in execution.get("assertions") or []:
            counts[resource]["passed" if not assertion.get("error") else "failed"] += 1
    return {r: {"passed": c["passed"], "total": c["passed"] + c["failed"]} for r, c in counts.items()}


RESOURCE_VARIABLES = {"zaken": ("zaak_url", "zaak"), "statussen": ("status",), "resultaten": ("resultaat",),
                      "rollen": ("rol_url",)}


def _defined(collection: dict[str, Any], folders: list[str]) -> Counter[str]:
    """Assertions (``pm.test``) the collections define on requests to the four resources, whether a run
    reaches them or not: by the request's URL (``{{zrc_url}}/zaken``, ``{{zaak_url}}``, ...)."""
    counts: Counter[str] = Counter()

    def walk(items: list[dict[str, Any]], selected: bool) -> None:
        for item in items:
            inside = selected or item.get("name") in folders
            if "item" in item:
                walk(item["item"], inside)
                continue
            if not inside:
                continue
            raw = item["request"]["url"]["raw"] if isinstance(item["request"]["url"], dict) else item["request"]["url"]
            resource = _resource_of_raw(str(raw))
            tests = " ".join(" ".join(e["script"].get("exec", [])) for e in item.get("event", [])
                             if e.get("listen") == "test")
            if resource:
                counts[resource] += tests.count("pm.test(")

    walk(collection["item"], False)
    return counts


def _resource_of_raw(raw: str) -> str | None:
    if raw.startswith("{{zrc_url}}/"):
        first = raw.removeprefix("{{zrc_url}}/").split("?")[0].split("/")[0]
        return first if first in RESOURCES else None
    variable = re.match(r"^\{\{([^}]+)\}\}", raw)
    if variable is None or "/" in raw.removeprefix(variable.group(0)).strip("/").split("?")[0]:
        return None
    name = variable.group(1)
    if "zaakinformatieobject" in name or "zaakobject" in name or "zaakeigenschap" in name:
        return None
    for resource, markers in (("statussen", ("status",)), ("resultaten", ("resultaat",)), ("rollen", ("rol_url",)),
                              ("zaken", ("zaak",))):
        if any(marker in name for marker in markers):
            return resource
    return None


def _nullable(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: _nullable(v) for k, v in schema.items() if k not in ("nullable", "discriminator")}
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _template(path: str, openapi: dict[str, Any]) -> str | None:
    for template in openapi["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return template  # type: ignore[no-any-return]
    return None


def _body_problems(executions: list[dict[str, Any]], zrc: str, openapi: dict[str, Any]) -> tuple[int, list[str]]:
    """How many response bodies were checked against the official schema, and what did not conform."""
    import jsonschema

    components = _nullable(openapi["components"])
    problems = []
    checked = 0
    for execution in executions:
        url, response = _url(execution), execution.get("response") or {}
        if not url.startswith(zrc) or not response.get("stream"):
            continue
        path = url.removeprefix(zrc).split("?")[0] or "/"
        template = _template(path, openapi)
        method = execution["request"]["method"].lower()
        status = str(response.get("code"))
        declared = openapi["paths"].get(template or "", {}).get(method, {}).get("responses", {}).get(status)
        if template is None or declared is None:
            continue
        content = declared.get("content", {})
        schema = next(iter(content.values()), {}).get("schema") if content else None
        if schema is None:
            continue
        try:
            body = json.loads(bytes(response["stream"]["data"]).decode())
        except ValueError:
            problems.append(f"{method.upper()} {path} {status}: not JSON")
            continue
        checked += 1
        validator = jsonschema.Draft7Validator({**_nullable(schema), "components": components},
                                               format_checker=jsonschema.FormatChecker())
        for error in list(validator.iter_errors(body))[:3]:
            problems.append(f"{method.upper()} {template} {status}: {'/'.join(map(str, error.path))}: "
                            f"{error.message[:160]}")
    return checked, problems


def test_vngs_collections_pass_on_zaken_statussen_resultaten_and_rollen(run, openapi) -> None:  # type: ignore[no-untyped-def]
    executions, zrc, defined = run
    figures = _figures(executions, zrc)
    for resource in RESOURCES:
        figures[resource]["defined"] = defined[resource]
    checked, problems = _body_problems(executions, zrc, openapi)
    report = {"figures": figures, "bodies_checked": checked, "schema_problems": len(problems),
              "schema_problem_examples": problems[:40]}
    out = ROOT / "var" / "conformance.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    for resource, floor in FLOORS.items():
        assert figures[resource]["passed"] >= floor, (resource, figures[resource])
    assert sum(f["total"] for f in figures.values()) > 0, "no assertion on the four resources ran"
    assert checked > 0 and not problems, problems[:10]
