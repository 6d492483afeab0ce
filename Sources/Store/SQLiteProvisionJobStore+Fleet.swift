import DHCPv4
import GRDB

/// The fleet as the status page counts and pages it: a row's state is its
/// job's, else its device's (what `ProvisioningJSON` shows).
extension SQLiteProvisionJobStore {
    static let rowState = "COALESCE(j.state, d.state)"

    public func jobs(for macs: [MACAddress]) throws -> [MACAddress: ProvisionJob] {
        try pool.read { db in
            var found: [MACAddress: ProvisionJob] = [:]
            for mac in macs {
                if let job = try Self.fetchJob(db, mac) { found[mac] = job }
            }
            return found
        }
    }

    public func rowStateCounts() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT \(Self.rowState) AS state, COUNT(*) AS n
                FROM device d LEFT JOIN provision_job j ON j.mac = d.mac GROUP BY 1
                """) {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    public func macs(inRowState state: String, after: MACAddress?, limit: Int) throws -> [MACAddress] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT d.mac FROM device d LEFT JOIN provision_job j ON j.mac = d.mac
                WHERE d.mac > ? AND \(Self.rowState) = ? ORDER BY d.mac LIMIT ?
                """, arguments: [after?.description ?? "", state, max(0, limit)]).compactMap(MACAddress.init)
        }
    }
}
