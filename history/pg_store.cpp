// The PostgreSQL backend (libpqxx): the same table as SQLite. Appends take a transaction-scoped
// advisory lock before they read the chain's tail, so writers queue and readers go on; the
// table is created under the same lock, so two first writers do not race. An advisory lock
// needs no rights on the table: team members may hold only SELECT and INSERT (no UPDATE or
// DELETE), which is what an append-only history should grant.
#include <pqxx/pqxx>

#include "history/backends.hpp"

namespace firedrill::history {
namespace {

constexpr const char* kLock = "SELECT pg_advisory_xact_lock(hashtext('firedrill.history'))";

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const Location& location) : Store(location) {
    try {
      connection_ = std::make_unique<pqxx::connection>(location.target);
      pqxx::work w(*connection_);
      w.exec(kLock);
      // Create only when missing: a team member without CREATE rights can still use it.
      if (w.exec("SELECT to_regclass('records') IS NULL")[0][0].as<bool>()) w.exec(kCreateTable);
      w.commit();
    } catch (const std::exception& e) {
      throw failure("cannot open the history", e);
    }
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    try {
      if (work_) return rows_of(*work_, sql, params);
      pqxx::nontransaction n(*connection_);
      return rows_of(n, sql, params);
    } catch (const std::exception& e) {
      throw failure("statement failed", e);
    }
  }

 protected:
  void begin_append() override {
    try {
      work_ = std::make_unique<pqxx::work>(*connection_);
      work_->exec(kLock);
    } catch (const std::exception& e) {
      work_.reset();
      throw failure("cannot lock the history for an append", e);
    }
  }
  void commit() override {
    try {
      work_->commit();
      work_.reset();
    } catch (const std::exception& e) {
      work_.reset();
      throw failure("cannot commit the append", e);
    }
  }
  void rollback() noexcept override {
    try {
      if (work_) work_->abort();
    } catch (...) {
    }
    work_.reset();
  }

 private:
  static std::vector<Row> rows_of(pqxx::transaction_base& t, const std::string& sql,
                                  const std::vector<std::string>& params) {
    const pqxx::result r = exec_with(t, sql, params);
    std::vector<Row> rows;
    for (const auto& row : r) {
      Row out;
      for (const auto& field : row) out.emplace_back(field.is_null() ? "" : field.c_str());
      rows.push_back(std::move(out));
    }
    return rows;
  }

  static pqxx::result exec_with(pqxx::transaction_base& t, const std::string& sql,
                                const std::vector<std::string>& params) {
    if (params.empty()) return t.exec(sql);
    return t.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
  }

  HistoryError failure(const std::string& what, const std::exception& e) const {
    // libpq messages name host and database, never the password; redact anyway.
    std::string why = redact(e.what());
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return HistoryError(location().shown() + ": " + what + ": " + why);
  }

  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::work> work_;
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const Location& location) {
  return std::make_unique<PostgresStore>(location);
}

}  // namespace firedrill::history
