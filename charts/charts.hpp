// Charts shared by the reports and the GUI, drawn once with Qt Charts (and QPainter for the
// topology picture) and rendered off-screen to SVG, PNG or any QPainter (a QPdfWriter page).
// This header is Qt-free: charts are described by plain structs. Painting onto a QPainter is
// in charts/paint.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/phases.hpp"

namespace firedrill::charts {

// The phase names in Gantt order (one list, sim/phases.hpp).
using sim::kPhaseCount;
inline constexpr const auto& kPhases = sim::kPhaseNames;

// Distribution of a measured duration (RTO or RPO) over trials: equal-width bins as
// (lower bound in seconds, count), the last bin ending at `max_s`; the target as a vertical
// marker line; p50 and p95 as dashed marks.
struct Histogram {
  std::string title;
  std::string quantity;  // "RTO" or "RPO": the x axis reads "<quantity> (<unit>)"
  std::vector<std::pair<double, std::uint64_t>> bins;
  double max_s = 0;
  double target_s = 0;
  std::optional<double> p50_s, p95_s;
  std::uint64_t not_recovered = 0;  // trials without a value, said in the legend
};

// The phases of a trial's recovery as a Gantt chart: one row per service, its phases laid end
// to end from the disruption start (detect, respond, restore, propagate, drain), with the
// service's RTO target as a marker.
struct GanttRow {
  std::string label;
  double phases_s[kPhaseCount] = {};
  std::optional<double> target_s;
};
// A phase shorter than this share of the time axis is drawn at this width, so that every
// phase that happened shows.
inline constexpr double kMinPhaseShare = 0.006;
struct Gantt {
  std::string title;
  std::vector<GanttRow> rows;
};

// A measured value over time against its target (drill history).
struct TrendPoint {
  double time_s = 0;  // seconds since the Unix epoch (UTC)
  double value_s = 0;
  double target_s = 0;
};
struct Trend {
  std::string title;
  std::string quantity;  // "RTO" or "RPO"
  std::vector<TrendPoint> points;  // in time order
};

// Providers > regions > zones with the components placed in each as boxes.
struct TopologyZone {
  std::string name;
  std::vector<std::string> components;
};
struct TopologyRegion {
  std::string name;
  std::vector<TopologyZone> zones;
  std::vector<std::string> components;  // regional services (survive a zone outage)
};
struct TopologyProvider {
  std::string name;
  std::string kind;  // cloud, saas, on-prem
  std::vector<TopologyRegion> regions;
  std::vector<std::string> components;  // global services of the provider
};
struct Topology {
  std::string title;
  std::vector<TopologyProvider> providers;
  std::vector<std::string> unplaced;  // people (teams), placed nowhere
};

using Chart = std::variant<Histogram, Gantt, Trend, Topology>;

struct Size {
  int width = 720;
  int height = 320;
};

// The size a chart is drawn at by default (the topology grows with its content).
Size natural_size(const Chart& chart);

// SVG document text (QSvgGenerator).
std::string to_svg(const Chart& chart, Size size);
// PNG file bytes (QImage, white background).
std::string to_png(const Chart& chart, Size size);



}  // namespace firedrill::charts
