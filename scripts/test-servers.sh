#!/usr/bin/env bash
# Runs a command with private Redis, PostgreSQL, MariaDB and RabbitMQ servers on loopback, on free ports, in a
# temporary directory; exports REDIS_URL, DATABASE_URL, MYSQL_URL and AMQP_URL to it, and stops the servers on every
# exit path. Never touches the system's own services. Runs as root (CI does): PostgreSQL is run as the postgres user.
# Without mariadbd (package mariadb-server, which `make test` installs) MYSQL_URL stays unset and the MySQL tests
# are skipped, except under CI=true, where that is a failure. RabbitMQ is installed when missing
# (scripts/install-packages.sh); without it (not installable) AMQP_URL stays unset and the broker's tests skip, or
# fail under CI=true.
set -euo pipefail
scripts=$(cd "$(dirname "$0")" && pwd)

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/acme-test-servers.XXXXXX)
chmod 755 "$work"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_servers() {
    local status=$?
    if [ -f "$work/redis.pid" ]; then kill "$(cat "$work/redis.pid")" 2>/dev/null || true; fi
    if [ -d "$work/rabbitmq" ]; then "$scripts/rabbitmq-node.sh" stop "$work/rabbitmq" || true; fi
    if [ -d "$work/pg" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [ -f "$work/mysql.pid" ]; then
        local mysql_pid
        mysql_pid=$(cat "$work/mysql.pid")
        kill "$mysql_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$mysql_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$work"
    exit $status
}
trap stop_servers EXIT INT TERM

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --dir "$work" --logfile "$work/redis.log"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null || { echo "test-servers: redis did not start" >&2; cat "$work/redis.log" >&2; exit 1; }

pg_port=$(free_port)
mkdir -p "$work/pg" "$work/pgsock"
chown postgres:postgres "$work/pg" "$work/pgsock"
runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg" -A trust -U acme >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -w -l "$work/pgsock/pg.log" \
    -o "-p $pg_port -k $work/pgsock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$work/pgsock/pg.log" >&2; exit 1; }
psql -h 127.0.0.1 -p "$pg_port" -U acme -d postgres -qc "CREATE DATABASE acme" >/dev/null

MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
if [ -x "$MARIADBD" ]; then
    mysql_port=$(free_port)
    mkdir -p "$work/mysql"
    # Passwordless root on 127.0.0.1 too (by default root may only log in over the socket).
    mariadb-install-db --datadir="$work/mysql" --user=root --auth-root-authentication-method=normal \
        --skip-test-db >"$work/mysql-install.log" 2>&1 || { cat "$work/mysql-install.log" >&2; exit 1; }
    "$MARIADBD" --no-defaults --datadir="$work/mysql" --port="$mysql_port" --bind-address=127.0.0.1 \
        --socket="$work/mysql/sock" --pid-file="$work/mysql.pid" --log-error="$work/mysql.log" --user=root \
        --skip-log-bin --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=128M \
        --innodb-log-file-size=32M --max-connections=200 >"$work/mysqld.out" 2>&1 &
    for _ in $(seq 1 300); do
        mariadb-admin --no-defaults --socket="$work/mysql/sock" -uroot ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    mariadb --no-defaults --socket="$work/mysql/sock" -uroot \
        -e "CREATE DATABASE acme CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" \
        || { echo "test-servers: mariadb did not start" >&2; cat "$work/mysql.log" >&2; exit 1; }
    export MYSQL_URL="mysql://root@127.0.0.1:$mysql_port/acme"
elif [ "${CI:-}" = "true" ]; then
    echo "test-servers: mariadbd is missing (Debian package mariadb-server; make test installs it)" >&2
    exit 1
else
    echo "test-servers: mariadbd is missing: the MySQL tests are skipped (make test installs mariadb-server)" >&2
fi

export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export DATABASE_URL="postgres://acme@127.0.0.1:$pg_port/acme"
echo "test-servers: REDIS_URL=$REDIS_URL DATABASE_URL=$DATABASE_URL MYSQL_URL=${MYSQL_URL:-}"
# RabbitMQ boots in about 5 s (longer on a busy machine); rabbitmq-node.sh waits until it takes connections.
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || "$scripts/install-packages.sh" rabbitmq-server \
    || echo "test-servers: rabbitmq-server could not be installed" >&2
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    AMQP_URL=$("$scripts/rabbitmq-node.sh" start "$work/rabbitmq")
    export AMQP_URL
    echo "test-servers: AMQP_URL=$AMQP_URL"
fi
"$@"
