# A throwaway PostgreSQL 15 server on a free loopback port, for tests and benchmarks.
# Source this file, then: start_postgres; ... "$POSTGRES_URL" ...; stop_postgres.
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.

POSTGRES_BIN=/usr/lib/postgresql/15/bin

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    POSTGRES_DIR=$(mktemp -d /tmp/catalogue-pg.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    [ "$(id -u)" = 0 ] && chown postgres "$POSTGRES_DIR"
    as_postgres "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR/data" -U catalogue --auth=trust \
        -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" \
        -w start -o "-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1 ${POSTGRES_OPTIONS:-}" \
        >/dev/null
    POSTGRES_URL="postgres://catalogue@127.0.0.1:$port/catalogue"
    export POSTGRES_URL POSTGRES_DIR
}

stop_postgres() {
    if [ -n "${POSTGRES_DIR:-}" ]; then
        as_postgres "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop \
            >/dev/null 2>&1 || true
        rm -rf "$POSTGRES_DIR"
        POSTGRES_DIR=
    fi
}
