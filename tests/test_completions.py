"""The committed shell-completion scripts, and completion itself.

``completions/*`` must be exactly what ``scripts/gen_completions.py`` produces
from the CLI as it is now; when a test here fails, run ``make completions``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SCRUB = ("COMP_", "_TYPER_COMPLETE", "_CALCCLI_COMPLETE")


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_completions", ROOT / "scripts" / "gen_completions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB)}
    env.update(extra)
    return env


def _complete(**env: str) -> subprocess.CompletedProcess[str]:
    """One TAB press: the CLI run the way the completion scripts run it."""
    return subprocess.run(
        [sys.executable, "-m", "calccli"],
        cwd=ROOT,
        env=_env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def generated() -> dict[Path, str]:
    return gen.expected()


@pytest.mark.parametrize("shell", sorted(gen.FILES))
def test_committed_script_matches_generator(shell: str, generated: dict[Path, str]) -> None:
    path = gen.OUT_DIR / gen.FILES[shell]
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing; run `make completions`"
    assert path.read_text() == generated[path], (
        f"{path.relative_to(ROOT)} has drifted from the CLI; run `make completions` and commit the result"
    )


def test_generator_check_mode_reports_no_drift(generated: dict[Path, str]) -> None:
    assert gen.drifted(generated) == []


def test_generator_check_mode_names_a_drifted_file(tmp_path: Path, generated: dict[Path, str]) -> None:
    moved = {tmp_path / path.name: text for path, text in generated.items()}
    for path, text in moved.items():
        path.write_text(text)
    stale = tmp_path / gen.FILES["zsh"]
    stale.write_text(moved[stale].replace("calccli", "__main__.py"))
    assert gen.drifted(moved) == [stale]


@pytest.mark.parametrize("shell", sorted(gen.FILES))
def test_scripts_name_calccli(shell: str) -> None:
    text = (gen.OUT_DIR / gen.FILES[shell]).read_text()
    assert "_CALCCLI_COMPLETE=complete_" in text
    assert "__main__" not in text and "python" not in text
    if shell == "zsh":
        assert text.startswith("#compdef calccli\n")  # what compinit reads to autoload it


def test_bash_completion_offers_grad() -> None:
    r = _complete(_CALCCLI_COMPLETE="complete_bash", COMP_WORDS="calccli gr", COMP_CWORD="1")
    assert "grad" in r.stdout.split(), r.stdout + r.stderr


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("calccli grad --fo", "2", {"--format"}),
        ("calccli grad --format ", "3", {"table", "text", "latex", "json"}),
        ("calccli ", "1", {"diff", "grad", "directional", "jacobian", "hessian", "laplacian", "functions"}),
    ],
)
def test_bash_completion_of_options_and_choices(words: str, cword: str, expected: set[str]) -> None:
    r = _complete(_CALCCLI_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)
    assert expected <= set(r.stdout.split()), r.stdout + r.stderr


@pytest.mark.parametrize(
    ("shell", "env"),
    [
        ("bash", {"COMP_WORDS": "calccli gr", "COMP_CWORD": "1"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "calccli gr"}),
        ("fish", {"_TYPER_COMPLETE_ARGS": "calccli gr", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
    ],
)
def test_completion_request_exits_cleanly(shell: str, env: dict[str, str]) -> None:
    """Anything on stderr lands in the user's terminal on every TAB press."""
    r = _complete(_CALCCLI_COMPLETE=f"complete_{shell}", **env)
    assert "grad" in r.stdout, r.stdout
    assert (r.returncode, r.stderr) == (0, ""), r.stderr[-1500:]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_committed_bash_script_completes_in_bash() -> None:
    """Source completions/calccli.bash in a real bash and press TAB after `calccli gr`."""
    script = gen.OUT_DIR / gen.FILES["bash"]
    program = f"""
        source {script}
        complete -p calccli
        COMP_WORDS=(calccli gr)
        COMP_CWORD=1
        _calccli_completion calccli gr calccli
        printf 'reply:%s\\n' "${{COMPREPLY[@]}}"
    """
    bindir = Path(sys.executable).parent
    if not (bindir / "calccli").exists():
        pytest.skip("the calccli console script is not installed next to this Python")
    env = _env(PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    r = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert "complete -o default -F _calccli_completion calccli" in r.stdout
    assert "reply:grad" in r.stdout.splitlines(), r.stdout + r.stderr
