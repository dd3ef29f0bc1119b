#!/usr/bin/env bash
# A schedd cluster on this machine, on loopback only: one etcd, one schedd-master and three
# schedd-worker processes, started from deploy/master.json and deploy/worker.json with the
# endpoints, ports and directories set by flags. Everything lives in a fresh temporary
# directory (logs included); Ctrl-C stops every process and removes it.
#
#   deploy/local-cluster.sh
#
# Settings (environment):
#   SCHEDD_ETCD_PORT       etcd client port                        [23790]
#   SCHEDD_ETCD_PEER_PORT  etcd peer port                          [23800]
#   API_PORT               the master's API port on 127.0.0.1     [8070]
#   WORKERS                how many workers                        [3]
#   ETCD_BIN               the etcd binary                         [etcd]
#   KEEP=1                 keep the temporary directory at the end
#
# etcd comes from the system (Debian/Ubuntu: `apt-get install etcd-server`; scripts/bootstrap
# installs it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
etcd_port="${SCHEDD_ETCD_PORT:-23790}"
peer_port="${SCHEDD_ETCD_PEER_PORT:-23800}"
api_port="${API_PORT:-8070}"
workers="${WORKERS:-3}"
etcd_bin="${ETCD_BIN:-etcd}"

say() { printf 'local-cluster: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v "$etcd_bin" >/dev/null 2>&1 ||
    die "no etcd binary ($etcd_bin): install etcd-server (scripts/bootstrap does) or set ETCD_BIN"
for port in "$etcd_port" "$peer_port" "$api_port"; do
    if listening "$port"; then
        die "port $port on 127.0.0.1 is taken; pick others with SCHEDD_ETCD_PORT, SCHEDD_ETCD_PEER_PORT or API_PORT"
    fi
done

say "building schedd-master and schedd-worker"
(cd "$root" && cargo build -p schedd-master -p schedd-worker)
bin="$root/target/debug"

dir="$(mktemp -d "${TMPDIR:-/tmp}/schedd-cluster.XXXXXX")"
pids=()
# Each process in its own process group: Ctrl-C reaches this script alone, which then stops
# them in order. (The processes would otherwise get the terminal's SIGINT too, and take the
# script's SIGTERM after it as a second signal meaning "exit at once".)
set -m

# Records a started process. Out of the job table, so that bash does not report on it:
# this script watches and stops its processes itself.
started() {
    pids+=("$1")
    disown "$1"
}

# Ctrl-C (or any exit) stops the cluster gracefully, in order: the workers (they kill their
# running jobs and hand the last records to the master, which takes up to ~15 s), then the
# master, then etcd. Each step sends SIGTERM and waits up to 30 s before SIGKILL. A second
# Ctrl-C kills everything at once.
stop() {
    trap - EXIT
    trap 'kill -KILL "${pids[@]}" 2>/dev/null; exit 130' INT TERM
    say "stopping (Ctrl-C again to kill at once)"
    terminate "${pids[@]:2}"
    terminate "${pids[@]:1:1}"
    terminate "${pids[@]:0:1}"
    if [[ "${KEEP:-}" == 1 ]]; then
        say "logs and data kept in $dir"
    else
        rm -rf "$dir"
    fi
}

# SIGTERM to the given processes, then SIGKILL to those still alive after 30 s.
terminate() {
    (($# > 0)) || return 0
    local pid t alive
    kill -TERM "$@" 2>/dev/null || true
    for ((t = 0; t < 300; t++)); do
        alive=()
        for pid in "$@"; do
            if kill -0 "$pid" 2>/dev/null; then
                alive+=("$pid")
            fi
        done
        ((${#alive[@]} > 0)) || return 0
        sleep 0.1
    done
    say "process ${alive[*]} did not stop within 30 s; killing it"
    kill -KILL "${alive[@]}" 2>/dev/null || true
}

trap stop EXIT
trap 'exit 130' INT TERM

# Waits until something listens on port $1, or fails if process $2 exits first.
await_port() {
    local port="$1" pid="$2" name="$3" t
    for ((t = 0; t < 300; t++)); do
        listening "$port" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            say "$name exited; the end of its log ($dir/$name.log):"
            tail -n 20 "$dir/$name.log" >&2 || true
            exit 1
        fi
        sleep 0.1
    done
    die "$name is not listening on 127.0.0.1:$port after 30 s; see $dir/$name.log"
}

etcd_endpoint="127.0.0.1:$etcd_port"

say "starting etcd on $etcd_endpoint (data in $dir/etcd)"
etcd_env=()
if [[ "$(uname -m)" == aarch64 ]]; then
    # etcd 3.4 refuses to start on arm64 without this.
    etcd_env=(ETCD_UNSUPPORTED_ARCH=arm64)
fi
env "${etcd_env[@]}" "$etcd_bin" \
    --name local \
    --data-dir "$dir/etcd" \
    --listen-client-urls "http://$etcd_endpoint" \
    --advertise-client-urls "http://$etcd_endpoint" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "local=http://127.0.0.1:$peer_port" \
    </dev/null >"$dir/etcd.log" 2>&1 &
started $!
await_port "$etcd_port" "${pids[0]}" etcd

say "starting schedd-master on 127.0.0.1:$api_port (records in $dir/master)"
"$bin/schedd-master" \
    --config "$root/deploy/master.json" \
    --etcd-endpoints "$etcd_endpoint" \
    --listen "127.0.0.1:$api_port" \
    --data-dir "$dir/master" \
    </dev/null >"$dir/master.log" 2>&1 &
started $!
await_port "$api_port" "${pids[-1]}" master

for ((n = 1; n <= workers; n++)); do
    id="worker-$n"
    say "starting schedd-worker $id"
    WORKER_ID="$id" "$bin/schedd-worker" \
        --config "$root/deploy/worker.json" \
        --etcd-endpoints "$etcd_endpoint" \
        --spool-dir "$dir/$id/spool" \
        </dev/null >"$dir/$id.log" 2>&1 &
    started $!
done

cat >&2 <<EOF

schedd is running: etcd at $etcd_endpoint, the master at http://127.0.0.1:$api_port, workers
worker-1..worker-$workers. Logs: $dir/*.log (tail -f $dir/master.log).

In another terminal:

  alias schedctl='cargo run -q --manifest-path $root/Cargo.toml -p schedctl --'
  export SCHEDCTL_ENDPOINT=http://127.0.0.1:$api_port   # or pass --endpoint to each command
  schedctl --endpoint http://127.0.0.1:$api_port worker list
  schedctl --endpoint http://127.0.0.1:$api_port job save hello --cron '*/5 * * * * *' --command 'echo hi from \$HOSTNAME'
  schedctl --endpoint http://127.0.0.1:$api_port log list --job hello

Press Ctrl-C to stop the cluster.
EOF

# Stays up until Ctrl-C or until any process exits on its own.
while true; do
    for pid in "${pids[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "process $pid exited; stopping the cluster (KEEP=1 keeps its logs)"
            exit 1
        fi
    done
    sleep 1
done
