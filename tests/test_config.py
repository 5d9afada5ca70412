"""The settings: one table, read through the real ``aqb-rdf`` command (click's CliRunner).

An ``AQB_*`` variable overrides a default, an option overrides its variable, and a malformed
value ends the command with one line and exit status 1. The ``link`` cases talk to a real HTTP
server on loopback, started and stopped by each test. Only ``config.py`` reads the environment.
"""

from __future__ import annotations

import ast
import dataclasses
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aqb_rdf import config
from aqb_rdf.cli import cli

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "aqb_rdf"
REFERENCE = REPO / "data" / "reference"
SECTIONS = {
    "build": config.BuildSettings,
    "serve": config.ServeSettings,
    "link": config.LinkSettings,
    "push": config.PushSettings,
}
CHILD_PROCESS_WRITES = {
    ("sparql/pool.py", 'os.environ.setdefault("MALLOC_ARENA_MAX", "2")'),
    ("sparql/sandbox.py", 'os.environ["RUST_BACKTRACE"] = "0"'),
}
"""The two documented writes of variables for child processes; nothing else may touch them."""


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AQB_* variable of the developer's shell, and no proxy for loopback requests."""
    for name in [n for n in os.environ if n.startswith("AQB_") or n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def aqb_rdf(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# -- the table and the dataclasses -------------------------------------------------------------


def test_every_setting_is_a_field_and_every_field_a_setting_with_its_default() -> None:
    defaults = config.Settings()
    by_name = {s.name: s for s in config.SETTINGS}
    fields = {f.name for f in dataclasses.fields(config.Settings) if f.name not in SECTIONS}
    for section, cls in SECTIONS.items():
        fields |= {f"{section}.{f.name}" for f in dataclasses.fields(cls)}
    assert fields == set(by_name)
    for name, setting in by_name.items():
        section, _, attribute = name.rpartition(".")
        holder = getattr(defaults, section) if section else defaults
        assert getattr(holder, attribute) == setting.default, name


def test_every_variable_is_prefixed_and_used_once() -> None:
    variables = [s.envvar for s in config.SETTINGS if s.envvar]
    assert all(v.startswith("AQB_") for v in variables)
    assert len(variables) == len(set(variables))


def test_settings_for_reads_the_credentials_from_the_environment_only() -> None:
    environ = {"AQB_PUSH_USER": "dba", "AQB_PUSH_PASSWORD": "s3cret", "AQB_SERVE_PORT": "1"}
    settings = config.settings_for("push", {"push.retries": 0}, environ)
    assert (settings.push.user, settings.push.password, settings.push.token) == (
        "dba",
        "s3cret",
        None,
    )
    assert settings.push.retries == 0 and settings.serve.port == config.SERVE_PORT.default
    assert "s3cret" not in repr(settings)
    with pytest.raises(ValueError, match="push has no setting serve.port"):
        config.settings_for("push", {"serve.port": 1}, {})


def test_debug_is_any_non_empty_value_of_aqb_debug() -> None:
    assert config.debug_enabled({"AQB_DEBUG": "1"})
    assert not config.debug_enabled({"AQB_DEBUG": ""})
    assert not config.debug_enabled({})
    assert config.settings_for("serve", {}, {"AQB_DEBUG": "1"}).debug
    assert not config.settings_for("serve", {}, {}).debug


# -- through the real command ------------------------------------------------------------------


def test_help_shows_the_default_and_the_variable_of_each_setting() -> None:
    shown = " ".join(aqb_rdf("serve", "--help").stdout.split())
    for setting in (config.SERVE_PAGE_SIZE, config.SERVE_TIMEOUT, config.SERVE_QUERY_WORKERS):
        assert f"env var: {setting.envvar}; default: {setting.default}" in shown


def test_a_variable_overrides_the_default(tmp_path: Path) -> None:
    empty = tmp_path / "reference"
    empty.mkdir()
    result = aqb_rdf(
        "validate", str(REPO / "data" / "agreements"), env={"AQB_REFERENCE": str(empty)}
    )
    assert result.exit_code == 1
    assert str(empty) in result.stderr, result.stderr


def test_an_option_overrides_its_malformed_variable() -> None:
    env = {"AQB_BUILD_WORKERS": "many", "AQB_SHACL_ENGINE": "none"}
    args = ("validate", str(REPO / "data" / "agreements"))
    refused = aqb_rdf(*args, env=env)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "aqb-rdf: error: AQB_BUILD_WORKERS: 'many' is not a whole number from 1 to 64\n"
    )
    result = aqb_rdf(*args, "--workers", "1", "--shacl-engine", "core", env=env)
    assert result.exit_code == 0, result.output
    assert "all 2 document(s) conform" in result.stdout


def _malformed_cases() -> list[tuple[config.Setting[object], str]]:
    """Every setting with an option and a variable whose values can be malformed."""
    cases = []
    for setting in config.SETTINGS:
        if setting.option and setting.envvar and setting.check is None:
            if setting.kind in (int, float, Path) or setting.choices:
                cases.append((setting, config.commands_of(setting)[0]))
    return cases


@pytest.mark.parametrize(
    ("setting", "command"), _malformed_cases(), ids=[s.name for s, _ in _malformed_cases()]
)
def test_a_malformed_value_is_one_line_naming_its_source(
    setting: config.Setting[object], command: str, tmp_path: Path
) -> None:
    bad = str(tmp_path / "missing") if setting.kind is Path else "1e9x"
    extra = ("--endpoint", "http://127.0.0.1:9/") if command == "push" else ()
    from_variable = aqb_rdf(command, *extra, env={setting.envvar or "": bad})
    from_option = aqb_rdf(command, *extra, setting.option or "", bad)
    for result, where in ((from_variable, setting.envvar), (from_option, setting.option)):
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr == f"aqb-rdf: error: {where}: {bad!r} is not {setting.expected}\n"


def test_the_port_names_its_range() -> None:
    result = aqb_rdf("serve", "--port", "65536")
    assert (
        result.stderr == "aqb-rdf: error: --port: '65536' is not a whole number from 0 to 65535\n"
    )


class _Unavailable(http.server.BaseHTTPRequestHandler):
    """Answers every request with 503, and counts them."""

    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def unavailable() -> Iterator[tuple[str, list[str]]]:
    """The URL of a loopback SPARQL endpoint that is always unavailable, and its requests."""
    requests: list[str] = []
    handler = type("Handler", (_Unavailable,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_link_takes_endpoint_and_retries_from_the_environment(
    unavailable: tuple[str, list[str]],
) -> None:
    url, requests = unavailable
    env = {"AQB_LINK_ENDPOINT": url, "AQB_LINK_RETRIES": "0", "AQB_LINK_TIMEOUT": "5"}
    result = aqb_rdf("link", "--reference", str(REFERENCE), env=env)
    assert result.exit_code == 1
    assert url in result.stderr and "503" in result.stderr, result.stderr
    assert len(requests) == 1  # AQB_LINK_RETRIES=0: no second attempt


def test_link_options_override_the_environment(unavailable: tuple[str, list[str]]) -> None:
    url, requests = unavailable
    env = {"AQB_LINK_ENDPOINT": "http://127.0.0.1:9/nowhere", "AQB_LINK_RETRIES": "0"}
    result = aqb_rdf(
        "link", "--reference", str(REFERENCE), "--endpoint", url, "--retries", "1", env=env
    )
    assert result.exit_code == 1
    assert url in result.stderr and "nowhere" not in result.stderr, result.stderr
    assert len(requests) == 2  # --retries 1: one more attempt


# -- only config.py reads the environment -----------------------------------------------------


def _environment_uses(tree: ast.Module) -> list[ast.AST]:
    """The nodes that touch the environment: os.environ, os.getenv and the like."""
    names = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    uses: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                uses.append(node)
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            uses += [node for alias in node.names if alias.name in names]
    return uses


def test_only_config_reads_the_environment() -> None:
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative == "config.py":
            continue
        source = path.read_text(encoding="utf-8")
        for node in _environment_uses(ast.parse(source)):
            line = source.splitlines()[getattr(node, "lineno", 1) - 1].strip()
            found.add((relative, line.split("  #")[0]))
    assert found == CHILD_PROCESS_WRITES


def test_the_environment_check_finds_a_read() -> None:
    tree = ast.parse('import os\nfrom os import getenv\nx = os.environ.get("AQB_X")\n')
    assert len(_environment_uses(tree)) == 2
