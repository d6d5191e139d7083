"""Prove docker-compose.yml without a Docker engine: ``python -m ops.compose_check``.

1. The file validates against the Compose specification's JSON schema
   (``check-jsonschema --builtin-schema vendor.compose-spec``; the schema ships inside
   check-jsonschema, so no network is needed).
2. Every reference resolves: each ``${VAR}`` compose interpolates is listed in .env.example;
   each named volume a service mounts is declared; each ``depends_on`` target is a service;
   each bind-mounted file, ``env_file`` and build context exists (``.env`` itself is made from
   .env.example by the operator).
3. Exactly one service runs ``celery beat``, and it is not replicated.
4. Every variable the settings read from the environment is either listed in .env.example,
   set by the compose file itself, or a development/test-only switch (``DEV_ONLY``).

Exit code 0 when all hold; otherwise each problem is printed on its own line and the code is 1.
Needs the development requirements (check-jsonschema, which brings ruamel.yaml).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Read by the settings but not for the operator to set: dev/test switches, DEBUG (forced off in production),
# STATIC_ROOT (the image collects static files at build time), PORT and FORWARDED_ALLOW_IPS (gunicorn defaults).
DEV_ONLY = {"DEBUG", "SQLITE_PATH", "CELERY_DEFAULT_QUEUE", "STATIC_ROOT", "PORT", "FORWARDED_ALLOW_IPS"}
# Interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, $VAR — but not the escaped $$.
_BRACED = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
_BARE = re.compile(r"(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)")
_SETTINGS_ENV = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def load_yaml(path: Path) -> dict:
    from ruamel.yaml import YAML

    # Safe loader: plain dicts and lists, YAML merge keys (<<: *app) resolved.
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def env_example_vars(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].strip().removeprefix("export ").strip())
    return names


def schema_errors(compose_path: Path) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(compose_path)],
        capture_output=True, text=True, timeout=120,
    )
    if proc.returncode == 0:
        return []
    return [f"schema: {line.strip()}" for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def interpolated_vars(text: str) -> set[str]:
    # Comments may mention $$ or ${...} in prose; compose ignores them, and so do we.
    code = "\n".join(line.split(" #", 1)[0] for line in text.splitlines() if not line.lstrip().startswith("#"))
    return set(_BRACED.findall(code)) | set(_BARE.findall(code))


def _volume_sources(service: dict) -> list[tuple[str, str]]:
    """(kind, source) for each mount: kind is "volume" (named) or "bind" (host path)."""
    out = []
    for mount in service.get("volumes") or []:
        if isinstance(mount, str):
            source = mount.split(":", 1)[0] if ":" in mount else ""
            if not source:
                continue  # anonymous volume
            kind = "bind" if source.startswith((".", "/", "~", "$")) else "volume"
            out.append((kind, source))
        elif isinstance(mount, dict) and mount.get("source"):
            out.append(("bind" if mount.get("type") == "bind" else "volume", mount["source"]))
    return out


def _depends_on(service: dict) -> list[str]:
    deps = service.get("depends_on") or []
    return list(deps.keys()) if isinstance(deps, dict) else list(deps)


def _command_text(service: dict) -> str:
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else str(command)


def reference_errors(compose: dict, compose_text: str, env_vars: set[str], base_dir: Path) -> list[str]:
    errors = []
    for var in sorted(interpolated_vars(compose_text) - env_vars):
        errors.append(f"env: ${{{var}}} is used in the compose file but not listed in .env.example")
    services = compose.get("services") or {}
    declared_volumes = set((compose.get("volumes") or {}).keys())
    for name, service in services.items():
        service = service or {}
        for target in _depends_on(service):
            if target not in services:
                errors.append(f"depends_on: service {name} depends on {target}, which is not a service")
            elif target == name:
                errors.append(f"depends_on: service {name} depends on itself")
        for kind, source in _volume_sources(service):
            if kind == "volume" and source not in declared_volumes:
                errors.append(f"volume: service {name} mounts named volume {source}, which is not declared")
            elif kind == "bind" and not (base_dir / source).exists():
                errors.append(f"volume: service {name} bind-mounts {source}, which does not exist")
        env_files = service.get("env_file") or []
        for env_file in [env_files] if isinstance(env_files, (str, dict)) else env_files:
            path = env_file["path"] if isinstance(env_file, dict) else env_file
            if Path(path).name == ".env":
                if not (base_dir / ".env.example").exists():
                    errors.append(f"env_file: service {name} reads .env but there is no .env.example to copy")
            elif not (base_dir / path).exists():
                errors.append(f"env_file: service {name} reads {path}, which does not exist")
        build = service.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if not (base_dir / context / dockerfile).exists():
                errors.append(f"build: service {name} builds {context}/{dockerfile}, which does not exist")
    beats = [name for name, s in services.items() if re.search(r"\bcelery\b.*\bbeat\b", _command_text(s or {}))]
    if len(beats) != 1:
        errors.append(f"beat: exactly one service must run celery beat, found {len(beats)}: {beats}")
    for name in beats:
        replicas = ((services[name] or {}).get("deploy") or {}).get("replicas", 1)
        if replicas != 1:
            errors.append(f"beat: service {name} has {replicas} replicas; periodic jobs would run {replicas} times")
    return errors


def settings_env_vars(base_dir: Path) -> set[str]:
    names: set[str] = set()
    for path in [*sorted((base_dir / "config" / "settings").glob("*.py")), base_dir / "config" / "gunicorn.py"]:
        if path.exists():
            names |= set(_SETTINGS_ENV.findall(path.read_text(encoding="utf-8")))
    return names


def settings_errors(compose: dict, env_vars: set[str], base_dir: Path) -> list[str]:
    set_by_compose: set[str] = set()
    for service in (compose.get("services") or {}).values():
        environment = (service or {}).get("environment") or {}
        if isinstance(environment, list):
            set_by_compose |= {item.split("=", 1)[0] for item in environment}
        else:
            set_by_compose |= set(environment)
    missing = settings_env_vars(base_dir) - env_vars - set_by_compose - DEV_ONLY
    return [f"settings: {var} is read from the environment but not listed in .env.example" for var in sorted(missing)]


def check(base_dir: Path = ROOT, compose_name: str = "docker-compose.yml", *, schema: bool = True) -> list[str]:
    compose_path = base_dir / compose_name
    env_example = base_dir / ".env.example"
    if not compose_path.exists():
        return [f"{compose_name} not found"]
    if not env_example.exists():
        return [".env.example not found"]
    errors = schema_errors(compose_path) if schema else []
    compose = load_yaml(compose_path) or {}
    env_vars = env_example_vars(env_example)
    errors += reference_errors(compose, compose_path.read_text(encoding="utf-8"), env_vars, base_dir)
    errors += settings_errors(compose, env_vars, base_dir)
    return errors


def main(argv: list[str]) -> int:
    base_dir = Path(argv[1]).resolve() if len(argv) > 1 else ROOT
    errors = check(base_dir)
    for error in errors:
        print(error)
    print("docker-compose.yml: OK" if not errors else f"docker-compose.yml: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
