// libFuzzer target: a result file's text through the two readers of result files: the report's
// (`firedrill report`, run and sweep results, with the scenario text they embed) and the sweep
// part reader of `firedrill merge` (then merged as a one-part sweep). The report reader must
// give a report or an error; the part reader may throw std::exception (the command line reports
// it). A crash, a sanitizer report, any other exception or a leak is a finding.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

#include "report/model.hpp"
#include "sim/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace report = firedrill::report;
  namespace sim = firedrill::sim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  report::InputError error;
  if (auto r = report::build_report(text, "fuzz.json", {}, error)) {
    (void)r->any_missed();
  } else {
    (void)error.to_string();
  }
  sim::SweepResult part;
  try {
    part = sim::sweep_result_from_json_text(text);
  } catch (const std::exception&) {
    return 0;  // reported as "FILE: what()" by merge
  }
  try {
    (void)sim::merge_sweeps({part});
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
