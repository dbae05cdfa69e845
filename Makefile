# Acme Platform. `make run` starts the platform, `make test` runs every test against private servers.
SWIFT ?= swift
BUILD_PACKAGES = libhiredis-dev libjwt-dev libssl-dev libargon2-dev libmariadb-dev librabbitmq-dev
TEST_PACKAGES = $(BUILD_PACKAGES) redis-server postgresql mariadb-server rabbitmq-server python3 curl
# Release builds link with the toolchain's lld and packed relative relocations (DT_RELR): the relocation table the
# loader reads at start shrinks from about 1 MB to tens of KB, and with it the gateway's resident memory.
# They also leave out the run-time exclusivity checks (swift_beginAccess/endAccess on every class property access
# in the proxy's path; CPU per proxied request about 10% lower, see the issue 10 note). The compiler's static
# checks remain, and debug builds, which `make test` runs, keep the run-time checks.
RELEASE_FLAGS = -c release -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
	-Xswiftc -enforce-exclusivity=unchecked

.PHONY: run build release test packages test-packages clean bench

packages:
	@scripts/install-packages.sh $(BUILD_PACKAGES)

## The notification tests run aiosmtpd and moto's server (SES) as subprocesses.
test-packages:
	@scripts/install-packages.sh $(TEST_PACKAGES) python3-pip
	@scripts/install-python-packages.sh aiosmtpd=aiosmtpd 'moto.server=moto[server]'

build: packages
	$(SWIFT) build

release: packages
	$(SWIFT) build $(RELEASE_FLAGS)

## The platform on embedded defaults: the user, order, inventory and notification services (127.0.0.1:8101-8104,
## SQLite under ./data) and the gateway (proxy :8000, admin 127.0.0.1:8001) with this repository's plugins.json and routes/.
run: release
	.build/release/acme up --config .

## Every test, against a private Redis, PostgreSQL, MariaDB and RabbitMQ on loopback (started and stopped here).
# SWIFTNIO_STRICT: scheduling work on an event loop that has shut down crashes the tests instead of printing.
test: test-packages
	$(SWIFT) build --build-tests
	SWIFTNIO_STRICT=1 scripts/test-servers.sh $(SWIFT) test --skip-build

## The gateway beside nginx and HAProxy on loopback, N = 1 and 2, scenarios 1-8 in interleaved rounds: a table
## (stdout and Benchmarks/results/latest.md) and a chart (latest.svg). BENCH_DURATION=5 BENCH_ROUNDS=3 by default;
## see Benchmarks/bench.py. Micro-benchmarks: cd Benchmarks && swift package benchmark.
bench: packages
	$(SWIFT) build $(RELEASE_FLAGS) --product acme
	@scripts/install-packages.sh nginx haproxy wrk python3
	python3 Benchmarks/bench.py

clean:
	rm -rf .build
