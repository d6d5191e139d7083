"""docker-compose.yml, proven without a Docker engine: schema, references, one beat, every variable listed."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ops.compose_check import check, load_yaml
from tests.ops.conftest import ROOT


@pytest.fixture
def copy(tmp_path):
    """A copy of everything the check reads, to break one thing at a time."""
    for name in ("docker-compose.yml", ".env.example", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_the_real_compose_file_passes_every_check():
    assert check(ROOT) == []


def test_the_command_line_exits_0_on_the_real_file_and_1_on_a_broken_copy(copy):
    ok = subprocess.run([sys.executable, "-m", "ops.compose_check"], cwd=ROOT, capture_output=True, text=True,
                        timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    edit(copy / ".env.example", "POSTGRES_DB=tindaklanjut\n", "")
    broken = subprocess.run([sys.executable, "-m", "ops.compose_check", str(copy)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert broken.returncode == 1 and "POSTGRES_DB" in broken.stdout


def test_a_key_the_compose_specification_does_not_know_fails_the_schema(copy):
    edit(copy / "docker-compose.yml", "      start_period: 20s\n", "      start_perod: 20s\n")
    errors = check(copy)
    assert errors and all(e.startswith("schema:") for e in errors)
    assert any("start_perod" in e for e in errors)


def test_a_named_volume_that_is_not_declared_is_reported(copy):
    edit(copy / "docker-compose.yml", "\n  uploads:\n", "\n")
    assert check(copy, schema=False) == [
        f"volume: service {name} mounts named volume uploads, which is not declared"
        for name in ("migrate", "web", "worker", "beat")
    ]


def test_a_variable_missing_from_env_example_is_reported(copy):
    edit(copy / ".env.example", "SITE_DOMAIN=tindaklanjut.example.go.id\n", "")
    assert check(copy, schema=False) == [
        "env: ${SITE_DOMAIN} is used in the compose file but not listed in .env.example"
    ]


def test_a_depends_on_target_that_is_not_a_service_is_reported(copy):
    edit(copy / "docker-compose.yml", "    depends_on:\n      web:\n", "    depends_on:\n      webapp:\n")
    assert check(copy, schema=False) == ["depends_on: service proxy depends on webapp, which is not a service"]


def test_a_missing_bind_mounted_file_is_reported(copy):
    (copy / "deploy" / "Caddyfile").unlink()
    assert check(copy, schema=False) == [
        "volume: service proxy bind-mounts ./deploy/Caddyfile, which does not exist"
    ]


def test_a_second_beat_is_reported(copy):
    edit(copy / "docker-compose.yml", "\n  proxy:\n",
         "\n  beat2:\n    <<: *app\n    command: [\"celery\", \"-A\", \"config\", \"beat\"]\n\n  proxy:\n")
    errors = check(copy, schema=False)
    assert len(errors) == 1 and errors[0].startswith("beat: exactly one service must run celery beat, found 2")


def test_a_setting_read_from_the_environment_but_not_in_env_example_is_reported(copy):
    with open(copy / "config" / "settings" / "base.py", "a") as fh:
        fh.write('\nNEW_GATEWAY_KEY = os.environ.get("NEW_GATEWAY_KEY", "")\n')
    assert check(copy, schema=False) == [
        "settings: NEW_GATEWAY_KEY is read from the environment but not listed in .env.example"
    ]


def test_worker_and_beat_reuse_the_web_service_definition_and_differ_only_in_command():
    services = load_yaml(ROOT / "docker-compose.yml")["services"]
    shared = ("build", "image", "env_file", "environment", "volumes", "depends_on", "restart")
    for name in ("worker", "beat"):
        assert {k: services[name][k] for k in shared} == {k: services["web"][k] for k in shared}
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert services["redis"]["command"] == ["redis-server", "--maxmemory-policy", "noeviction",
                                            "--appendonly", "yes"]
    assert all("healthcheck" in s for n, s in services.items() if n != "migrate")
