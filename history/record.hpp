// One drill history record: what ran (scenario, variant, seed, trials, command), who ran it and
// when, summary figures and the full result, chained to the previous record by SHA-256.
// Lean header: standard library only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace firedrill::history {

inline constexpr const char* kHistorySchema = "firedrill.history/1";

// Input errors (a bad location, an unknown id, a result that is not a firedrill result) and
// store failures (unreachable database, SQL errors), with a lower-case message that never
// contains a password.
class HistoryError : public std::exception {
 public:
  explicit HistoryError(std::string message) : message_(std::move(message)) {}
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// Everything the hash covers except the chain links.
struct RecordContent {
  std::string kind;         // "run", "sweep" or "live"
  std::string recorded_at;  // UTC ISO-8601, like 2026-12-02T00:20:00Z
  std::string user, host;
  std::string scenario_name, scenario_file, scenario_sha256, variant;  // variant "" for the base
  std::uint64_t seed = 0, trials = 0;
  std::string firedrill_version;
  std::string command;       // the command line that produced the result
  std::string summary_json;  // see summarise_result()
  std::string result_json;   // the full result document, byte for byte
};

struct Record : RecordContent {
  std::int64_t id = 0;    // 1, 2, 3, ... in append order
  std::string prev_hash;  // the previous record's hash; "" for the first record
  std::string hash;       // record_hash() of this record
};

// Who and where: the caller's user name and host name, and the time given.
struct Provenance {
  std::string recorded_at, user, host, command;
  std::string variant;  // used when the result does not name its variant (run results)
};

// The current time as UTC ISO-8601 with seconds ("2026-12-02T00:20:00Z").
std::string utc_now_iso8601();
// The user (login name, else $USER, else the uid) and the host name of this process.
Provenance current_provenance(std::string command, std::string variant);

// The summary of a "firedrill.result/1" document (kind run or sweep), as compact JSON:
//   {"met": M, "missed": N, "cells": [{"disaster", "service", "disruption",
//     "target": {"rto_s", "rpo_s", "inferred"}, "rto_s", "rpo_s", "lost_writes", "met"}, ...]}
// (null: not recovered). For a sweep a cell's rto_s/rpo_s/lost_writes are the p95 over its
// recovered trials, with rto_p50_s, rpo_p50_s, not_recovered (trials) and p_miss besides, and
// "met" means that no trial missed. Throws HistoryError naming what is
// missing.
std::string summarise_result(const std::string& result_json);

// The record content of a result document. Throws HistoryError.
RecordContent content_from_result(const std::string& result_json, const Provenance& p);

// The canonical serialisation the hash covers: a JSON array of the schema name, the id, every
// content field in declaration order and prev_hash.
std::string canonical_text(const Record& r);
// Lower-case hex SHA-256 of canonical_text(r).
std::string record_hash(const Record& r);

struct ChainProblem {
  std::int64_t id = 0;  // the record where the chain breaks; 0: the chain as a whole
  std::string what;     // "content changed: ...", "previous record removed or changed", "ids jump..."
};

struct ChainReport {
  std::size_t records = 0;
  std::string head_hash;  // the last record's hash ("" when empty)
  std::vector<ChainProblem> problems;  // in id order; empty: intact
  [[nodiscard]] bool intact() const { return problems.empty(); }
};

// Checks a chain record by record, in id order, without holding it in memory.
class ChainVerifier {
 public:
  // `known_head`: see verify_chain(). Throws HistoryError when it is not 12-64 hex digits.
  explicit ChainVerifier(std::string known_head = "");
  void add(const Record& r);
  [[nodiscard]] ChainReport finish() const;

 private:
  std::string known_head_;
  bool known_head_seen_ = false;
  std::int64_t expected_id_ = 1;
  ChainReport report_;
};

// Walks records in id order: each must hash to its stored hash, link to the previous record's
// hash, and follow it with the next id (the first record has id 1 and no previous hash).
// With `known_head` (a head hash noted earlier, or a prefix of at least 12 of its hex digits)
// some record must have that hash: otherwise records were removed from the end (or changed).
ChainReport verify_chain(const std::vector<Record>& records_in_id_order,
                         const std::string& known_head = "");

}  // namespace firedrill::history
