.PHONY: setup test lint format types bench demo fixtures

setup:
	uv sync --locked

test:
	uv run pytest

lint:
	uv run ruff check src tests bench
	uv run ruff format --check src tests bench

format:
	uv run ruff format src tests bench
	uv run ruff check --fix src tests bench

types:
	uv run mypy

bench:
	uv run python -m bench

demo:
	uv run zeromile demo
