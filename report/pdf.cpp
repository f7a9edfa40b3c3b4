// The PDF report: the document's blocks laid out by a QTextDocument paginated to A4 (text and
// table rows never cut across a page edge), charts as custom text objects painted as vectors
// by the chart renderer, a page number on every page.
#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextObjectInterface>
#include <QTextTable>

#include <vector>

#include "charts/paint.hpp"
#include "report/document.hpp"
#include "report/render.hpp"

namespace firedrill::report {

namespace {

constexpr int kChartObject = QTextFormat::UserObject + 1;
constexpr int kChartIndex = QTextFormat::UserProperty + 1;
constexpr double kDpi = 96;
constexpr double kFooter = 28;  // pixels kept under the text for the page number

// Draws the chart blocks where the layout puts their object characters.
class ChartObject : public QObject, public QTextObjectInterface {
  Q_OBJECT
  Q_INTERFACES(QTextObjectInterface)

 public:
  ChartObject(const std::vector<const Block*>& charts, QSizeF body) : charts_(charts), body_(body) {}

  QSizeF intrinsicSize(QTextDocument*, int, const QTextFormat& format) override {
    return size_of(*charts_.at(format.property(kChartIndex).toInt()));
  }
  void drawObject(QPainter* painter, const QRectF& rect, QTextDocument*, int,
                  const QTextFormat& format) override {
    // The layout hands over objects near the page too; Qt Charts sets clips of its own, so
    // draw only what lies on the page being printed.
    if (!page_.intersects(rect)) return;
    charts::paint(*charts_.at(format.property(kChartIndex).toInt())->chart, *painter, rect);
  }
  void set_page(const QRectF& page) { page_ = page; }

 private:
  // The chart's size scaled to the text width, and to at most 85% of a page's height.
  QSizeF size_of(const Block& b) const {
    double w = b.size.width, h = b.size.height;
    const double max_w = body_.width() - 4, max_h = body_.height() * 0.85;
    if (w > max_w) h *= max_w / w, w = max_w;
    if (h > max_h) w *= max_h / h, h = max_h;
    return {w, h};
  }
  const std::vector<const Block*>& charts_;
  QSizeF body_;
  QRectF page_;
};

QTextCharFormat text_format(double points, bool bold = false, QColor color = Qt::black) {
  QTextCharFormat f;
  f.setFontFamilies({"DejaVu Sans"});
  f.setFontStyleStrategy(QFont::PreferNoShaping);  // no ligatures: the text copies as typed
  f.setFontPointSize(points);
  f.setFontWeight(bold ? QFont::Bold : QFont::Normal);
  f.setForeground(color);
  return f;
}

QTextBlockFormat block_format(double top, double bottom, bool page_break) {
  QTextBlockFormat f;
  f.setTopMargin(top);
  f.setBottomMargin(bottom);
  if (page_break) f.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
  return f;
}

void add_table(QTextCursor& cursor, const Table& t) {
  QTextTableFormat tf;
  tf.setBorder(0.5);
  tf.setBorderBrush(QColor(0xaa, 0xaa, 0xaa));
  tf.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
  tf.setCellPadding(2);
  tf.setCellSpacing(0);
  tf.setHeaderRowCount(1);
  tf.setWidth(QTextLength(QTextLength::PercentageLength, 100));
  QTextTable* table = cursor.insertTable(static_cast<int>(t.rows.size()) + 1,
                                         static_cast<int>(t.header.size()), tf);
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    QTextTableCell cell = table->cellAt(0, static_cast<int>(c));
    QTextCharFormat bg;
    bg.setBackground(QColor(0xee, 0xee, 0xee));
    cell.setFormat(bg);
    cell.firstCursorPosition().insertText(QString::fromStdString(t.header[c]), text_format(7.5, true));
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (std::size_t c = 0; c < t.rows[r].size() && c < t.header.size(); ++c) {
      const std::string& text = t.rows[r][c];
      const bool missed = text == verdict_word(true);
      table->cellAt(static_cast<int>(r) + 1, static_cast<int>(c))
          .firstCursorPosition()
          .insertText(QString::fromStdString(text),
                      text_format(7.5, missed, missed ? QColor(0xa4, 0, 0) : QColor(Qt::black)));
    }
  }
  cursor.movePosition(QTextCursor::End);
}

}  // namespace

std::string to_pdf(const Report& r) {
  charts::ensure_application();
  const std::vector<Block> blocks = document(r);
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QPdfWriter writer(&buffer);
  writer.setResolution(static_cast<int>(kDpi));
  writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                   QMarginsF(15, 15, 15, 12), QPageLayout::Millimeter));
  writer.setTitle(QString::fromStdString("Disaster-recovery report: " + r.scenario_name));
  writer.setCreator("firedrill " + QString::fromStdString(r.firedrill_version));
  const QRect paint_rect = writer.pageLayout().paintRectPixels(static_cast<int>(kDpi));
  const QSizeF body(paint_rect.width(), paint_rect.height() - kFooter);

  std::vector<const Block*> chart_blocks;
  ChartObject handler(chart_blocks, body);
  QTextDocument doc;
  doc.documentLayout()->setPaintDevice(&writer);
  doc.documentLayout()->registerHandler(kChartObject, &handler);
  doc.setDocumentMargin(0);
  doc.setPageSize(body);
  QFont font("DejaVu Sans");
  font.setPointSizeF(9);
  font.setStyleStrategy(QFont::PreferNoShaping);
  doc.setDefaultFont(font);

  QTextCursor cursor(&doc);
  bool first = true, break_next = false;
  auto next_block = [&](const QTextBlockFormat& bf, const QTextCharFormat& cf) {
    if (first) {
      cursor.setBlockFormat(bf);
      cursor.setBlockCharFormat(cf);
      first = false;
    } else {
      cursor.insertBlock(bf, cf);
    }
  };
  for (const Block& b : blocks) {
    const bool page_break = std::exchange(break_next, false);
    const QString text = QString::fromStdString(b.text);
    switch (b.kind) {
      case Block::Kind::title:
        next_block(block_format(80, 16, page_break), text_format(18, true));
        cursor.insertText(text, text_format(18, true));
        break;
      case Block::Kind::heading:
        next_block(block_format(14, 6, page_break), text_format(13, true));
        cursor.insertText(text, text_format(13, true));
        break;
      case Block::Kind::paragraph: {
        const QTextCharFormat cf = b.alert ? text_format(9, true, QColor(0xa4, 0, 0)) : text_format(9);
        next_block(block_format(3, 3, page_break), cf);
        cursor.insertText(text, cf);
        break;
      }
      case Block::Kind::page_break: break_next = true; break;
      case Block::Kind::table:
        next_block(block_format(2, 2, page_break), text_format(9));
        add_table(cursor, b.table);
        break;
      case Block::Kind::chart: {
        next_block(block_format(6, 0, page_break), text_format(9));
        QTextCharFormat object;
        object.setObjectType(kChartObject);
        object.setProperty(kChartIndex, static_cast<int>(chart_blocks.size()));
        chart_blocks.push_back(&b);
        cursor.insertText(QString(QChar::ObjectReplacementCharacter), object);
        next_block(block_format(0, 6, false), text_format(7.5, false, QColor(0x55, 0x55, 0x55)));
        cursor.insertText(text, text_format(7.5, false, QColor(0x55, 0x55, 0x55)));
        break;
      }
    }
  }

  QPainter painter(&writer);
  const int pages = doc.pageCount();
  for (int i = 0; i < pages; ++i) {
    if (i > 0) writer.newPage();
    painter.save();
    painter.translate(0, -i * body.height());
    QAbstractTextDocumentLayout::PaintContext context;
    context.clip = QRectF(0, i * body.height(), body.width(), body.height());
    painter.setClipRect(context.clip);
    handler.set_page(context.clip);
    doc.documentLayout()->draw(&painter, context);
    painter.restore();
    painter.setFont(QFont("DejaVu Sans", 8));
    painter.setPen(QColor(0x55, 0x55, 0x55));
    painter.drawText(QRectF(0, body.height() + 6, body.width(), kFooter - 6), Qt::AlignLeft | Qt::AlignVCenter,
                     QString::fromStdString(r.scenario_name + " (" + r.scenario_sha256.substr(0, 12) + ")"));
    painter.drawText(QRectF(0, body.height() + 6, body.width(), kFooter - 6), Qt::AlignRight | Qt::AlignVCenter,
                     QString("page %1 of %2").arg(i + 1).arg(pages));
  }
  painter.end();
  return buffer.data().toStdString();
}

}  // namespace firedrill::report

#include "pdf.moc"
