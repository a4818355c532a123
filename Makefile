.PHONY: start test

# Start the platform: frontend on :3000, backend on :7007.
start:
	@./scripts/start.sh

# Type check, lint, prettier and every package's tests.
test:
	@./scripts/test.sh
