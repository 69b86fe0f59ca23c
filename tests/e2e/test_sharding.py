"""Sharding end to end: N exporters started with --shard=i/N over one block
split its addresses with no overlap and no gap, and each address's owner is
the replica a real Prometheus' `hashmod` relabelling assigns it to.

A loopback NSD serves the test list bl.test (its RFC 5782 test point only);
three exporters sweep 192.0.2.0/27 against it. A Prometheus job whose static
targets are the block's addresses relabels them with `hashmod` (modulus 3)
into a `shard` label and is read back from /api/v1/targets; its scrapes go
to a closed loopback port.
"""

import ipaddress
import os
import unittest

import yaml

import harness
from local_nsd import start_local_nsd

SHARDS = 3
BLOCK = "192.0.2.0/27"
SWEEP_TIMEOUT_S = 60

ZONES = {"bl.test": ["2.0.0.127 IN A 127.0.0.2"]}
CATALOGUE = {"lists": [{
    "zone": "bl.test", "name": "E2E test list", "kinds": ["ip4"], "severity": "major",
    "queries_per_second": 1000,
    "codes": [{"code": "127.0.0.2", "meaning": "listed"}],
}]}


class ShardingEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-shard-")
        cls.nsd = start_local_nsd(add, d, ZONES)
        catalogue = harness.write_file(os.path.join(d, "catalogue.yml"),
                                       yaml.safe_dump(CATALOGUE, sort_keys=False))
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [{"ips": [BLOCK], "domains": []}],
            "collectors": {
                "dnsbl": {"interval": "2s", "timeout": "2s", "lists": ["bl.test"],
                          "catalogue_file": catalogue},
                "host": {"enabled": False}, "spf": {"enabled": False},
                "dkim": {"enabled": False}, "ptr": {"enabled": False},
                "dmarc": {"enabled": False}, "mta_sts": {"enabled": False},
            },
        }
        config_file = harness.write_file(os.path.join(d, "mailrep.yml"),
                                         yaml.safe_dump(config, sort_keys=False))
        cls.exporters = [
            harness.start_exporter(add, ["--config.file=" + config_file,
                                         "--shard=%d/%d" % (i, SHARDS)])
            for i in range(SHARDS)
        ]
        addresses = [str(a) for a in ipaddress.ip_network(BLOCK)]
        closed = "127.0.0.1:%d" % harness.free_port()
        scrape_configs = [{
            "job_name": "hashmod",
            "scrape_interval": "1h",
            "static_configs": [{"targets": addresses}],
            "relabel_configs": [
                {"source_labels": ["__address__"], "modulus": SHARDS,
                 "target_label": "__tmp_hash", "action": "hashmod"},
                {"source_labels": ["__tmp_hash"], "target_label": "shard"},
                {"source_labels": ["__address__"], "target_label": "ip"},
                {"target_label": "__address__", "replacement": closed},
            ],
        }]
        cls.prom = harness.start_prometheus(add, harness.make_tempdir(add), scrape_configs)

    def checked_by(self, exporter):
        """The addresses an exporter checked: those with a bl.test series."""
        samples = harness.scrape(exporter.url("/metrics"))
        return {s.labels["ip"] for s in harness.find_samples(samples, "mailrep_dnsbl_listed",
                                                              dnsbl="bl.test")}

    def test_replicas_split_the_block_as_prometheus_hashmod_does(self):
        addresses = {str(a) for a in ipaddress.ip_network(BLOCK)}
        owners = {}

        def prometheus_assigned():
            targets = self.prom.targets().get("hashmod", [])
            owners.clear()
            owners.update({t["labels"]["ip"]: int(t["labels"]["shard"]) for t in targets})
            return len(owners) == len(addresses)

        harness.wait_until(prometheus_assigned, 30, 0.5, "Prometheus' relabelled targets")

        checked = {}

        def all_swept():
            for i, e in enumerate(self.exporters):
                checked[i] = self.checked_by(e)
            return sum(len(c) for c in checked.values()) >= len(addresses)

        try:
            harness.wait_until(all_swept, SWEEP_TIMEOUT_S, 0.5, "every replica's first sweep")
        except AssertionError as e:
            raise AssertionError("%s\n%s" % (e, "\n".join(x.stderr()[-2000:]
                                                         for x in self.exporters)))
        for i in range(SHARDS):
            for j in range(i + 1, SHARDS):
                self.assertEqual(checked[i] & checked[j], set(),
                                 "replicas %d and %d both check these" % (i, j))
        self.assertEqual(set().union(*checked.values()), addresses)
        for i in range(SHARDS):
            self.assertTrue(checked[i], "replica %d owns nothing of a /27" % i)
            for ip in checked[i]:
                self.assertEqual(owners[ip], i, "%s: Prometheus' hashmod says %d, replica %d "
                                 "checks it" % (ip, owners[ip], i))
        print("%d addresses over %d replicas: %s; all owners equal Prometheus' hashmod" %
              (len(addresses), SHARDS, [len(checked[i]) for i in range(SHARDS)]))

    def test_each_replica_exports_its_ordinal_and_total(self):
        for i, e in enumerate(self.exporters):
            samples = harness.scrape(e.url("/metrics"))
            self.assertEqual(harness.find_samples(samples, "mailrep_shard_ordinal")[0].value, i)
            self.assertEqual(harness.find_samples(samples, "mailrep_shards")[0].value,
                             SHARDS)


if __name__ == "__main__":
    harness.main()
