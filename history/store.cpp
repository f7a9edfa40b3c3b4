#include "history/store.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <regex>

#include "history/backends.hpp"

namespace firedrill::history {

// TEXT for every field whose bytes the hash covers (timestamps, seeds up to 2^64-1, JSON kept
// byte for byte); BIGINT for the chain position and the trial count.
const char* const Store::kCreateTable =
    "CREATE TABLE IF NOT EXISTS records ("
    " id BIGINT PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL,"
    " \"user\" TEXT NOT NULL,"
    " host TEXT NOT NULL,"
    " scenario_name TEXT NOT NULL,"
    " scenario_file TEXT NOT NULL,"
    " scenario_sha256 TEXT NOT NULL,"
    " variant TEXT NOT NULL,"
    " seed TEXT NOT NULL,"
    " trials BIGINT NOT NULL,"
    " firedrill_version TEXT NOT NULL,"
    " command TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " result TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL)";

namespace {

constexpr const char* kColumns =
    "id, kind, recorded_at, \"user\", host, scenario_name, scenario_file, scenario_sha256, "
    "variant, seed, trials, firedrill_version, command, summary, result, prev_hash, hash";
constexpr std::size_t kColumnCount = 17;

std::vector<std::string> values_of(const Record& r) {
  return {std::to_string(r.id), r.kind, r.recorded_at, r.user, r.host, r.scenario_name,
          r.scenario_file, r.scenario_sha256, r.variant, std::to_string(r.seed),
          std::to_string(r.trials), r.firedrill_version, r.command, r.summary_json,
          r.result_json, r.prev_hash, r.hash};
}

template <typename Int>
Int integer(const std::string& text, const char* column) {
  try {
    std::size_t used = 0;
    const unsigned long long v = std::stoull(text, &used);
    if (used == text.size()) return static_cast<Int>(v);
  } catch (const std::exception&) {
  }
  throw HistoryError(std::string("stored record has a malformed ") + column + ": \"" + text + "\"");
}

Record record_of(const Store::Row& row) {
  if (row.size() != kColumnCount) throw HistoryError("unexpected number of record columns");
  Record r;
  r.id = integer<std::int64_t>(row[0], "id");
  r.kind = row[1];
  r.recorded_at = row[2];
  r.user = row[3];
  r.host = row[4];
  r.scenario_name = row[5];
  r.scenario_file = row[6];
  r.scenario_sha256 = row[7];
  r.variant = row[8];
  r.seed = integer<std::uint64_t>(row[9], "seed");
  r.trials = integer<std::uint64_t>(row[10], "trials");
  r.firedrill_version = row[11];
  r.command = row[12];
  r.summary_json = row[13];
  r.result_json = row[14];
  r.prev_hash = row[15];
  r.hash = row[16];
  return r;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string redact(const std::string& text) {
  static const std::regex userinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://[^:@/?#]*):[^@/?#]*@)");
  static const std::regex password_param(R"((password=)[^&\s]*)", std::regex::icase);
  std::string out = std::regex_replace(text, userinfo, "$1:***@");
  return std::regex_replace(out, password_param, "$1***");
}

std::string Location::shown() const { return kind == Kind::postgres ? redact(target) : target; }

Location parse_location(const std::string& text) {
  if (text.empty()) throw HistoryError("--db: expected a file path, sqlite:PATH or postgresql://..., found \"\"");
  if (starts_with(text, "postgresql://") || starts_with(text, "postgres://")) {
    return {Location::Kind::postgres, text};
  }
  for (const char* prefix : {"sqlite://", "sqlite:"}) {
    if (!starts_with(text, prefix)) continue;
    const std::string path = text.substr(std::string(prefix).size());
    if (path.empty()) throw HistoryError("--db: expected sqlite:PATH with a file path, found \"" + text + "\"");
    return {Location::Kind::sqlite, path};
  }
  static const std::regex other_scheme(R"(^([A-Za-z][A-Za-z0-9+.-]*):)");
  std::smatch m;
  if (std::regex_search(text, m, other_scheme) && text.find("://") == static_cast<std::size_t>(m[1].length())) {
    throw HistoryError("--db: expected a file path, sqlite:PATH or postgresql://..., found a \"" +
                       m[1].str() + "\" URI: " + redact(text));
  }
  return {Location::Kind::sqlite, text};
}

std::string default_location() {
  if (const char* env = std::getenv("FIREDRILL_HISTORY"); env != nullptr && *env != '\0') return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/firedrill/history.sqlite";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.local/share/firedrill/history.sqlite";
  }
  throw HistoryError("no history location: set FIREDRILL_HISTORY, XDG_DATA_HOME or HOME, or give --db");
}

std::unique_ptr<Store> open_store(const Location& location, bool create) {
  return location.kind == Location::Kind::postgres ? open_postgres_store(location)
                                                   : open_sqlite_store(location, create);
}

std::unique_ptr<Store> open_store(const std::string& location_text, bool create) {
  return open_store(parse_location(location_text.empty() ? default_location() : location_text), create);
}

Record Store::append(const RecordContent& content) {
  begin_append();
  try {
    Record r;
    static_cast<RecordContent&>(r) = content;
    const auto tail = query("SELECT id, hash FROM records ORDER BY id DESC LIMIT 1");
    r.id = tail.empty() ? 1 : integer<std::int64_t>(tail.front().at(0), "id") + 1;
    r.prev_hash = tail.empty() ? "" : tail.front().at(1);
    r.hash = record_hash(r);
    std::string placeholders;
    for (std::size_t i = 1; i <= kColumnCount; ++i) {
      placeholders += (i > 1 ? ", $" : "$") + std::to_string(i);
    }
    query(std::string("INSERT INTO records (") + kColumns + ") VALUES (" + placeholders + ")",
          values_of(r));
    commit();
    return r;
  } catch (...) {
    rollback();
    throw;
  }
}

std::vector<Record> Store::records(const Query& q) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM records";
  if (!q.with_result) {
    const std::string with = ", result,", without = ", '' AS result,";
    sql.replace(sql.find(with), with.size(), without);
  }
  std::vector<std::string> params;
  std::string where;
  if (q.id) {
    params.push_back(std::to_string(*q.id));
    where += " id = $" + std::to_string(params.size());
  }
  if (!q.scenario.empty()) {
    params.push_back(q.scenario);
    where += std::string(where.empty() ? "" : " AND") + " scenario_name = $" + std::to_string(params.size());
  }
  if (!where.empty()) sql += " WHERE" + where;
  sql += " ORDER BY id DESC";
  if (q.limit > 0) sql += " LIMIT " + std::to_string(q.limit);
  std::vector<Record> out;
  for (const auto& row : query(sql, params)) out.push_back(record_of(row));
  std::reverse(out.begin(), out.end());
  return out;
}

void Store::for_each(const std::function<void(const Record&)>& visit, std::size_t page) {
  const std::string sql = std::string("SELECT ") + kColumns + " FROM records WHERE id > $1 ORDER BY id LIMIT " +
                          std::to_string(std::max<std::size_t>(page, 1));
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    const auto rows = query(sql, {std::to_string(after)});
    for (const auto& row : rows) {
      const Record r = record_of(row);
      visit(r);
      after = r.id;
    }
    if (rows.size() < std::max<std::size_t>(page, 1)) return;
  }
}

Record Store::get(std::int64_t id) {
  Query q;
  q.id = id;
  auto found = records(q);
  if (found.empty()) {
    throw HistoryError("no record " + std::to_string(id) + " in " + location().shown());
  }
  return std::move(found.front());
}

}  // namespace firedrill::history
