// Cycle finding for hard dependencies between components and for runbook step order.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <limits>

#include "sim/loader_internal.hpp"

namespace firedrill::sim::detail {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Remembers the search tree; every back edge u -> v closes the cycle v -> ... -> u -> v.
class CycleVisitor : public boost::default_dfs_visitor {
 public:
  CycleVisitor(std::vector<std::size_t>& parent, std::vector<std::vector<std::size_t>>& cycles,
               std::size_t max_cycles)
      : parent_(&parent), cycles_(&cycles), max_cycles_(max_cycles) {}

  void tree_edge(Edge e, const Graph& g) const {
    (*parent_)[boost::target(e, g)] = boost::source(e, g);
  }

  void back_edge(Edge e, const Graph& g) const {
    if (cycles_->size() >= max_cycles_) return;
    const Vertex u = boost::source(e, g);
    const Vertex v = boost::target(e, g);
    std::vector<std::size_t> cycle{u};
    for (std::size_t x = u; x != v;) {
      x = (*parent_)[x];
      if (x == kNone) return;  // not on the current path (cannot happen for a back edge)
      cycle.push_back(x);
    }
    std::reverse(cycle.begin(), cycle.end());  // v ... u, in edge order
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    if (std::find(cycles_->begin(), cycles_->end(), cycle) == cycles_->end()) {
      cycles_->push_back(std::move(cycle));
    }
  }

 private:
  std::vector<std::size_t>* parent_;
  std::vector<std::vector<std::size_t>>* cycles_;
  std::size_t max_cycles_;
};

}  // namespace

std::vector<std::vector<std::size_t>> find_cycles(
    std::size_t vertex_count, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
    std::size_t max_cycles) {
  Graph graph(vertex_count);
  for (const auto& [from, to] : edges) {
    if (from < vertex_count && to < vertex_count) boost::add_edge(from, to, graph);
  }
  std::vector<std::size_t> parent(vertex_count, kNone);
  std::vector<std::vector<std::size_t>> cycles;
  if (vertex_count == 0) return cycles;
  boost::depth_first_search(graph, boost::visitor(CycleVisitor(parent, cycles, max_cycles)));
  return cycles;
}

}  // namespace firedrill::sim::detail
