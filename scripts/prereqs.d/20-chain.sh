# Chain tests: test/chain/hosts.e2e.ts joins validators in network namespaces with a bridge (`ip netns`, iproute2).
apt_install iproute2
