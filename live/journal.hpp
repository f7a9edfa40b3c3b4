// The journal of a live run: one directory per run (.firedrill/journal/<run-id>/) holding
// journal.jsonl, one JSON object per line, each line written and fsynced (file and directory)
// before the program goes on. Before an action: {"type":"action","id":N,"what","describe",
// "undo"}; after its undo succeeded: {"type":"undone","id":N}. `recover` undoes every action
// not marked undone, newest first, and marks it; running it again does nothing. Every line
// also carries "at", the UTC time it was written (utc_timestamp()).
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace firedrill::live {

struct JournalEntry {
  int id = 0;
  std::string what;      // "fault web-crash/0"
  std::string describe;  // the action in words (secrets shown as references)
  nlohmann::json undo;   // {driver, action, params} with secret references, or null
  bool failed = false;   // the action itself failed: nothing to undo
  bool undone = false;
  std::string at;         // when the action line was written ("" in journals older than "at")
  std::string marked_at;  // when it was marked undone or failed
};

class Journal {
 public:
  // Creates `dir` (and its parents); throws std::runtime_error when it cannot.
  static Journal create(const std::string& dir, const nlohmann::json& header);
  // Opens an existing journal for recovery; throws std::runtime_error naming the problem.
  static Journal open(const std::string& dir);

  [[nodiscard]] const std::string& dir() const { return dir_; }
  // Appends one line and fsyncs; throws std::runtime_error when the line did not reach disk.
  void append(const nlohmann::json& line);
  int record_action(const std::string& what, const std::string& describe, const nlohmann::json& undo);
  void mark(int id, const char* type);  // "undone", "failed"
  // The actions in the order they were recorded, with their marks.
  [[nodiscard]] std::vector<JournalEntry> entries() const;

 private:
  std::string dir_;
  std::string file_;
  int next_id_ = 1;
};

// A new run id: UTC time and pid, "20261202T011500Z-4242".
std::string new_run_id();
// The current UTC time with microseconds, "2026-12-02T01:15:00.123456" (every journal line
// carries it as "at").
std::string utc_timestamp(std::chrono::system_clock::time_point t = std::chrono::system_clock::now());

struct UndoReport {
  int undone = 0;
  int failed = 0;
};

// Undoes every action of the journal not marked undone (nor failed), newest first, with
// `undo`, and marks each one that succeeded. A failure is reported through `report` and the
// others still run. Throws std::runtime_error when the journal cannot be written.
UndoReport roll_back(Journal& journal,
                     const std::function<bool(const JournalEntry&, std::string& detail)>& undo,
                     const std::function<void(const std::string&)>& report);

}  // namespace firedrill::live
