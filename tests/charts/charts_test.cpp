// Charts rendered off-screen as a person would look at them: the PNG has the target line in
// its colour where the target is, the bars, every phase of a Gantt; the SVG is a document that
// draws the same picture back (QSvgRenderer). FIREDRILL_CHART_DIR=dir keeps the PNGs to look at.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdlib>

#include "charts/charts.hpp"
#include "charts/paint.hpp"

using namespace firedrill::charts;

namespace {

QImage png_image(const Chart& c, Size size, const char* name) {
  const std::string png = to_png(c, size);
  if (const char* dir = std::getenv("FIREDRILL_CHART_DIR")) {
    QFile f(QString(dir) + "/" + name + ".png");
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(png.data(), static_cast<qint64>(png.size()));
  }
  QImage image;
  REQUIRE(image.loadFromData(QByteArray(png.data(), static_cast<int>(png.size())), "PNG"));
  return image.convertToFormat(QImage::Format_RGB32);
}

QImage svg_image(const Chart& c, Size size) {
  const std::string svg = to_svg(c, size);
  QSvgRenderer renderer(QByteArray(svg.data(), static_cast<int>(svg.size())));
  REQUIRE(renderer.isValid());
  QImage image(size.width, size.height, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  renderer.render(&p);
  p.end();
  return image;
}

bool near(QColor a, QColor b, int tolerance = 40) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

// Pixels close to `color`, and the mean x of them.
std::pair<int, double> pixels_of(const QImage& image, QColor color, int tolerance = 40) {
  int n = 0;
  double x_sum = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      if (near(QColor(image.pixel(x, y)), color, tolerance)) ++n, x_sum += x;
    }
  }
  return {n, n > 0 ? x_sum / n : -1};
}

const QColor kTarget(0xd6, 0x27, 0x28);

Histogram histogram(double target_s) {
  Histogram h;
  h.title = "RTO: zone / api";
  h.quantity = "RTO";
  for (int i = 0; i < 10; ++i) h.bins.push_back({60.0 + 6 * i, static_cast<std::uint64_t>(5 + i)});
  h.max_s = 120;
  h.target_s = target_s;
  h.p50_s = 95;
  h.p95_s = 115;
  return h;
}

}  // namespace

TEST_CASE("histogram: the target line moves with the target, bars are drawn, SVG draws the same") {
  const Size size{720, 320};
  const QImage low = png_image(histogram(30), size, "histogram-low");
  const QImage high = png_image(histogram(110), size, "histogram-high");
  CHECK(low.size() == QSize(720, 320));
  const auto [low_n, low_x] = pixels_of(low, kTarget);
  const auto [high_n, high_x] = pixels_of(high, kTarget);
  CHECK(low_n > 100);  // a vertical line 2.5 px wide over most of the plot's height
  CHECK(high_n > 100);
  CHECK(high_x > low_x + 200);  // 30s vs 110s on an axis of about 0..126s, 600 px wide
  CHECK(pixels_of(low, QColor(0x9c, 0xb4, 0xcc), 60).first > 2000);  // the bars' fill
  const QImage from_svg = svg_image(histogram(30), size);
  const auto [svg_n, svg_x] = pixels_of(from_svg, kTarget);
  CHECK(svg_n > 100);
  CHECK(std::abs(svg_x - low_x) < 5);
  const std::string svg = to_svg(histogram(30), size);
  CHECK(svg.find("RTO (s)") != std::string::npos);  // the axis title, as text
  CHECK(svg.find("<image") == std::string::npos);   // vectors, not a picture
}

TEST_CASE("gantt: every phase that lasts is drawn in its colour, with the target marks") {
  Gantt g;
  g.title = "Recovery phases";
  g.rows.push_back({"api", {30, 300, 900, 0, 120, 60}, 1800.0});
  g.rows.push_back({"web", {30, 0, 600, 400, 0, 0}, 900.0});
  const QImage image = png_image(g, natural_size(g), "gantt");
  const QColor phases[kPhaseCount] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                      QColor(0x59, 0xa1, 0x4f), QColor(0x76, 0xb7, 0xb2),
                                      QColor(0xb0, 0x7a, 0xa1), QColor(0x9c, 0x75, 0x5f)};
  for (const auto& c : phases) CHECK(pixels_of(image, c, 20).first > 100);
  CHECK(pixels_of(image, kTarget).first > 60);
}

TEST_CASE("gantt: a detection of seconds beside hours of waiting still shows") {
  Gantt g;
  g.title = "Recovery phases";
  g.rows.push_back({"db", {2, 0, 0, 4 * 3600, 0, 0}, 3600.0});
  const QImage image = png_image(g, natural_size(g), "gantt-short");
  CHECK(pixels_of(image, QColor(0x4e, 0x79, 0xa7), 20).first > 30);  // detect
  CHECK(pixels_of(image, QColor(0x76, 0xb7, 0xb2), 20).first > 1000);  // outside
}

TEST_CASE("trend: values and the dashed target over dates") {
  Trend t;
  t.title = "RTO over drills";
  t.quantity = "RTO";
  t.points = {{1.7e9, 600, 900}, {1.7e9 + 90 * 86400, 1200, 900}, {1.7e9 + 180 * 86400, 700, 900}};
  const QImage image = png_image(t, {720, 320}, "trend");
  CHECK(pixels_of(image, kTarget).first > 100);
  CHECK(pixels_of(image, QColor(0x4e, 0x79, 0xa7), 30).first > 100);
}

TEST_CASE("topology: nested boxes, taller with more content, nothing cut") {
  Topology small{"Scope", {{"aws", "cloud", {{"eu-west-1", {{"eu-west-1a", {"db"}}}, {}}}, {}}}, {}};
  Topology large = small;
  large.providers.push_back({"gcp", "cloud", {{"europe-west1", {{"b", {"x", "y", "z"}}, {"c", {"w"}}}, {"lb"}}}, {"dns"}});
  large.unplaced = {"oncall (team)"};
  const Size s1 = natural_size(small), s2 = natural_size(large);
  CHECK(s2.height > s1.height + 100);
  const QImage image = png_image(large, s2, "topology");
  // The last row (the people band) ends inside the picture: its bottom rows are not all white.
  int inked_rows = 0;
  for (int y = image.height() - 40; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      if (QColor(image.pixel(x, y)) != QColor(Qt::white)) {
        ++inked_rows;
        break;
      }
    }
  }
  CHECK(inked_rows > 20);
}
