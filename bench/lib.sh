# Shared by bench/run and bench/load: installs what they need, starts PostgreSQL
# (tests/postgres.sh), builds a catalogue of a given size and runs the production
# server on a loopback port. Source it from the project root.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v jq >/dev/null || missing+=(jq)
    [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    if [ ${#missing[@]} -gt 0 ]; then
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    [ -x .venv/bin/gunicorn ] || .venv/bin/python -m pip install -q gunicorn
    if [ ! -x bench/.venv/bin/datasette ]; then
        python3 -m venv bench/.venv && bench/.venv/bin/pip install -q datasette
    fi
}

server= nginx_server=
stop_server() {
    local process
    for process in "$nginx_server" "$server"; do
        if [ -n "$process" ]; then
            kill "$process" 2>/dev/null || true
            wait "$process" 2>/dev/null || true
        fi
    done
    server= nginx_server=
}

# Production settings, PostgreSQL and collected static files in a temporary directory.
start_environment() {
    production_settings
    source tests/postgres.sh
    trap 'stop_server; stop_postgres; rm -rf "$work"' EXIT
    POSTGRES_OPTIONS="-c shared_buffers=1GB -c work_mem=32MB" start_postgres
}

# Production settings, collected static files and built files in a temporary directory
# ($work, for the caller to remove) and a free loopback port; the database is the
# caller's.
production_settings() {
    work=$(mktemp -d /tmp/catalogue-bench.XXXXXX)
    export DEBUG=false SECRET_KEY=benchmark-only-not-secret STATIC_ROOT=$work/static
    export BUILT_FILES_DIR=$work/built_files
    export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
    # Every request comes from loopback: the API's per-address limit would answer 429.
    export API_RATE_LIMIT=1000000/second
    # Plain HTTP on loopback: no redirect to HTTPS, no secure-only cookies, no HSTS.
    export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
    python=.venv/bin/python
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base=http://127.0.0.1:$port
    export SITE_URL=$base
    $python manage.py collectstatic --noinput -v0
}

published_count() {
    $python manage.py shell -v0 -c "from initiatives.models import Initiative as I; print(I.objects.published().count())"
}

# A fresh database with the real catalogue plus synthetic initiatives up to $1.
fresh_catalogue() {
    psql -q "${POSTGRES_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS bench" \
        -c "CREATE DATABASE bench" 2>/dev/null
    export DATABASE_URL=${POSTGRES_URL%/*}/bench
    $python manage.py migrate -v0
    $python manage.py load_catalogue -v0
    local real
    real=$(published_count)
    $python manage.py generate_catalogue --initiatives $(($1 - real)) --seed 1 -v0
    psql -q "$DATABASE_URL" -c "VACUUM ANALYZE"
}

# wrk with each request on a connection of its own, as a proxy without upstream
# keep-alive sends them (nginx's default): a kept-alive connection stays with the
# gunicorn worker that accepted it, so how wrk's connections happened to split
# between the workers decided the throughput (430 to 1,020 req/s, same server).
wrk_each_request_anew() { wrk -H "Connection: close" "$@"; }

wait_for() {
    for _ in $(seq 150); do curl -sf -o /dev/null "$1" && return; sleep 0.2; done
    echo "no answer from $1" >&2
    exit 1
}

# gunicorn as README's "Running in production" runs it: a worker per core, threaded,
# each taking a connection only when one of its threads is free.
start_gunicorn() {
    .venv/bin/gunicorn catalogue.wsgi --workers "$(nproc)" \
        --worker-class gthread --threads 8 --worker-connections 8 --keep-alive 0 \
        --bind "127.0.0.1:$port" --log-level warning &
    server=$!
    wait_for "$base/kategorier/"
}

# nginx with deploy/nginx.conf as shipped, but for its ports and directories (as
# tests/test_nginx.py runs it), in front of the gunicorn on $port; $proxied is its
# base URL. stop_server stops it too.
start_nginx() {
    local dir=$work/nginx nginx_port kind
    nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    proxied=http://127.0.0.1:$nginx_port
    rm -rf "$dir" && mkdir -p "$dir"
    sed -e "s#/var/cache/nginx/lighedskataloget#$dir/cache#" \
        -e "s#server 127.0.0.1:8000;#server 127.0.0.1:$port;#" \
        -e "s#listen 80;#listen 127.0.0.1:$nginx_port;#" \
        -e "s#/srv/lighedskataloget/staticfiles/#$STATIC_ROOT/#" \
        deploy/nginx.conf >"$dir/site.conf"
    {
        [ "$(id -u)" = 0 ] && echo "user root;"
        echo "worker_processes auto; pid $dir/nginx.pid; error_log $dir/error.log;"
        echo "events { worker_connections 1024; }"
        echo "http { include /etc/nginx/mime.types; default_type application/octet-stream;"
        echo "access_log off; include $dir/site.conf;"
        for kind in client_body proxy fastcgi uwsgi scgi; do
            echo "${kind}_temp_path $dir/$kind;"
        done
        echo "}"
    } >"$dir/nginx.conf"
    /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g "daemon off;" &
    nginx_server=$!
    wait_for "$proxied/kategorier/"
}
