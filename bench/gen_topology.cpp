// bench_gen_topology: prints a large firedrill scenario (JSON) to stdout.
//
//   bench_gen_topology COMPONENTS
//
// The topology spreads COMPONENTS components over one cloud provider with 6 regions x 3 zones.
// Besides one team and one monitoring service (outside the cloud), it is made of "stacks" of
// seven components each, stack i living in region i % 6:
//
//   lb-i      load_balancer (regional), health-checks web-i
//   web-i     compute in the region's 3 zones, depends on app-i
//   app-i     compute in the region's 3 zones, depends on db-i and queue-i
//   db-i      database: primary + synchronous standby in two zones, daily incremental
//             snapshots kept in its region and the next one, point-in-time logs
//   queue-i   durable replicated queue in the region's 3 zones
//   worker-i  compute in 2 zones, depends on queue-i and store-i
//   store-i   object store (regional), versioned, replicated to the next region
//
// and one service per stack (svc-i: depends on lb-i and worker-i, data in db-i and store-i), so
// every service depends on chains of four to five components. What does not fill a whole stack
// is made of stand-alone compute components (batch-k). One disaster: region r0 is down for
// two hours; its runbook restores db-0 from its snapshot in region r1.
//
// No firedrill library is used: the scenario is plain text, checked by `firedrill validate`.
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int kRegions = 6;
constexpr int kZones = 3;
constexpr int kStackSize = 7;
constexpr int kFixed = 2;  // ops (team), monitoring

std::string region(int r) { return "r" + std::to_string(r % kRegions); }
std::string zone(int r, int z) { return region(r) + "-" + static_cast<char>('a' + z % kZones); }
std::string q(const std::string& s) { return "\"" + s + "\""; }
std::string zones_of(int r, int first, int count) {
  std::string out = "[";
  for (int k = 0; k < count; ++k) out += (k ? ", " : "") + q(zone(r, first + k));
  return out + "]";
}

// Prints the comma between array elements.
struct List {
  bool first = true;
  void next() {
    std::fputs(first ? "\n    " : ",\n    ", stdout);
    first = false;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s COMPONENTS   (at least %d)\n", argv[0], kFixed + kStackSize);
    return 2;
  }
  char* end = nullptr;
  const long n = std::strtol(argv[1], &end, 10);
  if (*end != '\0' || n < kFixed + kStackSize || n > 10'000'000) {
    std::fprintf(stderr, "%s: expected a component count >= %d, found \"%s\"\n", argv[0],
                 kFixed + kStackSize, argv[1]);
    return 2;
  }
  const int stacks = static_cast<int>((n - kFixed) / kStackSize);
  const int extra = static_cast<int>((n - kFixed) % kStackSize);

  std::printf("{\n  \"format\": \"firedrill.scenario/1\",\n");
  std::printf("  \"name\": \"bench-topology-%ld\",\n", n);
  std::printf("  \"title\": \"Generated benchmark topology: %ld components over %d regions x %d zones\",\n",
              n, kRegions, kZones);
  std::printf("  \"description\": \"Written by bench/gen_topology.cpp for bench/run.sh.\",\n");
  std::printf("  \"seed\": 1,\n");

  // Providers: one cloud with 6 regions x 3 zones, one SaaS for monitoring.
  std::printf("  \"providers\": [\n    {\"name\": \"cloud\", \"kind\": \"cloud\", \"regions\": [");
  for (int r = 0; r < kRegions; ++r) {
    std::printf("%s\n      {\"name\": %s, \"zones\": %s}", r ? "," : "", q(region(r)).c_str(),
                zones_of(r, 0, kZones).c_str());
  }
  std::printf("\n    ]},\n    {\"name\": \"watch\", \"kind\": \"saas\"}\n  ],\n");

  // Components.
  std::printf("  \"components\": [");
  List c;
  c.next();
  std::printf("{\"name\": \"ops\", \"kind\": \"team\", \"people\": 3, "
              "\"response\": {\"lognormal\": {\"p50\": \"5m\", \"p95\": \"20m\"}}}");
  c.next();
  std::printf("{\"name\": \"monitoring\", \"kind\": \"monitoring\", \"provider\": \"watch\", "
              "\"pages\": \"ops\", \"check_interval\": \"30s\", \"failures\": 2}");
  for (int i = 0; i < stacks; ++i) {
    const std::string s = std::to_string(i);
    const int r = i % kRegions, z = (i / kRegions) % kZones;
    c.next();
    std::printf("{\"name\": \"lb-%s\", \"kind\": \"load_balancer\", \"region\": %s, "
                "\"targets\": [\"web-%s\"]}", s.c_str(), q(region(r)).c_str(), s.c_str());
    c.next();
    std::printf("{\"name\": \"web-%s\", \"kind\": \"compute\", \"zones\": %s, "
                "\"instances_per_zone\": 1, \"min_healthy\": 2, \"depends\": [\"app-%s\"]}",
                s.c_str(), zones_of(r, 0, kZones).c_str(), s.c_str());
    c.next();
    std::printf("{\"name\": \"app-%s\", \"kind\": \"compute\", \"zones\": %s, "
                "\"instances_per_zone\": 1, \"min_healthy\": 2, "
                "\"depends\": [\"db-%s\", \"queue-%s\"]}",
                s.c_str(), zones_of(r, 0, kZones).c_str(), s.c_str(), s.c_str());
    c.next();
    std::printf("{\"name\": \"db-%s\", \"kind\": \"database\", \"zones\": %s, \"size\": \"50GB\", "
                "\"replication\": \"sync\", \"failover\": \"automatic\", "
                "\"snapshots\": {\"interval\": \"24h\", \"retention\": \"7d\", "
                "\"locations\": [%s, %s], \"copy_size\": \"1GB\"}, "
                "\"log_shipping\": {\"interval\": \"5m\", \"retention\": \"7d\"}}",
                s.c_str(), zones_of(r, z, 2).c_str(), q(region(r)).c_str(),
                q(region(r + 1)).c_str());
    c.next();
    std::printf("{\"name\": \"queue-%s\", \"kind\": \"queue\", \"zones\": %s, "
                "\"durable\": true, \"replicated\": true}",
                s.c_str(), zones_of(r, z, kZones).c_str());
    c.next();
    std::printf("{\"name\": \"worker-%s\", \"kind\": \"compute\", \"zones\": %s, "
                "\"instances_per_zone\": 1, \"depends\": [\"queue-%s\", \"store-%s\"]}",
                s.c_str(), zones_of(r, z + 1, 2).c_str(), s.c_str(), s.c_str());
    c.next();
    std::printf("{\"name\": \"store-%s\", \"kind\": \"object_store\", \"region\": %s, "
                "\"size\": \"200GB\", \"versioning\": true, "
                "\"replication\": {\"to\": %s, \"lag\": {\"uniform\": [\"1s\", \"15m\"]}}}",
                s.c_str(), q(region(r)).c_str(), q(region(r + 1)).c_str());
  }
  for (int k = 0; k < extra; ++k) {
    c.next();
    std::printf("{\"name\": \"batch-%d\", \"kind\": \"compute\", \"zones\": %s}", k,
                zones_of(k, k, 1).c_str());
  }
  std::printf("\n  ],\n");

  // Services: one per stack.
  std::printf("  \"services\": [");
  List sv;
  for (int i = 0; i < stacks; ++i) {
    sv.next();
    std::printf("{\"name\": \"svc-%d\", \"depends\": [\"lb-%d\", \"worker-%d\"], "
                "\"writes\": \"20/s\", \"data\": [\"db-%d\", \"store-%d\"], "
                "\"targets\": {\"default\": {\"rto\": \"4h\", \"rpo\": \"1h\"}}}",
                i, i, i, i, i);
  }
  std::printf("\n  ],\n");

  // One runbook and one disaster: region r0 is lost for two hours; db-0 is restored in r1.
  std::printf(
      "  \"runbooks\": [\n"
      "    {\"name\": \"restore-db-0-elsewhere\", \"team\": \"ops\", \"trigger\": \"alert\",\n"
      "     \"description\": \"Restore db-0 from its snapshot copy in r1.\",\n"
      "     \"steps\": [\n"
      "       {\"id\": \"decide\", \"title\": \"Confirm the region outage\", \"kind\": \"manual\", "
      "\"duration\": {\"uniform\": [\"5m\", \"15m\"]}},\n"
      "       {\"id\": \"restore\", \"title\": \"Restore db-0 in %s\", \"kind\": \"automated\", "
      "\"duration\": \"5m\", \"after\": [\"decide\"], "
      "\"action\": {\"restore\": \"db-0\", \"to\": [%s], \"from\": \"snapshot\"}}\n"
      "     ]}\n"
      "  ],\n",
      zone(1, 0).c_str(), q(zone(1, 0)).c_str());
  std::printf(
      "  \"disasters\": [\n"
      "    {\"name\": \"region-outage\", \"class\": \"region\", "
      "\"description\": \"Region r0 is down for two hours.\",\n"
      "     \"faults\": [{\"kind\": \"region_outage\", \"target\": \"r0\", \"duration\": \"2h\"}],\n"
      "     \"runbooks\": [\"restore-db-0-elsewhere\"]}\n"
      "  ]\n}\n");
  return 0;
}
