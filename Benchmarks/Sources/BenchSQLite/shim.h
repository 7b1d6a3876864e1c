#ifndef MA_BENCH_SQLITE_SHIM_H
#define MA_BENCH_SQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT cannot be imported into Swift (a cast of -1 to a function pointer).
static inline sqlite3_destructor_type bench_sqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
