# Chain tests: test/chain/hosts.e2e.ts joins validators in network namespaces with a bridge (`ip netns`, iproute2).
apt_install iproute2
# REST/monitoring/explorer tests (test/chain/monitoring.e2e.ts, test/chain/explorer.e2e.ts): a real Prometheus and a
# real browser, both Debian packages (playwright-core drives /usr/bin/chromium; no browser is ever downloaded).
apt_install prometheus chromium
