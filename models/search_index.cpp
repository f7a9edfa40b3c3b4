// search_index: derived data (Elasticsearch), restored from a snapshot or rebuilt.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

using sim::CopyConfig;

// search_index: derived data (Elasticsearch): rebuilt from its source or restored from a
// snapshot; nothing written to it is lost for good, but a rebuild can take long.
class SearchIndex final : public DeclaredModel {
 public:
  SearchIndex()
      : DeclaredModel(
            "search_index", "derived data: restore a snapshot or rebuild from the source",
            concat({sim::param("size", ParamType::size, "bytes", "\"100GB\"", "index size"),
             sim::required_param("source", ParamType::component_ref, "component",
                                 "where the indexed data comes from"),
             at_least(sim::param("rebuild_rate", ParamType::bandwidth, "bytes/s", "\"20MB/s\"",
                                 "how fast a rebuild from the source indexes"),
                      1),
             periodic_copy_param("snapshots", "snapshots", "24h", "7d"),
             one_off_snapshots_param(),
             throughput_param("200MB/s")},
                   failover_params("5s", 3, "\"30s\"", "a replica shard takes over"))) {}
  [[nodiscard]] bool holds_data() const override { return true; }

  void build(const sim::Component& c, const sim::Scenario& s, sim::Behaviour& out) const override {
    sim::DataConfig data;
    data.size_bytes = c.params.number("size");
    data.restore_throughput_Bps = c.params.number("restore_throughput");
    data.derived = true;
    data.rebuild_source = c.params.text("source");
    data.rebuild_Bps = c.params.number("rebuild_rate");
    for (std::size_t i = 1; i < c.placement.zones.size(); ++i) {
      data.copies.push_back(zone_replica(c, c.placement.zones[i]));
    }
    add_periodic_copies(c.params.object("snapshots"), CopyConfig::Kind::snapshot, "snapshots", c,
                        s, data.copies);
    add_one_off_snapshots(c, s, data.copies);
    out.data = data;
    out.failover = failover_from(c.params, sim::FailoverConfig::Mode::automatic);
  }

  void check(const sim::Component& c, const sim::Scenario&, const std::string& file,
             sim::Diagnostics& out) const override {
    check_periodic_copies(c.params.object("snapshots"), c.pointer + "/snapshots", file, out);
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_search_index() { return std::make_unique<SearchIndex>(); }

}  // namespace firedrill::models
