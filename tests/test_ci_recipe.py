"""The CI recipe (examples/ci/letters.yml) and the project's own workflows
(.github/workflows/) run as written: they match GitHub's workflow schema
(check-jsonschema's vendored copy, offline), and they keep the rules a schema
cannot see: a checkout before any cache, no package installed by its name
alone, actions pinned to commits, every shard merged, and the campaign
checked with ``--format github`` so problems become annotations.
"""

from __future__ import annotations

import re
import shlex
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "examples" / "ci" / "letters.yml"
WORKFLOWS = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), RECIPE]

#: pip options whose value is the next word (an install names nothing there).
VALUE_OPTIONS = {
    "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
    "-t", "--target", "--prefix", "--root", "--python-version", "--platform", "--abi",
    "--implementation", "--only-binary", "--no-binary", "--cache-dir", "--src",
    "--upgrade-strategy", "--progress-bar", "--log", "--report", "-C", "--config-settings",
}  # fmt: skip
COMMIT = re.compile(r"@[0-9a-f]{40}(#.*)?$")
SHA256 = re.compile(r"#sha256=[0-9a-f]{64}$")
SEPARATORS = {"&&", "||", ";", ";;", "|", "&", "(", ")"}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def steps(workflow: Mapping[str, Any]) -> Iterator[tuple[str, int, dict[str, Any], dict[str, str]]]:
    """(job, step number from 1, step, the environment the step sees)."""
    for name, job in workflow["jobs"].items():
        for number, step in enumerate(job.get("steps", []), 1):
            env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
            yield name, number, step, {k: str(v) for k, v in env.items()}


def commands(script: str, env: Mapping[str, str]) -> Iterator[list[str]]:
    """The words of each simple command of a run script, the workflow's
    variables put in (``$X``, ``${X}``, ``${{ env.X }}``; others stay as written)."""

    def expand(word: str) -> str:
        word = re.sub(r"\$\{\{\s*env\.(\w+)\s*\}\}", lambda m: env.get(m[1], m[0]), word)
        return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m[1], m[0]), word)

    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split, lexer.commenters = True, ""
        words: list[str] = []
        for token in lexer:
            if token.startswith("#"):  # a comment, to the end of the line
                break
            if token in SEPARATORS:
                yield words
                words = []
            else:
                words.append(expand(token))
        yield words


def pip_install_arguments(words: list[str]) -> list[str] | None:
    """What follows ``pip install`` (or ``python -m pip install``); None for another command."""
    for i, word in enumerate(words):
        if re.fullmatch(r"pip[0-9.]*", Path(word).name) and words[i + 1 : i + 2] == ["install"]:
            return words[i + 2 :]
    return None


def requirement_problem(req: str, root: Path) -> str | None:
    """Why installing *req* could bring in other code than meant; None when pinned."""
    url = req.split(" @ ", 1)[1].strip() if " @ " in req else req
    if "://" in url:
        if url.startswith("git+"):
            return None if COMMIT.search(url) else f"{req!r}: pin a git URL to a full 40-hex commit"
        if url.startswith("file:") or SHA256.search(url):
            return None
        return f"{req!r}: give the file's hash (#sha256=...)"
    if re.match(r"\.\.?(\[|$)", req) or "/" in req:
        return None  # a folder or a file of the repository, built or installed as it is
    if "$" in req:
        return f"{req!r}: cannot tell what this installs"
    return f"{req!r}: installs a package by its name alone; pin it (see examples/ci/README.md)"


def requirements_file_problems(name: str, root: Path) -> list[str]:
    """Every requirement of a requirements file must carry its hash."""
    path = root / name
    if not path.is_file():
        return [f"-r {name}: no such file in the repository"]
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith(("#", "-")) and "--hash=sha256:" not in line:
            found.append(f"-r {name}: {line.split()[0]!r} has no --hash=sha256:")
    return found


def install_problems(args: list[str], root: Path) -> list[str]:
    """Why the packages a ``pip install`` names are not pinned ([] when all are)."""
    found: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-r", "--requirement"):
            found += requirements_file_problems(args[i + 1], root)
            i += 1
        elif arg in ("-e", "--editable"):
            found += filter(None, [requirement_problem(args[i + 1], root)])
            i += 1
        elif arg in VALUE_OPTIONS:
            i += 1
        elif not arg.startswith("-"):
            found += filter(None, [requirement_problem(arg, root)])
        i += 1
    return found


def unpinned_installs(workflow: Mapping[str, Any], root: Path = ROOT) -> list[str]:
    found = []
    for job, number, step, env in steps(workflow):
        for words in commands(step.get("run", ""), env):
            args = pip_install_arguments(words)
            for problem in install_problems(args or [], root):
                found.append(f"job {job}, step {number}: {problem}")
    return found


def caches_before_checkout(workflow: Mapping[str, Any]) -> list[str]:
    """Steps that use a cache in a job before actions/checkout has run."""
    found = []
    for name, job in workflow["jobs"].items():
        checked_out = False
        for number, step in enumerate(job.get("steps", []), 1):
            action = str(step.get("uses", "")).split("@")[0]
            checked_out = checked_out or action == "actions/checkout"
            if ("cache" in (step.get("with") or {}) or action.startswith("actions/cache")) and (
                not checked_out
            ):
                found.append(f"job {name}, step {number} ({action}) uses a cache before checkout")
    return found


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"tried to reach the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def check_workflow_schema(
    files: list[Path], capsys: pytest.CaptureFixture[str], schema: str = "github-workflows"
) -> tuple[int, str]:
    """check-jsonschema's command line, run here, against its vendored copy of
    GitHub's workflow schema: (exit status, what it printed)."""
    from check_jsonschema import main

    argv = ["--builtin-schema", f"vendor.{schema}", *map(str, files)]
    status = main(argv, standalone_mode=False)
    captured = capsys.readouterr()
    return int(status or 0), captured.out + captured.err


@pytest.mark.usefixtures("no_network")
def test_workflows_match_githubs_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that every workflow is valid for GitHub, checked offline."""
    assert len(WORKFLOWS) >= 3, WORKFLOWS  # ci, release and the recipe
    status, printed = check_workflow_schema(WORKFLOWS, capsys)
    assert status == 0, printed
    assert "ok" in printed


@pytest.mark.usefixtures("no_network")
def test_dependabot_config_matches_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that the file keeping the actions' pins current is valid."""
    config = ROOT / ".github" / "dependabot.yml"
    status, printed = check_workflow_schema([config], capsys, schema="dependabot")
    assert status == 0, printed
    assert load(config)["updates"][0]["package-ecosystem"] == "github-actions"


@pytest.mark.usefixtures("no_network")
def test_schema_check_catches_a_broken_workflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that the schema check fails, naming the file, on a job
    with a misspelt key and no runner."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    stpes:\n      - run: echo hi\n")
    status, printed = check_workflow_schema([broken], capsys)
    assert status == 1
    assert "broken.yml" in printed


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_comes_before_any_cache(path: Path) -> None:
    assert caches_before_checkout(load(path)) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_package_is_installed_by_name(path: Path) -> None:
    assert unpinned_installs(load(path)) == []


def pins(path: Path) -> list[tuple[str, str, str]]:
    """(action, ref, the comment after it) of each ``uses:`` of a workflow."""
    found = re.findall(r"uses:\s*([\w.-]+/[\w./-]+)@(\S+)[ \t]*(?:#[ \t]*(\S+))?", path.read_text())
    return [(action, ref, release) for action, ref, release in found]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits(path: Path) -> None:
    """This test ensures that each action is named by a full commit id (a tag
    can be moved), with its release in a comment for update tools."""
    used = pins(path)
    assert len(used) == str(load(path)).count("'uses':")
    for action, ref, release in used:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}@{ref}"
        assert re.fullmatch(r"v\d+(\.\d+)*", release), f"{action}@{ref} has no '# vX.Y.Z'"


def test_each_action_is_the_same_release_everywhere() -> None:
    pinned: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for action, ref, release in pins(path):
            pinned.setdefault(action, set()).add(f"{ref} {release}")
    assert {"actions/checkout", "actions/setup-python"} <= set(pinned)
    assert all(len(refs) == 1 for refs in pinned.values()), pinned


def _run_words(path: Path, job: str) -> list[list[str]]:
    workflow = load(path)
    found = []
    for name, _, step, env in steps(workflow):
        if name == job:
            found += [w for w in commands(step.get("run", ""), env) if w]
    return found


def test_recipe_checks_with_annotations() -> None:
    """This test ensures that the recipe's check job runs ``letterkit check`` with
    ``--format github`` (problems shown on the pull request) on the campaign."""
    checks = [w for w in _run_words(RECIPE, "check") if w[:2] == ["letterkit", "check"]]
    assert checks
    for words in checks:
        assert "--format=github" in words or words[words.index("--format") + 1] == "github"
        assert words[2] == load(RECIPE)["env"]["CAMPAIGN"]


def test_recipe_builds_every_shard_and_merges_them() -> None:
    """This test ensures that the matrix, the bundle's --shard K/N and the merge agree."""
    workflow = load(RECIPE)
    shards = workflow["jobs"]["build"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    bundles = [w for w in _run_words(RECIPE, "build") if w[:2] == ["letterkit", "bundle"]]
    assert len(bundles) == 1
    # $SHARD is the job's ${{ matrix.shard }}
    assert bundles[0][bundles[0].index("--shard") + 1] == f"${{{{ matrix.shard }}}}/{len(shards)}"
    merges = [w for w in _run_words(RECIPE, "merge") if w[:3] == ["letterkit", "manifest", "merge"]]
    assert len(merges) == 1
    assert merges[0][3:-2] == [f"shard-{k}" for k in shards]
    uploads = [s for _, _, s, _ in steps(workflow) if "upload-artifact" in s.get("uses", "")]
    assert [u["with"]["name"] for u in uploads] == ["shard-${{ matrix.shard }}", "letters"]
    assert workflow["jobs"]["merge"]["needs"] == "build"
    assert workflow["jobs"]["build"]["needs"] == "check"


def test_recipe_installs_letterkit_pinned() -> None:
    """This test ensures that every job installs letterkit from the one pinned
    LETTERKIT (a commit or a hashed wheel), never from PyPI by name."""
    workflow = load(RECIPE)
    pin = workflow["env"]["LETTERKIT"]
    assert pin.startswith("letterkit @ ")
    assert requirement_problem(pin, ROOT) is None
    for job in workflow["jobs"]:
        installs = [pip_install_arguments(w) for w in _run_words(RECIPE, job)]
        assert [args for args in installs if args is not None] == [[pin]], job


def test_release_pins_its_build_tools_by_hash() -> None:
    """This test ensures that the release builds with hashed tools only, and
    that the requirements file lists build's and hatchling's dependencies."""
    text = (ROOT / ".github" / "release-requirements.txt").read_text()
    names = set(
        re.findall(r"^([A-Za-z0-9._-]+)==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}$", text, re.M)
    )
    assert {"build", "hatchling", "packaging", "pyproject-hooks", "pluggy", "pathspec"} <= names
    assert requirements_file_problems(".github/release-requirements.txt", ROOT) == []
    runs = " ".join(
        " ".join(w) for w in _run_words(ROOT / ".github/workflows/release.yml", "build")
    )
    assert "--require-hashes" in runs
    assert "python -m build --no-isolation" in runs


# The rules catch what they are for.

BAD_STEPS = [
    ("pip install letterkit", "by its name alone"),
    ("python -m pip install --upgrade pip", "by its name alone"),
    ("pip install 'letterkit==0.1.0'", "by its name alone"),
    ('pip install "letterkit @ git+https://github.com/o/letterkit@main"', "40-hex commit"),
    ('pip install "letterkit @ https://x.test/letterkit-0.1-py3-none-any.whl"', "#sha256="),
    ('pip install "$UNSET_PIN"', "cannot tell"),
    ("pip install -r plain.txt", "'pyyaml==6.0' has no --hash"),
    ("pip install -r nowhere.txt", "no such file"),
    ("cd x && pip3 install -e . pyyaml", "'pyyaml'"),
]


@pytest.mark.parametrize(("run", "expected"), BAD_STEPS)
def test_unpinned_install_is_caught(run: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("# tools\npyyaml==6.0\n")
    workflow = {"jobs": {"j": {"steps": [{"run": run}]}}}
    found = unpinned_installs(workflow, tmp_path)
    assert len(found) == 1, found
    assert expected in found[0]
    assert found[0].startswith("job j, step 1: ")


GOOD_STEPS = [
    "pip install .",
    'pip install -e ".[test]" -c constraints/lowest.txt',
    f'pip install "letterkit @ git+https://github.com/o/letterkit@{"a" * 40}"',
    'pip install "$PIN"  # the pin above',
    f"pip install 'letterkit @ https://x.test/l.whl#sha256={'0' * 64}'",
    "pip install --require-hashes --only-binary :all: -r .github/release-requirements.txt",
    'python -m venv v && v/bin/python -m pip install "dist/letterkit-${TAG#v}-py3-none-any.whl"',
    "echo 'pip install letterkit is what not to do'",
]


@pytest.mark.parametrize("run", GOOD_STEPS)
def test_pinned_install_passes(run: str) -> None:
    pin = f"letterkit @ git+https://github.com/o/letterkit@{'b' * 40}"
    workflow = {"env": {"PIN": pin}, "jobs": {"j": {"steps": [{"run": run}]}}}
    assert unpinned_installs(workflow) == []


def test_cache_before_checkout_is_caught() -> None:
    setup = {"uses": "actions/setup-python@x", "with": {"cache": "pip"}}
    late = {"jobs": {"j": {"steps": [setup, {"uses": "actions/checkout@x"}]}}}
    cache = {"jobs": {"j": {"steps": [{"uses": "actions/cache/restore@x"}]}}}
    fine = {"jobs": {"j": {"steps": [{"uses": "actions/checkout@x"}, setup]}}}
    assert caches_before_checkout(late) == [
        "job j, step 1 (actions/setup-python) uses a cache before checkout"
    ]
    assert caches_before_checkout(cache) == [
        "job j, step 1 (actions/cache/restore) uses a cache before checkout"
    ]
    assert caches_before_checkout(fine) == []
