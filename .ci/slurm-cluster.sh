#!/usr/bin/env bash
# Start a single-node SLURM cluster (Debian's slurmctld, slurmd, munge) as root,
# without systemd. Prints "export VAR=..." lines with the daemons' PIDs; stop
# them with `kill <pid>` (see .ci/run).
set -euo pipefail
host="$(hostname -s)"
cpus="$(nproc)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=${host} CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN
PartitionName=batch Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
[ -s /etc/munge/munge.key ] || (dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null)
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
setpriv --reuid=munge --regid=munge --init-groups munged -F >/var/log/munge/munged.out 2>&1 &
echo "export SLURM_CI_MUNGED_PID=$!"
sleep 1
slurmctld -D >/var/log/slurm/slurmctld.out 2>&1 &
echo "export SLURM_CI_SLURMCTLD_PID=$!"
slurmd -D >/var/log/slurm/slurmd.out 2>&1 &
echo "export SLURM_CI_SLURMD_PID=$!"
for _ in $(seq 1 30); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then exit 0; fi
  sleep 1
done
echo "SLURM node did not become idle" >&2
exit 1
