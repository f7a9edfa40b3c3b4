// The drill history store: an append-only hash chain of records in SQLite (default, one file
// per user) or PostgreSQL (team-wide, the same schema). Lean header: standard library only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "history/record.hpp"

namespace firedrill::history {

// Where the history lives: "PATH" or "sqlite:PATH" (a SQLite file), or
// "postgresql://..." / "postgres://..." (a libpq connection URI).
struct Location {
  enum class Kind { sqlite, postgres };
  Kind kind = Kind::sqlite;
  std::string target;  // the file path or the URI
  [[nodiscard]] std::string shown() const;  // for messages: the URI without its password
};

// Parses a location; throws HistoryError on an empty one or an unsupported URI scheme.
Location parse_location(const std::string& text);

// The location used when none is given: $FIREDRILL_HISTORY (any location form), else
// $XDG_DATA_HOME/firedrill/history.sqlite, else ~/.local/share/firedrill/history.sqlite.
// Throws HistoryError when neither $XDG_DATA_HOME nor $HOME is set.
std::string default_location();

// The URI with any password (user:PASSWORD@ or password=...) replaced by "***".
std::string redact(const std::string& location_text);

struct Query {
  std::optional<std::int64_t> id;
  std::string scenario;        // scenario name; "" for all
  std::size_t limit = 0;       // the most recent `limit` records; 0 for all
  bool with_result = true;     // false: result_json is left empty (lists, trends)
};

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Appends the content as the next record of the chain, atomically against concurrent
  // writers, and returns it with id, prev_hash and hash set.
  Record append(const RecordContent& content);

  // Records matching the query, in id order. Throws HistoryError.
  std::vector<Record> records(const Query& q);

  // Calls `visit` with every record, full result included, in id order, reading `page`
  // records at a time (a long history need not fit in memory). Throws HistoryError.
  void for_each(const std::function<void(const Record&)>& visit, std::size_t page = 100);

  // The record with this id; throws HistoryError naming the id when there is none.
  Record get(std::int64_t id);

  [[nodiscard]] const Location& location() const { return location_; }

  // Runs one SQL statement with $1, $2, ... parameters bound as text; every value comes back
  // as text ("" for NULL). For the store's own statements and for tests; throws HistoryError.
  using Row = std::vector<std::string>;
  virtual std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {}) = 0;

  // The schema both backends share.
  static const char* const kCreateTable;

 protected:
  explicit Store(Location location) : location_(std::move(location)) {}

  // One append: begin_append() starts a transaction that holds the store's append lock (SQLite:
  // the database's write lock; PostgreSQL: an advisory lock) until commit() or rollback(), so
  // that concurrent writers queue and each extends the chain.
  virtual void begin_append() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

 private:
  Location location_;
};

// Opens the store, creating what is missing (the SQLite file and its folder, the table) when
// `create` is true; with `create` false a missing SQLite file is an error (a mistyped path
// must not look like an empty history). Throws HistoryError with the redacted location.
std::unique_ptr<Store> open_store(const Location& location, bool create = true);
// The same for a location's text ("" for default_location()).
std::unique_ptr<Store> open_store(const std::string& location_text, bool create = true);

}  // namespace firedrill::history
