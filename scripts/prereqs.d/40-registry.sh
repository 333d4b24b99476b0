# shellcheck shell=sh
# Registry end-to-end tests: Debian's docker engine (the tests start their own dockerd) and skopeo.
apt_install docker.io skopeo

# The official OCI conformance suite (distribution-spec, the v1.1 line at commit 97274622c111), built with
# `go test -c` into a cache keyed by the module version. The Go module proxy serves exactly this pseudo-version
# (checked 2026-12-04). test/registry/conformance.e2e.ts runs it with every optional feature on and asserts
# 1,024 passed from its junit.xml; it fails (it does not fall back) when the binary is missing.
OCI_CONFORMANCE_MODULE="github.com/opencontainers/distribution-spec/conformance"
OCI_CONFORMANCE_VERSION="${OCI_CONFORMANCE_VERSION:-v0.0.0-20260831232431-97274622c111}"
oci_conformance_bin="$bin/oci-conformance-$OCI_CONFORMANCE_VERSION.test"
if [ ! -x "$oci_conformance_bin" ]; then
  need_go
  step "building the OCI conformance suite $OCI_CONFORMANCE_VERSION (once; cached in $bin)"
  oci_err=$(mktemp "${TMPDIR:-/tmp}/trustnet-prereq.XXXXXX")
  GOFLAGS=-mod=mod go mod download -json "$OCI_CONFORMANCE_MODULE@$OCI_CONFORMANCE_VERSION" >"$oci_err" 2>&1 || true
  oci_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' "$oci_err")
  if [ -n "$oci_dir" ] && [ -d "$oci_dir" ]; then
    oci_build=$(mktemp -d)
    cp -R "$oci_dir/." "$oci_build/" && chmod -R u+w "$oci_build"
    try_or_warn "building the OCI conformance suite (go test -c); test/registry/conformance.e2e.ts will fail until it is built" "check that Go >= 1.22 works (go version) and that the Go module proxy is reachable (go env GOPROXY; a company CA goes in /usr/local/share/ca-certificates, then update-ca-certificates); then re-run" \
      sh -c 'cd "$1" && GOFLAGS=-mod=mod go test -c -o "$2.tmp" . && mv "$2.tmp" "$2"' sh "$oci_build" "$oci_conformance_bin" || true
    rm -rf "$oci_build"
  else
    step "warning: the Go module proxy does not serve $OCI_CONFORMANCE_MODULE@$OCI_CONFORMANCE_VERSION; test/registry/conformance.e2e.ts will fail until it is built. go mod download said: $(sed -n 's/^[[:space:]]*"Error": //p' "$oci_err" | tail -n 3)"
  fi
  rm -f "$oci_err"
fi
