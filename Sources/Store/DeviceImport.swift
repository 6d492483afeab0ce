import DHCPv4

/// `device import`: the whole file is checked, then written in one
/// transaction; any problem imports nothing.
public enum DeviceImport {
    /// Returns how many devices were written (inserted or updated).
    public static func run(csv text: String, into store: any InventoryStore, now: Double) throws(CSVImportError) -> Int {
        let rows = try DeviceCSV.parse(text)
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
        do {
            try store.upsert(rows.map(\.device), now: now)
        } catch {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "nothing imported: \(error)")
        }
        return rows.count
    }
}
