import DHCPv4

/// `device import`: the whole file is checked, then written in one
/// transaction; any problem imports nothing.
public enum DeviceImport {
    /// Where a running import is, for a progress display.
    public enum Phase: String, Sendable, Codable, CaseIterable {
        case queued, validating, writing, done, failed
    }

    /// Returns how many devices were written (inserted or updated).
    /// `progress` is told the phase, rows done and rows in the file (0
    /// until the file is parsed); it is called on the calling thread.
    public static func run(
        csv text: String, into store: any InventoryStore, now: Double,
        progress: (Phase, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
    ) throws(CSVImportError) -> Int {
        progress(.validating, 0, 0)
        let rows = try DeviceCSV.parse(text)
        progress(.validating, rows.count, rows.count)
        let groups: Set<String>
        do {
            groups = Set(try store.groups().map(\.name))
        } catch {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "the store could not be read: \(error)")
        }
        for row in rows where !groups.contains(row.device.group) {
            throw CSVImportError(
                line: row.line, column: row.groupColumn ?? 1, columnName: "group",
                message: "group \(row.device.group) does not exist (create it with `autoprov group add`)")
        }
        progress(.writing, 0, rows.count)
        do {
            try store.upsert(rows.map(\.device), now: now, progress: { progress(.writing, $0, rows.count) })
        } catch {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "nothing imported: \(error)")
        }
        return rows.count
    }
}
