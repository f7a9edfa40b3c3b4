#include "charts/charts.hpp"

#include <QApplication>
#include <QBuffer>
#include <QDateTime>
#include <QFontMetricsF>
#include <QImage>
#include <QSvgGenerator>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "charts/paint.hpp"

namespace firedrill::charts {

namespace {

const QColor kTargetColor(0xd6, 0x27, 0x28);
// detect, respond, restore, outside, propagate, drain
const QColor kPhaseColors[kPhaseCount] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                          QColor(0x59, 0xa1, 0x4f), QColor(0x76, 0xb7, 0xb2),
                                          QColor(0xb0, 0x7a, 0xa1), QColor(0x9c, 0x75, 0x5f)};

// The unit an axis reads best in for values up to `max_s`: seconds, minutes, hours or days.
struct TimeUnit {
  const char* name;
  double seconds;
};
TimeUnit unit_for(double max_s) {
  if (max_s <= 180) return {"s", 1};
  if (max_s <= 3 * 3600) return {"min", 60};
  if (max_s <= 3 * 86400) return {"h", 3600};
  return {"d", 86400};
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

// A chart with the report's look: white, flat, no animation or shadow (vector-friendly).
QChart* new_chart(const std::string& title) {
  auto* chart = new QChart;
  chart->setTheme(QChart::ChartThemeLight);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setDropShadowEnabled(false);
  chart->setBackgroundRoundness(0);
  chart->setBackgroundBrush(Qt::white);
  chart->setPlotAreaBackgroundVisible(false);
  chart->setTitle(qs(title));
  QFont f = chart->titleFont();
  f.setPointSizeF(10);
  f.setBold(true);
  chart->setTitleFont(f);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  return chart;
}

QValueAxis* value_axis(const QString& title, double lo, double hi) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setRange(lo, hi);
  axis->applyNiceNumbers();
  axis->setLabelFormat("%g");
  return axis;
}

void hide_legend_of(QChart* chart, QAbstractSeries* series) {
  for (QLegendMarker* m : chart->legend()->markers(series)) m->setVisible(false);
}

// A vertical line from (x, 0) to (x, top) in `pen`, named in the legend.
QLineSeries* vertical_line(const QString& name, double x, double top, const QPen& pen) {
  auto* line = new QLineSeries;
  line->setName(name);
  line->append(x, 0);
  line->append(x, top);
  line->setPen(pen);
  return line;
}

QChart* histogram_chart(const Histogram& h) {
  double max_x = std::max({h.max_s, h.target_s, h.p95_s.value_or(0)});
  if (max_x <= 0) max_x = 1;
  const TimeUnit u = unit_for(max_x);
  std::string title = h.title;
  if (h.not_recovered > 0) title += " (" + std::to_string(h.not_recovered) + " not recovered)";
  QChart* chart = new_chart(title);
  auto* outline = new QLineSeries;
  std::uint64_t top = 1;
  for (std::size_t i = 0; i < h.bins.size(); ++i) {
    const double lo = h.bins[i].first;
    double hi = i + 1 < h.bins.size() ? h.bins[i + 1].first : h.max_s;
    if (hi <= lo) hi = lo + max_x / 200;  // a single value: a thin bar
    const double count = static_cast<double>(h.bins[i].second);
    top = std::max(top, h.bins[i].second);
    outline->append(lo / u.seconds, 0);
    outline->append(lo / u.seconds, count);
    outline->append(hi / u.seconds, count);
    outline->append(hi / u.seconds, 0);
  }
  auto* bars = new QAreaSeries(outline);
  bars->setName("trials");
  bars->setColor(QColor(0x4e, 0x79, 0xa7, 170));
  bars->setBorderColor(QColor(0x2f, 0x4b, 0x6e));
  chart->addSeries(bars);
  const double y_top = top * 1.15;
  QPen target_pen(kTargetColor, 2.5);
  auto* target = vertical_line("target " + qs(h.quantity), h.target_s / u.seconds, y_top, target_pen);
  chart->addSeries(target);
  std::vector<QAbstractSeries*> series{bars, target};
  if (h.p50_s) {
    QPen pen(QColor(0x33, 0x33, 0x33), 1.5, Qt::DashLine);
    series.push_back(vertical_line("p50", *h.p50_s / u.seconds, y_top, pen));
    chart->addSeries(series.back());
  }
  if (h.p95_s) {
    QPen pen(QColor(0x8c, 0x56, 0x4b), 1.5, Qt::DotLine);
    series.push_back(vertical_line("p95", *h.p95_s / u.seconds, y_top, pen));
    chart->addSeries(series.back());
  }
  auto* x = value_axis(qs(h.quantity) + " (" + u.name + ")", 0, max_x * 1.05 / u.seconds);
  auto* y = value_axis("trials", 0, y_top);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto* s : series) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  return chart;
}

QChart* gantt_chart(const Gantt& g) {
  QChart* chart = new_chart(g.title);
  double max_x = 0;
  for (const auto& r : g.rows) {
    double total = 0;
    for (double p : r.phases_s) total += p;
    max_x = std::max({max_x, total, r.target_s.value_or(0)});
  }
  if (max_x <= 0) max_x = 1;
  const TimeUnit u = unit_for(max_x);
  auto* bars = new QHorizontalStackedBarSeries;
  QStringList labels;
  for (const auto& r : g.rows) labels << qs(r.label);
  // A phase that happened is drawn however short it was (a 2 s detection beside a 4 h
  // restore): at least kMinPhaseShare of the axis.
  const double min_width = max_x * kMinPhaseShare;
  for (std::size_t k = 0; k < kPhaseCount; ++k) {
    auto* set = new QBarSet(kPhases[k]);
    set->setColor(kPhaseColors[k]);
    set->setBorderColor(kPhaseColors[k].darker(130));
    for (const auto& r : g.rows) {
      const double v = r.phases_s[k];
      set->append((v > 0 ? std::max(v, min_width) : 0.0) / u.seconds);
    }
    bars->append(set);
  }
  bars->setBarWidth(0.6);
  chart->addSeries(bars);
  auto* x = value_axis("time since the disruption (" + QString(u.name) + ")", 0, max_x * 1.05 / u.seconds);
  auto* y = new QBarCategoryAxis;
  y->append(labels);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  bars->attachAxis(x);
  bars->attachAxis(y);
  bool first = true;
  for (std::size_t i = 0; i < g.rows.size(); ++i) {
    if (!g.rows[i].target_s) continue;
    auto* mark = new QLineSeries;
    mark->setName("RTO target");
    const double t = *g.rows[i].target_s / u.seconds;
    mark->append(t, static_cast<double>(i) - 0.42);
    mark->append(t, static_cast<double>(i) + 0.42);
    mark->setPen(QPen(kTargetColor, 2.5));
    chart->addSeries(mark);
    mark->attachAxis(x);
    mark->attachAxis(y);
    if (!first) hide_legend_of(chart, mark);
    first = false;
  }
  return chart;
}

QChart* trend_chart(const Trend& t) {
  QChart* chart = new_chart(t.title);
  double max_v = 0;
  for (const auto& p : t.points) max_v = std::max({max_v, p.value_s, p.target_s});
  if (max_v <= 0) max_v = 1;
  const TimeUnit u = unit_for(max_v);
  auto* values = new QLineSeries;
  values->setName("achieved " + qs(t.quantity));
  values->setPointsVisible(true);
  values->setPen(QPen(kPhaseColors[0], 2));
  auto* targets = new QLineSeries;
  targets->setName("target");
  targets->setPen(QPen(kTargetColor, 2, Qt::DashLine));
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    const double ms = t.points[i].time_s * 1000.0;
    values->append(ms, t.points[i].value_s / u.seconds);
    targets->append(ms, t.points[i].target_s / u.seconds);
    lo = i == 0 ? ms : std::min(lo, ms);
    hi = i == 0 ? ms : std::max(hi, ms);
  }
  if (hi <= lo) lo -= 86400e3, hi += 86400e3;
  chart->addSeries(values);
  chart->addSeries(targets);
  auto* x = new QDateTimeAxis;
  x->setFormat("yyyy-MM-dd");
  x->setTitleText("drill date (UTC)");
  x->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(lo), Qt::UTC),
              QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(hi), Qt::UTC));
  auto* y = value_axis(qs(t.quantity) + " (" + u.name + ")", 0, max_v * 1.1 / u.seconds);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto* s : {values, targets}) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  return chart;
}

// The topology picture, laid out top to bottom: a band per provider, regions side by side
// in it, zones side by side in each region, components as boxes. Returns the height used;
// draws only when `p` is given.
constexpr double kPad = 6, kLine = 16, kBox = 18;
constexpr double kTopologyWidth = 960;

double component_boxes(QPainter* p, const std::vector<std::string>& names, double x, double y,
                       double w) {
  for (const auto& n : names) {
    if (p != nullptr) {
      const QRectF r(x, y, w, kBox - 3);
      p->setPen(QPen(QColor(0x55, 0x55, 0x55), 0.8));
      p->setBrush(QColor(0xf4, 0xf1, 0xe8));
      p->drawRect(r);
      p->setPen(Qt::black);
      p->drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                  QFontMetricsF(p->font()).elidedText(qs(n), Qt::ElideRight, w - 6));
    }
    y += kBox;
  }
  return static_cast<double>(names.size()) * kBox;
}

void frame(QPainter* p, const QRectF& r, const QColor& fill, const QString& label, bool bold) {
  if (p == nullptr) return;
  p->setPen(QPen(fill.darker(160), 1));
  p->setBrush(fill);
  p->drawRect(r);
  QFont f = p->font();
  const QFont keep = f;
  f.setBold(bold);
  p->setFont(f);
  p->setPen(Qt::black);
  p->drawText(QRectF(r.x() + 4, r.y() + 1, r.width() - 8, kLine), Qt::AlignLeft | Qt::AlignVCenter,
              QFontMetricsF(f).elidedText(label, Qt::ElideRight, r.width() - 8));
  p->setFont(keep);
}

// One region's zones (side by side) and regional components, from `top`; returns its height.
double region_layout(const TopologyRegion& reg, QPainter* p, double x, double top, double w) {
  double y = top + kLine + kPad;
  if (!reg.zones.empty()) {
    const double zw = (w - kPad * (reg.zones.size() + 1)) / reg.zones.size();
    double zone_h = 0;
    for (const auto& z : reg.zones) {
      zone_h = std::max(zone_h, kLine + kPad + std::max<double>(1, z.components.size()) * kBox);
    }
    for (std::size_t i = 0; i < reg.zones.size(); ++i) {
      const double zx = x + kPad + i * (zw + kPad);
      frame(p, QRectF(zx, y, zw, zone_h), QColor(0xee, 0xf4, 0xfa), qs(reg.zones[i].name),
            false);
      component_boxes(p, reg.zones[i].components, zx + 3, y + kLine + 2, zw - 6);
    }
    y += zone_h + kPad;
  }
  y += component_boxes(p, reg.components, x + kPad, y, w - 2 * kPad);
  return y + kPad - top;
}

// A provider's regions (side by side, at most two to a row, each row as tall as its
// tallest) and its global components.
constexpr std::size_t kRegionsPerRow = 2;

double provider_layout(const TopologyProvider& prov, QPainter* p, double top, double width) {
  double y = top + kLine + kPad;
  const double inner = width - 2 * kPad;
  const std::size_t per_row = std::min(kRegionsPerRow, prov.regions.size());
  for (std::size_t first = 0; first < prov.regions.size(); first += per_row) {
    const std::size_t last = std::min(prov.regions.size(), first + per_row);
    const double rw = (inner - kPad * (per_row - 1)) / per_row;
    double region_h = 0;
    for (std::size_t i = first; i < last; ++i) {
      region_h = std::max(region_h, region_layout(prov.regions[i], nullptr, 0, y, rw));
    }
    for (std::size_t i = first; i < last && p != nullptr; ++i) {
      const double rx = kPad + (i - first) * (rw + kPad);
      frame(p, QRectF(rx, y, rw, region_h), QColor(0xd5, 0xe4, 0xf1),
            "region " + qs(prov.regions[i].name), true);
      region_layout(prov.regions[i], p, rx, y, rw);
    }
    y += region_h + kPad;
  }
  y += component_boxes(p, prov.components, kPad, y, std::min(inner, 260.0));
  return y + kPad - top;
}

double topology_layout(const Topology& t, QPainter* p, double width) {
  double y = 0;
  if (!t.title.empty()) {
    if (p != nullptr) {
      QFont f = p->font();
      f.setBold(true);
      p->setFont(f);
      p->drawText(QRectF(0, 0, width, kLine + 4), Qt::AlignLeft | Qt::AlignVCenter, qs(t.title));
      f.setBold(false);
      p->setFont(f);
    }
    y += kLine + 6;
  }
  for (const auto& prov : t.providers) {
    const double h = provider_layout(prov, nullptr, y, width);  // measure, then draw
    frame(p, QRectF(0, y, width, h), QColor(0xf0, 0xf0, 0xf0),
          qs(prov.name) + (prov.kind.empty() ? QString() : " (" + qs(prov.kind) + ")"), true);
    if (p != nullptr) provider_layout(prov, p, y, width);
    y += h + kPad;
  }
  if (!t.unplaced.empty()) {
    const double h = kLine + kPad + t.unplaced.size() * kBox + kPad;
    frame(p, QRectF(0, y, width, h), QColor(0xf7, 0xf0, 0xe0), "people (placed nowhere)", true);
    component_boxes(p, t.unplaced, kPad, y + kLine + kPad, std::min(width - 2 * kPad, 260.0));
    y += h;
  }
  return y + 1;
}

QFont topology_font() {
  QFont f("DejaVu Sans");
  f.setPixelSize(11);
  return f;
}

void paint_chart(QChart* chart, QPainter& painter, const QRectF& target) {
  QChartView view(chart);  // owns the chart
  view.setRenderHint(QPainter::Antialiasing);
  view.resize(static_cast<int>(target.width()), static_cast<int>(target.height()));
  chart->resize(target.size());
  QCoreApplication::processEvents();
  view.scene()->setSceneRect(QRectF(QPointF(0, 0), target.size()));
  view.scene()->render(&painter, target, QRectF(QPointF(0, 0), target.size()));
}

}  // namespace

// Qt's messages, but for the offscreen platform's remark that XDG_RUNTIME_DIR is not set
// (normal for a batch job, and not something a report reader can act on).
namespace {

QtMessageHandler previous_handler = nullptr;

void quiet_handler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (message.startsWith("QStandardPaths: XDG_RUNTIME_DIR not set")) return;
  if (previous_handler != nullptr) previous_handler(type, context, message);
}

}  // namespace

void ensure_application() {
  if (QCoreApplication::instance() != nullptr) return;
  previous_handler = qInstallMessageHandler(quiet_handler);
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "firedrill";
  static char* argv[] = {name, nullptr};
  // Lives until the process ends: destroying it during static destruction upsets Qt.
  static auto* app = new QApplication(argc, argv);
  (void)app;
}

Size natural_size(const Chart& chart) {
  if (const auto* t = std::get_if<Topology>(&chart)) {
    ensure_application();
    QImage probe(1, 1, QImage::Format_ARGB32);
    QPainter p(&probe);
    p.setFont(topology_font());
    const double h = topology_layout(*t, nullptr, kTopologyWidth);
    return {static_cast<int>(kTopologyWidth), static_cast<int>(std::ceil(h))};
  }
  if (const auto* g = std::get_if<Gantt>(&chart)) {
    return {720, 170 + 40 * static_cast<int>(g->rows.size())};
  }
  return {};
}

void paint(const Chart& chart, QPainter& painter, const QRectF& target) {
  ensure_application();
  painter.save();
  if (const auto* t = std::get_if<Topology>(&chart)) {
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(topology_font());
    // Laid out at its natural width, scaled as a whole to fit: text keeps its proportions.
    const double h = topology_layout(*t, nullptr, kTopologyWidth);
    const double scale = std::min(target.width() / kTopologyWidth, target.height() / h);
    painter.translate(target.topLeft());
    painter.scale(scale, scale);
    topology_layout(*t, &painter, kTopologyWidth);
  } else if (const auto* h = std::get_if<Histogram>(&chart)) {
    paint_chart(histogram_chart(*h), painter, target);
  } else if (const auto* g = std::get_if<Gantt>(&chart)) {
    paint_chart(gantt_chart(*g), painter, target);
  } else if (const auto* tr = std::get_if<Trend>(&chart)) {
    paint_chart(trend_chart(*tr), painter, target);
  }
  painter.restore();
}

std::string to_svg(const Chart& chart, Size size) {
  ensure_application();
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(QSize(size.width, size.height));
  svg.setViewBox(QRect(0, 0, size.width, size.height));
  svg.setResolution(96);
  {
    QPainter painter(&svg);
    paint(chart, painter, QRectF(0, 0, size.width, size.height));
  }
  return buffer.data().toStdString();
}

std::string to_png(const Chart& chart, Size size) {
  ensure_application();
  QImage image(size.width, size.height, QImage::Format_ARGB32);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    paint(chart, painter, QRectF(0, 0, size.width, size.height));
  }
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return buffer.data().toStdString();
}

}  // namespace firedrill::charts
