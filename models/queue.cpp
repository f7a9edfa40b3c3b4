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
            {sim::param("durable", ParamType::boolean, "", "true",
                        "messages survive a restart of the queue"),
             sim::param("message_age", ParamType::duration, "s", "\"1m\"",
                        "how long a message typically waits: what a non-durable queue loses"),
             sim::param("replicated", ParamType::boolean, "", "true",
                        "messages are replicated synchronously across its placement zones"),
             sim::param("size", ParamType::size, "bytes", "\"1GB\"", "typical backlog size"),
             at_least(sim::param("restore_throughput", ParamType::bandwidth, "bytes/s",
                                 "\"100MB/s\"", "how fast it moves data: restores, snapshot and copy jobs"),
                      1)}) {}
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
    sim::FailoverConfig f;
    f.mode = sim::FailoverConfig::Mode::automatic;
    f.check_interval_s = 5;
    f.failures = 2;
    f.time = sim::Distribution::fixed(5);
    out.failover = f;
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_queue() { return std::make_unique<Queue>(); }

}  // namespace firedrill::models
