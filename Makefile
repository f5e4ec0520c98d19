# bgtasks: the entry points of DESIGN.md §4. `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BGTASKS := $(VENV)/bin/bgtasks
ENV ?= dev
# Terraform reads the project's own CLI config (provider mirror when present; see
# bgtasks/terraform_env.py), never the one the surrounding environment may name.
export TF_CLI_CONFIG_FILE := $(CURDIR)/tf/cli.tfrc
export TF_IN_AUTOMATION := 1
TF_MODULES := $(sort $(dir $(wildcard modules/*/versions.tf)))
TF_ENVS := $(sort $(dir $(wildcard envs/*/versions.tf)))
ASL_FILES := $(wildcard statemachines/*.asl.json)

.PHONY: help venv constraints build tfconfig validate lint fmt-check tf-validate tf-test asl-validate \
        checkov test pytest bench demo up down plan apply clean

help:
	@echo "make demo      run the whole pipeline on the embedded AWS"
	@echo "make test      the whole suite (validate + pytest)"
	@echo "make venv | build | validate | bench | up | down | plan ENV=dev | apply ENV=dev"

# --- setup -----------------------------------------------------------------------------------
$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt 2>&1 \
	  | { grep -v "^WARNING: Location" || true; }
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>&1 \
	  | { grep -v "^WARNING: Location" || true; }
	touch $@

venv: $(VENV)/.installed

constraints: venv
	{ echo "# Transitive pins: pip freeze of a venv built from requirements.txt (Python 3.11)."; \
	  echo "# Regenerate with: make constraints"; \
	  $(VENV)/bin/pip freeze --exclude-editable 2>/dev/null | grep -v '^-e'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

tfconfig: venv
	@$(PY) -m bgtasks.terraform_env >/dev/null

build: venv
	$(PY) -m bgtasks.lambda_zip functions/metadata build/metadata-function.zip

# --- checks ----------------------------------------------------------------------------------
validate: fmt-check tf-validate tf-test asl-validate lint checkov

fmt-check:
	terraform fmt -check -recursive -diff modules envs

tf-validate: tfconfig build
	@for d in $(TF_MODULES) $(TF_ENVS); do \
	  echo "terraform validate $$d"; \
	  terraform -chdir=$$d init -backend=false -input=false >/dev/null; \
	  terraform -chdir=$$d validate -no-color; \
	done

tf-test: tfconfig build
	@for d in $(TF_MODULES); do \
	  if ls $$d/tests/*.tftest.hcl >/dev/null 2>&1; then \
	    echo "terraform test $$d"; \
	    terraform -chdir=$$d init -backend=false -input=false >/dev/null; \
	    terraform -chdir=$$d test -no-color; \
	  fi; \
	done

asl-validate: venv
	$(BGTASKS) validate $(ASL_FILES)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bgtasks functions/metadata/metadata_fn worker

checkov:
	bash tools/checkov.sh

test: venv validate pytest

pytest: venv build tfconfig
	$(VENV)/bin/pytest -q

bench: venv build tfconfig
	$(PY) -m bench

# --- embedded AWS and the demo ---------------------------------------------------------------
up: venv
	$(BGTASKS) local up --detach

down: venv
	$(BGTASKS) local down

demo: venv build tfconfig
	$(BGTASKS) demo

# --- real environments -----------------------------------------------------------------------
# envs/dev and envs/prod use an S3 backend with partial configuration: envs/$(ENV)/backend.hcl
# (git-ignored; see backend.hcl.example) supplies bucket, key and region when present.
BACKEND_CONFIG = $(if $(wildcard envs/$(ENV)/backend.hcl),-backend-config=backend.hcl)

plan: tfconfig build
	terraform -chdir=envs/$(ENV) init -input=false $(BACKEND_CONFIG)
	terraform -chdir=envs/$(ENV) plan -input=false -var-file=$(ENV).tfvars

apply: tfconfig build
	terraform -chdir=envs/$(ENV) init -input=false $(BACKEND_CONFIG)
	terraform -chdir=envs/$(ENV) apply -input=false -var-file=$(ENV).tfvars

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
	find modules envs -name .terraform -type d -prune -exec rm -rf {} +
