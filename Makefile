# 政府购买服务政策助手 — set-up, run, test, eval, benchmark.
# `make run` and `make test` work on a fresh clone: they create .venv, install, and build the index.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install browser-deps index run test eval bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP)

# Debian's Chromium and a CJK font, for the browser tests (Playwright drives /usr/bin/chromium).
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi -E 'wqy|noto sans cjk'; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	else echo "browser tests need: sudo apt-get install chromium fonts-wqy-microhei (they will be skipped)"; fi

index: install
	$(BIN)/policy-assistant index

run: index
	$(BIN)/streamlit run app.py --server.port 8501 --server.address localhost --server.headless true --browser.gatherUsageStats false

test: install browser-deps
	$(BIN)/python -m pytest -n 2 -q

eval: index
	$(BIN)/policy-assistant eval

bench: index
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf .index
