// Painting a chart onto any QPainter (a QPdfWriter page, a widget, an image). Includes Qt:
// include it only where Qt is already in use.
#pragma once

#include <QPainter>
#include <QRectF>

#include "charts/charts.hpp"

namespace firedrill::charts {

// Creates the QApplication Qt Charts needs when there is none (platform "offscreen" unless
// QT_QPA_PLATFORM says otherwise). Safe to call many times.
void ensure_application();

// Draws `chart` into `target` (in the painter's coordinates), as vectors where the device
// keeps them (PDF, SVG).
void paint(const Chart& chart, QPainter& painter, const QRectF& target);

}  // namespace firedrill::charts
