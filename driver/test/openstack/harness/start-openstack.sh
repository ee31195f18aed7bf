#!/bin/bash
# Installs (optionally) and starts a real OpenStack on 127.0.0.1 for the driver's opt-in suite test/openstack:
# MariaDB, RabbitMQ, Keystone, Placement, Cinder (backends/volume types `fake` and `localfs`), Nova with the fake
# compute driver, and a Neutron stub. Debian 12 packages, no systemd, run as root.
#
# Idempotent: a service whose PID file names a live process is left alone, so a second run only waits for readiness.
# Configuration and databases are (re)written each run; data persists in the state dir until stop-openstack.sh.
#
#   CSI_OS_STATE_DIR  state, logs and PID files (default /tmp/cinder-csi-openstack)
#   CSI_OS_INSTALL=1  apt-get install the packages first (CI; ≈ 100 s)
# Admin: admin / secret, project admin, domain Default, http://127.0.0.1:5000/v3, region RegionOne.
set -euo pipefail
B=${CSI_OS_STATE_DIR:-/tmp/cinder-csi-openstack}
D=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3             # the Debian interpreter: a python3 earlier on PATH may lack the OpenStack libraries
PW=secret
T0=$(date +%s%N)
export CSI_OS_SINCE=$(date +%s)   # wait_ready.py counts only service heartbeats sent after this
step() { awk -v t0="$T0" -v now="$(date +%s%N)" -v msg="$*" 'BEGIN { printf "[%6.1fs] %s\n", (now - t0) / 1e9, msg }'; }
wait_http() { for _ in $(seq 1 480); do curl -sf -o /dev/null "$1" && return 0; sleep 0.25; done; echo "TIMEOUT $1" >&2; return 1; }
# running NAME: true when $B/run/NAME.pid names a live process (then the service is not started again).
running() { [ -f "$B/run/$1.pid" ] && kill -0 "$(cat "$B/run/$1.pid")" 2>/dev/null; }
mkdir -p "$B"/{log,run,pylib,cinder-state,cinder-lock,cinder-mnt,nfs-export,nova-state,nova-lock}

# ---------------------------------------------------------------- packages
if [ "${CSI_OS_INSTALL:-0}" = 1 ]; then
  # policy-rc.d keeps the packages' init scripts from starting services (and binding 0.0.0.0) during install.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  printf '%s\n' 'keystone keystone/dbconfig-install boolean false' \
    'cinder-common cinder/dbconfig-install boolean false' 'nova-common nova/dbconfig-install boolean false' \
    'placement-common placement/dbconfig-install boolean false' | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    mariadb-server rabbitmq-server keystone cinder-api cinder-scheduler cinder-volume nfs-common \
    placement-api nova-api nova-conductor nova-scheduler curl > "$B/log/apt-install.log" 2>&1
  rm -f /usr/sbin/policy-rc.d
  step "packages installed"
fi

# ---------------------------------------------------------------- MariaDB (Nova on sqlite fails with "database is locked")
cat > /etc/mysql/mariadb.conf.d/99-cinder-csi-e2e.cnf <<'EOF'
[mysqld]
bind-address = 127.0.0.1
max_connections = 1000
innodb_buffer_pool_size = 64M
performance_schema = OFF
skip-name-resolve
EOF
install -d -o mysql -g mysql /run/mysqld
if ! running mariadb; then
  setsid nohup /usr/sbin/mariadbd --user=mysql < /dev/null > "$B/log/mariadb.out" 2>&1 & echo $! > "$B/run/mariadb.pid"
fi
for _ in $(seq 1 240); do mariadb -e 'select 1' > /dev/null 2>&1 && break; sleep 0.25; done
for db in keystone cinder placement nova_api nova nova_cell0; do mariadb -e "CREATE DATABASE IF NOT EXISTS $db"; done
for u in keystone cinder placement nova; do mariadb -e "CREATE USER IF NOT EXISTS '$u'@'127.0.0.1' IDENTIFIED BY '$PW'"; done
mariadb -e "GRANT ALL ON keystone.* TO 'keystone'@'127.0.0.1'; GRANT ALL ON cinder.* TO 'cinder'@'127.0.0.1';
            GRANT ALL ON placement.* TO 'placement'@'127.0.0.1'; GRANT ALL ON nova_api.* TO 'nova'@'127.0.0.1';
            GRANT ALL ON nova.* TO 'nova'@'127.0.0.1'; GRANT ALL ON nova_cell0.* TO 'nova'@'127.0.0.1';"
step "mariadb up"

# ---------------------------------------------------------------- RabbitMQ (loopback only, epmd included)
cat > /etc/rabbitmq/rabbitmq-env.conf <<'EOF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=5672
export ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
if ! running rabbitmq; then
  setsid nohup /usr/sbin/rabbitmq-server < /dev/null > "$B/log/rabbitmq.out" 2>&1 & echo $! > "$B/run/rabbitmq.pid"
fi
for _ in $(seq 1 240); do rabbitmqctl -q status > /dev/null 2>&1 && break; sleep 0.5; done
rabbitmqctl -q add_user openstack $PW 2>/dev/null || rabbitmqctl -q change_password openstack $PW
rabbitmqctl -q set_permissions openstack '.*' '.*' '.*'
step "rabbitmq up"

# uwsgi: Connection:close because keep-alive connections get reset under this setup.
UWSGI="uwsgi --plugins python3 --master --die-on-term --lazy-apps --need-app --buffer-size 65535 --add-header Connection:close"
# uwsgi_start NAME PORT WSGI-FILE [extra uwsgi args]: one uwsgi master per API, PID file in $B/run.
uwsgi_start() {
  local name=$1 port=$2 file=$3; shift 3
  running "$name" && return 0
  setsid nohup $UWSGI --http-socket "127.0.0.1:$port" --wsgi-file "$file" --processes 1 --threads 2 "$@" \
    --pidfile "$B/run/$name.pid" --logto "$B/log/$name-uwsgi.log" < /dev/null > /dev/null 2>&1 &
  for _ in $(seq 1 40); do [ -s "$B/run/$name.pid" ] && break; sleep 0.05; done
}
# daemon_start NAME CMD...: a foreground OpenStack daemon, PID file in $B/run.
daemon_start() {
  local name=$1; shift
  running "$name" && return 0
  setsid nohup "$@" < /dev/null > "$B/log/$name.out" 2>&1 & echo $! > "$B/run/$name.pid"
}

# ---------------------------------------------------------------- Keystone
cat > /etc/keystone/keystone.conf <<EOF
[DEFAULT]
log_dir = $B/log
log_file = keystone.log
[database]
connection = mysql+pymysql://keystone:$PW@127.0.0.1/keystone
[token]
provider = fernet
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
EOF
keystone-manage db_sync
keystone-manage fernet_setup --keystone-user root --keystone-group root
keystone-manage credential_setup --keystone-user root --keystone-group root
keystone-manage bootstrap --bootstrap-password $PW --bootstrap-username admin \
  --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-service-name keystone \
  --bootstrap-region-id RegionOne --bootstrap-admin-url http://127.0.0.1:5000/v3/ \
  --bootstrap-internal-url http://127.0.0.1:5000/v3/ --bootstrap-public-url http://127.0.0.1:5000/v3/ 2>/dev/null
uwsgi_start keystone 5000 /usr/bin/keystone-wsgi-public --processes 2
wait_http http://127.0.0.1:5000/v3
$PY "$D/ks_register.py"
step "keystone up + registered"

ksauth() { # service-user auth block; $1 = username
cat <<EOF
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
region_name = RegionOne
EOF
}

# ---------------------------------------------------------------- Placement
cat > /etc/placement/placement.conf <<EOF
[DEFAULT]
log_dir = $B/log
log_file = placement.log
[api]
auth_strategy = keystone
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
$(ksauth placement)
[placement_database]
connection = mysql+pymysql://placement:$PW@127.0.0.1/placement
[oslo_policy]
policy_dirs = /etc/placement/policy.d
EOF
placement-manage db sync
uwsgi_start placement 8778 /usr/bin/placement-api
step "placement started"

# ---------------------------------------------------------------- Cinder
# Zed's cinder.tests.fake_driver has no extend_volume; this subclass adds a no-op one so extend works on `fake`.
cat > "$B/pylib/csi_fake_cinder_driver.py" <<'EOF'
"""cinder.tests.fake_driver.FakeLoggingVolumeDriver + no-op extend (missing in Zed)."""
from cinder.tests import fake_driver


class FakeDriver(fake_driver.FakeLoggingVolumeDriver):
    def extend_volume(self, volume, new_size):
        pass
EOF
# localfs = Cinder's NFS driver on a local folder: the "share" is bind-mounted where os-brick expects the NFS mount,
# so Cinder finds it already mounted and never runs mount.nfs. Volumes are sparse files in $B/nfs-export.
SHARE=127.0.0.1:$B/nfs-export
echo "$SHARE" > /etc/cinder/nfs_shares
MNT=$B/cinder-mnt/$($PY -c "import hashlib,sys;print(hashlib.md5(sys.argv[1].encode()).hexdigest())" "$SHARE")
mkdir -p "$MNT"; mountpoint -q "$MNT" || mount --bind "$B/nfs-export" "$MNT"
cat > /etc/cinder/cinder.conf <<EOF
[DEFAULT]
transport_url = rabbit://openstack:$PW@127.0.0.1:5672/
auth_strategy = keystone
my_ip = 127.0.0.1
host = e2e
state_path = $B/cinder-state
log_dir = $B/log
rootwrap_config = /etc/cinder/rootwrap.conf
api_paste_config = /etc/cinder/api-paste.ini
enabled_backends = fake,localfs
default_volume_type = localfs
[database]
connection = mysql+pymysql://cinder:$PW@127.0.0.1/cinder
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
$(ksauth cinder)
service_token_roles_required = true
service_token_roles = service
[nova]
$(ksauth cinder)
interface = public
[oslo_concurrency]
lock_path = $B/cinder-lock
[oslo_policy]
policy_dirs = /etc/cinder/policy.d
[fake]
volume_driver = csi_fake_cinder_driver.FakeDriver
volume_backend_name = fake
[localfs]
volume_driver = cinder.volume.drivers.nfs.NfsDriver
volume_backend_name = localfs
nfs_shares_config = /etc/cinder/nfs_shares
nfs_mount_point_base = $B/cinder-mnt
nfs_snapshot_support = true
nfs_sparsed_volumes = true
nas_secure_file_operations = false
nas_secure_file_permissions = false
EOF
cinder-manage db sync > "$B/log/cinder-dbsync.log" 2>&1
uwsgi_start cinder-api 8776 /usr/bin/cinder-wsgi
daemon_start cinder-scheduler cinder-scheduler --config-file /etc/cinder/cinder.conf
daemon_start cinder-volume env PYTHONPATH="$B/pylib" cinder-volume --config-file /etc/cinder/cinder.conf
step "cinder started"

# ---------------------------------------------------------------- Neutron stub (Nova's GET /servers needs a network endpoint)
daemon_start fake-neutron $PY "$D/fake_neutron.py"

# ---------------------------------------------------------------- Nova
cat > /etc/nova/nova.conf <<EOF
[DEFAULT]
transport_url = rabbit://openstack:$PW@127.0.0.1:5672/
my_ip = 127.0.0.1
host = e2e
compute_driver = fake.FakeDriver
state_path = $B/nova-state
log_dir = $B/log
enabled_apis = osapi_compute
heal_instance_info_cache_interval = -1
[api]
auth_strategy = keystone
[api_database]
connection = mysql+pymysql://nova:$PW@127.0.0.1/nova_api
[database]
connection = mysql+pymysql://nova:$PW@127.0.0.1/nova
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
$(ksauth nova)
service_token_roles_required = true
[service_user]
send_service_user_token = true
$(ksauth nova)
[placement]
$(ksauth placement)
[cinder]
os_region_name = RegionOne
catalog_info = volumev3::publicURL
$(ksauth nova)
[neutron]
$(ksauth nova)
[glance]
api_servers = http://127.0.0.1:9292
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 10
[conductor]
workers = 1
[oslo_concurrency]
lock_path = $B/nova-lock
[oslo_policy]
policy_dirs = /etc/nova/policy.d
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[vnc]
enabled = false
EOF
nova-manage api_db sync 2>/dev/null
# The listing is read whole first: `nova-manage ... | grep -q` let grep close the pipe early, nova-manage died of
# BrokenPipeError, pipefail turned that into "no cell", and create_cell of the existing cell1 exited 2 (seen here).
cells=$(nova-manage cell_v2 list_cells 2>/dev/null || true)
grep -q ' cell0 ' <<< "$cells" || \
  nova-manage cell_v2 map_cell0 --database_connection mysql+pymysql://nova:$PW@127.0.0.1/nova_cell0 2>/dev/null
grep -q ' cell1 ' <<< "$cells" || nova-manage cell_v2 create_cell --name=cell1 2>/dev/null
nova-manage db sync 2>/dev/null
# nova-api under uwsgi: eventlet monkey-patching + uwsgi threads => RPC replies stall (MessagingTimeout).
uwsgi_start nova-api 8774 /usr/bin/nova-api-wsgi --env OS_NOVA_DISABLE_EVENTLET_PATCHING=1
daemon_start nova-conductor nova-conductor --config-file /etc/nova/nova.conf
daemon_start nova-scheduler nova-scheduler --config-file /etc/nova/nova.conf
# The nova-compute package would pull in a hypervisor; the fake driver only needs nova's own entry point.
daemon_start nova-compute $PY -c 'import sys; from nova.cmd.compute import main; sys.exit(main())' \
  --config-file /etc/nova/nova.conf --log-file "$B/log/nova-compute.log"
step "nova started"

# ---------------------------------------------------------------- readiness (services up, volume types + flavor exist)
wait_http http://127.0.0.1:8776/
wait_http http://127.0.0.1:8774/
wait_http http://127.0.0.1:8778/
$PY "$D/wait_ready.py"
nova-manage cell_v2 discover_hosts 2>/dev/null
step "all services ready"
