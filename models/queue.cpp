// queue: messages between producers and consumers (SQS, Azure Queue, RabbitMQ).
#include "models/common.hpp"

namespace firedrill::models {
namespace {

using sim::CopyConfig;

class Queue final : public DeclaredModel {
 public:
  Queue()
      : DeclaredModel(
            "queue", "messages between services; durable and replicated or not",
            concat({sim::param("durable", ParamType::boolean, "", "true",
                        "messages survive a restart of the queue"),
             sim::param("message_age", ParamType::duration, "s", "\"1m\"",
                        "how long a message typically waits: what a non-durable queue loses"),
             sim::param("replicated", ParamType::boolean, "", "true",
                        "messages are replicated synchronously across its placement zones"),
             sim::param("size", ParamType::size, "bytes", "\"1GB\"", "typical backlog size"),
             throughput_param("100MB/s")},
                   failover_params("5s", 2, "\"5s\"", "a managed queue moves to a replica"))) {}
  [[nodiscard]] bool holds_data() const override { return true; }

  void build(const sim::Component& c, const sim::Scenario&, sim::Behaviour& out) const override {
    sim::DataConfig data;
    data.size_bytes = c.params.number("size");
    data.restore_throughput_Bps = c.params.number("restore_throughput");
    data.durable = c.params.boolean("durable");
    data.volatile_window_s = c.params.number("message_age");
    if (c.params.boolean("replicated")) {
      for (std::size_t i = 1; i < c.placement.zones.size(); ++i) {
        data.copies.push_back(zone_replica(c, c.placement.zones[i]));
      }
      if (!c.placement.region.empty()) {
        auto r = zone_replica(c, "");
        r.zone.clear();
        r.region = c.placement.region;
        r.name = "replica@" + c.placement.region;
        data.copies.push_back(r);
      }
    }
    out.data = data;
    out.failover = failover_from(c.params, sim::FailoverConfig::Mode::automatic);
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_queue() { return std::make_unique<Queue>(); }

}  // namespace firedrill::models
