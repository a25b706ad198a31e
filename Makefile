# Two commands do everything on a fresh machine: `make lab` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.simlab-installed
PYTEST := SIMLAB_SCALE=ci $(BIN)/pytest
NBVAL := --nbval --nbval-sanitize-with notebooks/sanitize.cfg --nbval-current-env

.PHONY: install lab workshop test test-heavy lint format bench execute-notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test]"
	touch $(STAMP)

install: $(STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

## The main job: JupyterLab on the notebooks, everything installed.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

## The workshop apps (no code cells) served by Voila on 127.0.0.1:8866; override with WORKSHOP_ARGS.
workshop: $(STAMP)
	$(BIN)/voila workshop/ --no-browser --Voila.ip=127.0.0.1 $(WORKSHOP_ARGS)

LINTED := simlab tests examples benchmarks

## The whole suite: lint, unit tests, then every notebook under nbval.
test: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(PYTEST) -m "not heavy" tests
	$(PYTEST) $(NBVAL) notebooks

## Statistical checks that take minutes.
test-heavy: $(STAMP)
	$(PYTEST) -m heavy tests

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

## Re-run every notebook in place so its committed outputs are current.
execute-notebooks: $(STAMP)
	SIMLAB_SCALE=ci $(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb notebooks/*/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
