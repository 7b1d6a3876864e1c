/// One step of the schema: the SQL script that takes `PRAGMA user_version` from the previous
/// version to `version`. Scripts are written once and never edited after release.
package struct SQLiteMigration: Equatable, Sendable {
    /// The schema version after this step (positive, strictly increasing along the list).
    package let version: Int32
    /// The statements to run, e.g. `CREATE TABLE … STRICT`.
    package let sql: String

    package init(version: Int32, sql: String) {
        self.version = version
        self.sql = sql
    }
}

extension SQLiteMigration {
    /// Brings the database on `connection` up to the newest of `migrations`, one transaction per
    /// step (the script and the new `user_version` commit together or not at all). Returns the
    /// versions before and after. Throws `schemaNewerThanCode` when the file is ahead of the list.
    @discardableResult
    package static func apply(
        _ migrations: [SQLiteMigration], on connection: SQLiteConnection
    ) throws -> (from: Int32, to: Int32) {
        var previous: Int32 = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw SQLiteError.invalidMigrations(
                    "version \(migration.version) follows \(previous); versions must be positive and increasing")
            }
            previous = migration.version
        }
        let newestKnown = previous
        let start = try connection.userVersion()
        guard start <= newestKnown else {
            throw SQLiteError.schemaNewerThanCode(databaseVersion: start, newestKnownVersion: newestKnown)
        }
        for migration in migrations where migration.version > start {
            try connection.transaction(.immediate) {
                // Re-read under the write lock: another process may have migrated meanwhile.
                guard try connection.userVersion() < migration.version else { return }
                try connection.execute(migration.sql)
                try connection.setUserVersion(migration.version)
            }
        }
        return (start, try connection.userVersion())
    }
}
