// object_store: buckets (S3, GCS, Azure Storage) with versioning, replication and copy jobs.
#include "models/common.hpp"

namespace firedrill::models {
namespace {

using sim::CopyConfig;

class ObjectStore final : public DeclaredModel {
 public:
  ObjectStore()
      : DeclaredModel(
            "object_store", "buckets: versioning, cross-region replication, nightly copies",
            {sim::param("size", ParamType::size, "bytes", "\"1TB\"", "data size"),
             sim::param("versioning", ParamType::boolean, "", "false",
                        "deleted or overwritten objects keep their previous versions"),
             sim::param("version_retention", ParamType::duration, "s", "\"30d\"",
                        "how long previous versions are kept"),
             sim::param("object_lock", ParamType::boolean, "", "false",
                        "previous versions are under object lock (S3 Object Lock compliance "
                        "mode) for version_retention: no credential compromise deletes them "
                        "(needs versioning)"),
             sim::object_param(
                 "replication", false,
                 {sim::required_param("to", ParamType::region_ref, "region",
                                      "region of the destination bucket"),
                  sim::param("lag", ParamType::duration_dist, "s",
                             "{\"uniform\": [\"1s\", \"15m\"]}",
                             "replication delay (S3 RTC: 99.99% within 15m)"),
                  stale_param("stale", "the destination bucket"),
                  sim::param("credentials", ParamType::text, "", "\"\"",
                             "credential that can delete the destination (\"\": the "
                             "component's)")},
                 "continuous replication to another bucket (absent: none)"),
             periodic_copy_param("copies", "copy jobs to a secondary bucket", "24h", "30d"),
             throughput_param("500MB/s")}) {}
  [[nodiscard]] bool holds_data() const override { return true; }

  void check(const sim::Component& c, const sim::Scenario&, const std::string& file,
             sim::Diagnostics& out) const override {
    if (c.params.boolean("object_lock") && !c.params.boolean("versioning")) {
      out.add({file, c.pointer + "/versioning", 0, 0,
               "true (object lock keeps previous versions: it needs versioning)",
               "false", ""});
    }
    check_periodic_copies(c.params.object("copies"), c.pointer + "/copies", file, out);
  }

  void build(const sim::Component& c, const sim::Scenario& s, sim::Behaviour& out) const override {
    sim::DataConfig data;
    data.size_bytes = c.params.number("size");
    data.restore_throughput_Bps = c.params.number("restore_throughput");
    for (std::size_t i = 1; i < c.placement.zones.size(); ++i) {
      data.copies.push_back(zone_replica(c, c.placement.zones[i]));
    }
    if (c.params.boolean("versioning")) {
      CopyConfig v;
      v.kind = CopyConfig::Kind::versions;
      v.name = "versions";
      v.retention_s = c.params.number("version_retention");
      v.credentials = c.credentials;
      v.object_lock = c.params.boolean("object_lock");
      data.copies.push_back(v);
    }
    if (const auto* rep = c.params.object("replication")) {
      CopyConfig r;
      r.kind = CopyConfig::Kind::replica;
      r.name = "replica@" + rep->text("to");
      r.region = rep->text("to");
      r.lag = rep->dist("lag");
      r.stale = stale_from(rep->object("stale"));
      r.credentials = rep->text("credentials").empty()
                          ? c.credentials
                          : std::vector<std::string>{rep->text("credentials")};
      data.copies.push_back(r);
    }
    add_periodic_copies(c.params.object("copies"), CopyConfig::Kind::copy, "copy", c, s,
                        data.copies);
    out.data = data;
  }
};

}  // namespace

std::unique_ptr<sim::ComponentModel> make_object_store() { return std::make_unique<ObjectStore>(); }

std::vector<sim::Preset> object_store_presets() {
  return {
      {"s3-rtc",
       "Amazon S3 User Guide, 'S3 Replication Time Control': 99.99% of objects replicated within "
       "15 min, from a write to the source bucket to the object being in the destination. Here "
       "a replication lag uniform up to 15 min (the scenario writes replication.to)",
       R"({"replication": {"lag": {"uniform": ["1s", "15m"]}}})"},
  };
}

}  // namespace firedrill::models
