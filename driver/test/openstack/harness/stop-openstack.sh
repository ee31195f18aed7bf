#!/bin/bash
# Stops everything start-openstack.sh started and leaves nothing running: each service was started with setsid, so
# its PID is also its process group, and the whole group (uwsgi workers, cinder-volume's per-backend children) is
# signalled. Then RabbitMQ (and the epmd it started), MariaDB, and the bind mount of the localfs share.
# State stays in $CSI_OS_STATE_DIR (remove it for a fresh start: the databases live in MariaDB's own datadir).
B=${CSI_OS_STATE_DIR:-/tmp/cinder-csi-openstack}
SERVICES="nova-api nova-conductor nova-scheduler nova-compute fake-neutron cinder-api cinder-scheduler cinder-volume placement keystone"
alive() { kill -0 "$1" 2>/dev/null || [ -n "$(ps -o pid= -g "$1" 2>/dev/null)" ]; }
stop_group() { # $1 = pid (= process group); TERM, wait up to 30 s, then KILL
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 120); do alive "$pid" || return 0; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null; return 0
}
for s in $SERVICES; do
  f=$B/run/$s.pid; [ -f "$f" ] && kill -TERM -- "-$(cat "$f")" 2>/dev/null
done
for s in $SERVICES; do
  f=$B/run/$s.pid; [ -f "$f" ] || continue
  stop_group "$(cat "$f")"; rm -f "$f"
done
if [ -f "$B/run/rabbitmq.pid" ]; then
  rabbitmqctl -q stop 2>/dev/null
  stop_group "$(cat "$B/run/rabbitmq.pid")"; rm -f "$B/run/rabbitmq.pid"
  epmd -kill > /dev/null 2>&1 || true   # rabbitmq-server starts epmd as a daemon outside its process group
fi
if [ -f "$B/run/mariadb.pid" ]; then stop_group "$(cat "$B/run/mariadb.pid")"; rm -f "$B/run/mariadb.pid"; fi
for m in "$B"/cinder-mnt/*; do mountpoint -q "$m" 2>/dev/null && umount "$m"; done
echo stopped
