import GRDB

/// The next `limit` ids of an event table after a cursor: how many there
/// are and the last of them. Readers that want a few rows out of many (the
/// provisioning worker, the DHCP server's admin events) count the window
/// in the index and read only the rows they need from it.
struct IDWindow {
    var count: Int
    /// The last id in the window; the cursor asked for when it is empty.
    var last: Int64

    init(_ db: Database, table: String, after: Int64, limit: Int) throws {
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, MAX(id) AS last FROM (SELECT id FROM \(table) WHERE id > ? ORDER BY id LIMIT ?)
            """, arguments: [after, limit])
        count = row?["n"] ?? 0
        last = row?["last"] ?? after
    }
}
