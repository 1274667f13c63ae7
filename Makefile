# Developer tasks.  Uses the project venv when there is one (make PYTHON=... to override).
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)

.PHONY: completions check bench bench-integrate

## Regenerate completions/ (bash, zsh, fish) from the installed CLI
completions:
	$(PYTHON) scripts/gen_completions.py

## Tests, then lint
check:
	$(PYTHON) -m pytest
	$(PYTHON) -m ruff check .

## Start-up benchmark: --help, --version, TAB, grad vs a bare `import sympy`
bench:
	$(PYTHON) bench/startup.py
	$(PYTHON) bench/fork_cost.py

## Integrator on the Rubi dev corpus (../shared/corpus) next to plain SymPy: about half an hour
bench-integrate:
	$(PYTHON) -m bench.integrate
