// The SQLite backend: one file, created with its folder on first use. Appends run in
// BEGIN IMMEDIATE transactions (the write lock is taken before the chain's tail is read);
// other writers wait up to kBusyTimeoutMs for it.
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "history/backends.hpp"

namespace firedrill::history {
namespace {

constexpr int kBusyTimeoutMs = 30000;

class SqliteStore final : public Store {
 public:
  SqliteStore(const Location& location, bool create) : Store(location) {
    const std::filesystem::path path(location.target);
    if (!create && !std::filesystem::exists(path)) {
      throw HistoryError(location.target + ": no history there (nothing recorded yet?)");
    }
    if (path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(path.parent_path(), ec);
      if (ec) {
        throw HistoryError(location.target + ": cannot create its folder: " + ec.message());
      }
    }
    if (sqlite3_open_v2(location.target.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
      const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw HistoryError(location.target + ": cannot open the history: " + why);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    try {
      query(kCreateTable, {});
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      throw failure("cannot prepare a statement");
    }
    const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(stmt, &sqlite3_finalize);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) continue;  // not used by this statement
      if (sqlite3_bind_text(stmt, index, params[i].data(), static_cast<int>(params[i].size()),
                            SQLITE_TRANSIENT) != SQLITE_OK) {
        throw failure("cannot bind a value");
      }
    }
    std::vector<Row> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw failure("statement failed");
      Row row;
      for (int c = 0, n = sqlite3_column_count(stmt); c < n; ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row.emplace_back(text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)))
                                         : std::string());
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 protected:
  void begin_append() override { query("BEGIN IMMEDIATE", {}); }
  void commit() override { query("COMMIT", {}); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

 private:
  HistoryError failure(const std::string& what) const {
    return HistoryError(location().target + ": " + what + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const Location& location, bool create) {
  return std::make_unique<SqliteStore>(location, create);
}

}  // namespace firedrill::history
