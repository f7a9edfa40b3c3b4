// The phases of a recovery, in the order they follow one another: the one list that results,
// sweeps, reports, charts and the terminal table share.
#pragma once

#include <cstddef>
#include <string_view>

namespace firedrill::sim {

inline constexpr std::size_t kPhaseCount = 6;
// detect:    T0 -> the disruption is noticed (a health check, an alert, a person)
// respond:   noticed -> a person starts working on it (0 for automatic recovery)
// restore:   -> everything the service needs serves again, by its own recovery
// outside:   -> ... because a provider or third party came back (waited for, not done)
// propagate: -> clients follow (DNS TTL, caches)
// drain:     -> queued work is drained
inline constexpr const char* kPhaseNames[kPhaseCount] = {"detect",  "respond",   "restore",
                                                         "outside", "propagate", "drain"};

// The index of a phase's name; kPhaseCount when it is none of them.
constexpr std::size_t phase_index(std::string_view name) {
  std::size_t k = 0;
  while (k < kPhaseCount && name != kPhaseNames[k]) ++k;
  return k;
}

}  // namespace firedrill::sim
