# Order Fulfillment: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
ARGS ?=

.PHONY: help run stop status test test-unit test-compose infra build install lint check-compose format up down logs events seed-data bench reset test-faults

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: install build ## start Kafka, the MongoDB-wire server, both apps and the gateway on :8000 (no Docker)
	@scripts/stack.sh up

stop: ## stop everything `make run` started
	@scripts/stack.sh down

reset: ## stop everything and delete all local data (Kafka topics, read models, logs)
	@scripts/stack.sh reset

status: ## show which local services are running
	@scripts/stack.sh status

test: ## build, start what is missing, run unit + integration + e2e tests, stop what it started
	@scripts/test.sh $(ARGS)

test-unit: ## unit tests only (no infrastructure needed)
	@npx --no-install jest --selectProjects unit $(ARGS)

infra: ## start only Kafka and the MongoDB-wire server (for integration tests from an IDE)
	@scripts/stack.sh infra
	@echo 'Export the test environment with: eval "$$(scripts/stack.sh env)"'

install: ## install npm packages, fetch Kafka, build FerretDB, install nginx (all cached)
	@scripts/stack.sh install

build: ## compile both apps with nest build
	@npm run --silent build

lint: ## ESLint, Prettier and the TypeScript compiler, all must be clean
	@npx --no-install eslint --max-warnings=0 .
	@npx --no-install prettier --check --log-level=warn .
	@npx --no-install tsc -p tsconfig.json --noEmit
	@npx --no-install tsc -p apps/console/tsconfig.json --noEmit

check-compose: ## validate docker-compose.yml with `docker compose config` (no engine needed)
	@scripts/check-compose.sh

format: ## rewrite files with Prettier
	@npx --no-install prettier --write --log-level=warn .

logs: ## follow the local services' logs
	@tail -n 20 -F .run/logs/*.log

seed-data: ## fill the running system through the gateway (ARGS="--orders 100000 --concurrency 32")
	@npx --no-install tsx scripts/seed-data.ts $(ARGS)

test-faults: build ## faults under load (kill -9, Kafka and MongoDB outages) against the local stack, then consistency checks
	@scripts/stack.sh up >/dev/null
	@eval "$$(scripts/stack.sh env)" && npx --no-install tsx scripts/faults/faults.ts $(ARGS)

bench: build ## benchmarks with their ceilings, against the local stack (ARGS=--smoke for a quick run)
	@scripts/stack.sh up >/dev/null
	@eval "$$(scripts/stack.sh env)" && npx --no-install tsx scripts/bench/bench.ts $(ARGS)

events: ## tail the event topics in readable form (ARGS="--from-start --no-follow --dlq")
	@npx --no-install tsx scripts/events.ts $(ARGS)

up: ## start the whole stack in Docker Compose on 127.0.0.1 (BIND_ADDRESS widens it); admin token in .env
	@scripts/compose-env.sh
	docker compose up -d --build --wait

test-compose: ## run the test suites against the Compose stack started by `make up`
	@set -a && . ./.env && set +a && OF_STACK=external scripts/test.sh $(ARGS)

down: ## stop the Docker Compose stack
	docker compose down
