#!/usr/bin/env bash
# A one-node Slurm on this machine, for the Slurm tests and for trying Export-RefilledSweep by hand. Run as root.
#   local-slurm.sh start   installs slurm-wlm and munge when absent (Debian 12: Slurm 22.05), writes a minimal
#                          /etc/slurm/slurm.conf, starts munged, slurmctld and slurmd unless they already run,
#                          and waits until the node is idle. Idempotent: a second start changes nothing.
#   local-slurm.sh stop    stops the daemons that this script started (and only those).
set -euo pipefail
state=/run/refilled-slurm
conf=/etc/slurm/slurm.conf
host=$(hostname -s)

die() { echo "local-slurm: $*" >&2; exit 1; }

install() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then
        return
    fi
    [ "$(id -u)" = 0 ] || die "Slurm is not installed and installing it needs root."
    command -v apt-get >/dev/null || die "Slurm is not installed and there is no apt-get to install it (Debian 12: slurm-wlm, munge)."
    echo "local-slurm: installing slurm-wlm and munge" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q -o DPkg::Lock::Timeout=600 >&2 || die "apt-get update failed."
    apt-get install -y -q -o DPkg::Lock::Timeout=600 slurm-wlm munge >&2 || die "apt-get install slurm-wlm munge failed."
}

configure() {
    # slurmd -C prints this machine's node line (CPUs, sockets, cores, threads, RealMemory).
    local node
    node=$(slurmd -C | head -n 1)
    [[ $node == NodeName=* ]] || die "slurmd -C did not describe the node: $node"
    node="NodeName=$host ${node#NodeName=* }"
    local wanted
    wanted=$(cat <<CONF
# Written by tests/slurm/local-slurm.sh: a one-node cluster for testing.
ClusterName=refilled
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$node State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
)
    mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$state"
    if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$wanted" ]; then
        printf '%s\n' "$wanted" > "$conf"
    fi
}

alive() { [ -n "$(ps -o stat= -p "$1" 2>/dev/null | grep -v '^Z')" ]; }
running() { [ -f "$1" ] && alive "$(cat "$1")"; }

# Daemons write their pid file a moment after forking; remember it as ours.
remember() {
    for _ in $(seq 1 50); do [ -s "$1" ] && break; sleep 0.1; done
    cp "$1" "$state/$2.pid" || die "$2 did not start (see /var/log/slurm/$2.log)."
}

start() {
    install
    configure
    if ! munge -n </dev/null >/dev/null 2>&1; then
        [ -f /etc/munge/munge.key ] || { /usr/sbin/mungekey --create >&2 2>/dev/null || /usr/sbin/create-munge-key -f >&2; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
        mkdir -p /run/munge && chown munge:munge /run/munge
        runuser -u munge -- /usr/sbin/munged
        sleep 0.5
        # Only live ones: a stopped munged may linger as a zombie where nothing reaps orphans.
        pgrep -n -x -u munge -r R,S,D munged > "$state/munged.pid" || die "munged did not start."
    fi
    if ! running /run/slurmctld.pid; then
        slurmctld || die "slurmctld did not start (see /var/log/slurm/slurmctld.log)."
        remember /run/slurmctld.pid slurmctld
    fi
    if ! running /run/slurmd.pid; then
        slurmd || die "slurmd did not start (see /var/log/slurm/slurmd.log)."
        remember /run/slurmd.pid slurmd
    fi
    for _ in $(seq 1 60); do
        if sinfo -h -n "$host" -o '%T' 2>/dev/null | grep -qx 'idle\|mixed\|allocated'; then
            sinfo >&2
            return
        fi
        sleep 0.5
    done
    die "the node $host did not become idle: $(sinfo 2>&1)"
}

stop() {
    local daemon pid
    for daemon in slurmd slurmctld munged; do
        [ -f "$state/$daemon.pid" ] || continue
        pid=$(cat "$state/$daemon.pid")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
        fi
        rm -f "$state/$daemon.pid"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 start|stop" ;;
esac
