# Two commands do everything on a fresh machine: `make lab` and `make test`.
# Both install exact versions from requirements/ (lab.txt for learners, test.txt adds the test
# tools); `make lock` refreshes those files from pyproject.toml's ranges.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_STAMP := $(VENV)/.simlab-lab
TEST_STAMP := $(VENV)/.simlab-test
PYTEST := SIMLAB_SCALE=ci $(BIN)/pytest
NBVAL := --nbval --nbval-sanitize-with notebooks/sanitize.cfg --nbval-current-env
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet \
	--annotation-style line

.PHONY: install lab workshop test test-latest check test-heavy lint format bench lock \
	execute-notebooks clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# pip shows its progress: a first install takes a minute or two.
$(LAB_STAMP): pyproject.toml requirements/lab.txt | $(VENV)/bin/python
	@echo "Installing simlab and the lab's exact versions (requirements/lab.txt) into $(VENV) ..."
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements/lab.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): pyproject.toml requirements/test.txt | $(VENV)/bin/python
	@echo "Installing simlab, the lab and the test tools (requirements/test.txt) into $(VENV) ..."
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements/test.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $@ $(LAB_STAMP)

install: $(LAB_STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

## The main job: JupyterLab at the repository root (notebooks/ and exam_notes/ in its file
## browser), opening notebooks/00-start-here.ipynb; its terminals have .venv/bin on PATH.
lab: $(LAB_STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter lab --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb $(ROOT_FLAG) $(LAB_ARGS)

## The workshop apps (no code cells) served by Voila on 127.0.0.1:8866, with workshop/voila.json
## (preheated kernels, idle kernels of closed tabs culled); override with WORKSHOP_ARGS.
workshop: $(LAB_STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/voila workshop/ --no-browser --Voila.ip=127.0.0.1 \
		--Voila.config_file_paths=workshop $(WORKSHOP_ARGS)

LINTED := simlab tests examples benchmarks

## The whole suite: lint, unit tests, then every notebook under nbval.
test: $(TEST_STAMP)
	$(MAKE) --no-print-directory check

## The suite in whatever $(VENV) holds (test and test-latest call it).
check:
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy
	$(PYTEST) -m "not heavy" tests
	$(PYTEST) $(NBVAL) notebooks

## The suite against the newest releases inside pyproject's ranges, in .venv-latest: drift shows
## here (say, weekly) without breaking `make test`.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --disable-pip-version-check --upgrade -e ".[notebooks,test]"
	$(MAKE) --no-print-directory check VENV=.venv-latest

## Refreshes requirements/*.txt to the newest versions inside pyproject's ranges.
lock: $(TEST_STAMP)
	$(COMPILE) --upgrade --extra notebooks --extra test -o requirements/test.txt
	$(COMPILE) --extra notebooks -c requirements/test.txt -o requirements/lab.txt

## Statistical checks that take minutes.
test-heavy: $(TEST_STAMP)
	$(PYTEST) -m "heavy or fuzz" tests

## ruff on the code and tests; mypy strict on simlab/ (pyproject's [tool.mypy] lists the
## modules still excused).
lint: $(TEST_STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

## Re-run every notebook in place so its committed outputs are current.
execute-notebooks: $(LAB_STAMP)
	SIMLAB_SCALE=ci $(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb notebooks/*/*.ipynb

clean:
	rm -rf $(VENV) .venv-latest .pytest_cache build *.egg-info
