# shellcheck shell=sh
# A Go toolchain for the test prerequisites (CometBFT, the OCI conformance suite, the VM cross builds) on a machine
# with none, or with one older than 1.22 (Debian 12's golang is 1.19). Sourced by scripts/prereqs.sh after
# node-env.sh (tn_log, tn_fetch, tn_check_pin, tn_sha256). POSIX sh.
#
# The toolchain is Go's own module golang.org/toolchain@v0.0.1-go$VERSION.linux-<arch>, the zip that GOTOOLCHAIN
# switching downloads, fetched with curl from the first proxy in GOPROXY (default https://proxy.golang.org) and
# checked against its pin before it is unpacked (installer/src/versions.ts: the zip `go mod download` verified against
# sum.golang.org). A mismatch is fatal. It is unpacked into $TRUSTNET_GO_DIR and linked into $TRUSTNET_TEST_BIN.

TRUSTNET_GO_VERSION="${TRUSTNET_GO_VERSION:-1.26.8}"

# tn_go_usable GO: 0 when GO runs and reports go1.22 or newer.
tn_go_usable() {
  tn_gv=$("$1" env GOVERSION 2>/dev/null) || return 1
  tn_gmaj=$(printf '%s' "$tn_gv" | sed -n 's/^go\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1/p')
  tn_gmin=$(printf '%s' "$tn_gv" | sed -n 's/^go\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\2/p')
  [ -n "$tn_gmaj" ] && [ -n "$tn_gmin" ] || return 1
  [ "$tn_gmaj" -gt 1 ] || { [ "$tn_gmaj" -eq 1 ] && [ "$tn_gmin" -ge 22 ]; }
}

# tn_goproxy: the first proxy URL of GOPROXY (entries are separated by ',' or '|'); fails when there is none.
tn_goproxy() {
  tn_list="${GOPROXY:-https://proxy.golang.org,direct}"
  for tn_p in $(printf '%s' "$tn_list" | tr ',|' '  '); do
    case "$tn_p" in
      direct|off) ;;
      *) printf '%s\n' "${tn_p%/}"; return 0 ;;
    esac
  done
  tn_log "error: GOPROXY=$tn_list names no proxy to download the Go toolchain from; set GOPROXY (e.g. https://proxy.golang.org) or install Go >= 1.22"
  return 1
}

# tn_ensure_go BIN: makes `go` (>= 1.22) runnable; when the machine has none, installs the pinned toolchain into
# $TRUSTNET_GO_DIR (default: beside BIN) and links BIN/go to it. Prints what it does on stderr.
tn_ensure_go() {
  tn_bin=$1
  TRUSTNET_GO_DIR="${TRUSTNET_GO_DIR:-$(dirname "$tn_bin")/go-$TRUSTNET_GO_VERSION}"
  if command -v go >/dev/null 2>&1 && tn_go_usable go; then return 0; fi
  if ! tn_go_usable "$TRUSTNET_GO_DIR/bin/go"; then
    tn_os=$(tn_node_os) && tn_arch=$(tn_node_arch) || return 1
    [ "$tn_os" = linux ] || { tn_log "error: Go >= 1.22 is needed and not installed; install it from https://go.dev/dl, then re-run"; return 1; }
    [ "$tn_arch" = x64 ] && tn_arch=amd64
    command -v unzip >/dev/null 2>&1 || { tn_log "error: unzip is needed to unpack the Go toolchain (apt-get install unzip)"; return 1; }
    tn_mod="golang.org/toolchain@v0.0.1-go$TRUSTNET_GO_VERSION.linux-$tn_arch"
    tn_proxy=$(tn_goproxy) || return 1
    tn_url="$tn_proxy/golang.org/toolchain/@v/v0.0.1-go$TRUSTNET_GO_VERSION.linux-$tn_arch.zip"
    if command -v go >/dev/null 2>&1; then tn_why="the go on PATH ($(go env GOVERSION 2>/dev/null || echo 'unknown version')) is older than 1.22"; else tn_why="go is not on PATH"; fi
    tn_log "==> $tn_why: installing Go $TRUSTNET_GO_VERSION ($tn_mod from $tn_proxy) into $TRUSTNET_GO_DIR"
    tn_parent=$(dirname "$TRUSTNET_GO_DIR")
    mkdir -p "$tn_parent" || { tn_log "error: cannot create $tn_parent"; return 1; }
    tn_stage=$(mktemp -d "$tn_parent/.go-stage.XXXXXX") || return 1
    if ! tn_fetch "$tn_url" "$tn_stage/go.zip" progress "$((512 << 20))"; then # the toolchain zip is ~100 MB
      rm -rf "$tn_stage"
      tn_log "error: could not download $tn_url; check that the Go module proxy is reachable (GOPROXY; a company CA goes in /usr/local/share/ca-certificates, then update-ca-certificates), or install Go >= 1.22"
      return 1
    fi
    if ! tn_check_pin "$tn_mod" "$(tn_sha256 "$tn_stage/go.zip")" "$tn_url"; then rm -rf "$tn_stage"; return 1; fi
    if ! unzip -q "$tn_stage/go.zip" -d "$tn_stage/x" || [ ! -d "$tn_stage/x/$tn_mod" ]; then
      rm -rf "$tn_stage"; tn_log "error: $tn_url is not the toolchain module $tn_mod"; return 1
    fi
    # as the go command does for toolchain modules: the commands and tools are executable
    chmod -R a+x "$tn_stage/x/$tn_mod/bin" && find "$tn_stage/x/$tn_mod/pkg/tool" -type f -exec chmod a+x {} + 2>/dev/null
    rm -rf "$TRUSTNET_GO_DIR" && mv "$tn_stage/x/$tn_mod" "$TRUSTNET_GO_DIR" && rm -rf "$tn_stage" || return 1
    tn_go_usable "$TRUSTNET_GO_DIR/bin/go" || { tn_log "error: the Go toolchain in $TRUSTNET_GO_DIR does not run"; return 1; }
  fi
  mkdir -p "$tn_bin" && ln -sfn "$TRUSTNET_GO_DIR/bin/go" "$tn_bin/go" || return 1
  PATH="$tn_bin:$PATH"
  export PATH
}
