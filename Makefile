# Developer tasks.  Uses the project venv when there is one (make PYTHON=... to override).
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)
LINT_IMPORTS ?= $(if $(wildcard .venv/bin/lint-imports),.venv/bin/lint-imports,lint-imports)

.PHONY: completions check test-fast explore bench bench-integrate bench-peers katex

## Regenerate completions/ (bash, zsh, fish) from the installed CLI
completions:
	$(PYTHON) scripts/gen_completions.py

## KaTeX for the LaTeX-compiles test (pinned, into build/katex; the test also runs this when needed)
katex:
	scripts/install-katex

## Tests, lint, format, layer contracts and types: what CI runs (.ci/run)
check: katex
	$(PYTHON) -m pytest
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(LINT_IMPORTS)
	$(PYTHON) -m mypy

## The quick tests on both cores (slow ones deselected); `pytest -n 2` runs them all
test-fast:
	$(PYTHON) -m pytest -n 2 -m "not slow"

## The property tests with fresh random draws (CI draws the same ones every run)
explore:
	HYPOTHESIS_PROFILE=explore $(PYTHON) -m pytest tests/property -n 2

## Start-up benchmark: --help, --version, TAB, grad vs a bare `import sympy`
bench:
	$(PYTHON) bench/startup.py
	$(PYTHON) bench/fork_cost.py

## Integrator on the Rubi dev corpus (../shared/corpus) next to plain SymPy: about half an hour
bench-integrate:
	$(PYTHON) -m bench.integrate

## calccli beside Giac and Maxima on the same work (apt-get install -y xcas maxima): a few minutes
bench-peers:
	$(PYTHON) bench/peers.py
