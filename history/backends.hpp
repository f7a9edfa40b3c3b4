// The two store backends, private to the history library.
#pragma once

#include <memory>

#include "history/store.hpp"

namespace firedrill::history {

std::unique_ptr<Store> open_sqlite_store(const Location& location, bool create);
std::unique_ptr<Store> open_postgres_store(const Location& location);

}  // namespace firedrill::history
