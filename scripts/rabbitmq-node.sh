#!/usr/bin/env bash
# A private RabbitMQ node on loopback, all of whose state lives in DIR: its own node name, free ports (chosen at
# the first start and kept in DIR/ports, so a restarted node has the same address), data, logs, no plugins, and
# an Erlang port mapper (epmd) of its own, stopped with the node. Never touches the system's broker. Runs as root (as CI does) or as any user with a home for the Erlang cookie.
#   rabbitmq-node.sh start DIR    starts it, waits until it accepts AMQP connections, prints its AMQP URL
#   rabbitmq-node.sh stop DIR     stops it (and waits until it has stopped)
set -euo pipefail

RABBITMQ_BIN=${RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}
command=${1:?usage: rabbitmq-node.sh start|stop DIR}
dir=${2:?usage: rabbitmq-node.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

if [ ! -f "$dir/ports" ]; then
    echo "node=acme-test-$$-$RANDOM amqp=$(free_port) dist=$(free_port) epmd=$(free_port)" >"$dir/ports"
fi
read -r node_entry amqp_entry dist_entry epmd_entry <"$dir/ports"
node="${node_entry#node=}@localhost"
amqp_port=${amqp_entry#amqp=}
dist_port=${dist_entry#dist=}
export ERL_EPMD_PORT=${epmd_entry#epmd=}
export ERL_EPMD_ADDRESS=127.0.0.1

export RABBITMQ_NODENAME=$node
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp_port
export RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
# The CLI tools talk to the node over Erlang distribution on its own port, found through epmd.
ctl() { "$RABBITMQ_BIN/rabbitmqctl" -n "$node" "$@"; }

case $command in
start)
    [ -x "$RABBITMQ_BIN/rabbitmq-server" ] || { echo "rabbitmq-node: rabbitmq-server is not installed" >&2; exit 1; }
    echo '[].' >"$dir/enabled_plugins"
    # A test broker on a small disk still takes messages (the default refuses publishes under 50 MB free).
    printf 'disk_free_limit.absolute = 1MB\nloopback_users.guest = true\n' >"$dir/rabbitmq.conf"
    setsid "$RABBITMQ_BIN/rabbitmq-server" >>"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/server.pid"
    # Ready when the AMQP listener accepts connections (it opens last, after the boot); 5 s here when idle,
    # much longer on a busy machine.
    for _ in $(seq 1 1200); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $amqp_port), 1).close()" 2>/dev/null; then
            echo "amqp://guest:guest@127.0.0.1:$amqp_port/"
            exit 0
        fi
        kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "rabbitmq-node: the broker in $dir did not start" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    exit 1
    ;;
stop)
    ctl stop >/dev/null 2>&1 || true
    if [ -f "$dir/server.pid" ]; then
        pid=$(cat "$dir/server.pid")
        for _ in $(seq 1 300); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 -- -"$pid" 2>/dev/null; then
            # The node did not stop (the CLI could not reach it). It was started with setsid, so its pid leads a
            # process group of its own: end the whole group (the wrapper script, the Erlang VM and its helpers),
            # not just the wrapper, and wait for it.
            kill -- -"$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL -- -"$pid" 2>/dev/null || true
        fi
        rm -f "$dir/server.pid"
    fi
    epmd -kill >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: rabbitmq-node.sh start|stop DIR" >&2
    exit 2
    ;;
esac
