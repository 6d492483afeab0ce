import CSV
import DHCPv4
import Foundation

/// A CSV problem: where it is (1-based line and column, as an editor shows
/// them) and what is wrong. Never carries a cell's value, which may be a password.
public struct CSVImportError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var columnName: String?
    public var message: String

    public init(line: Int, column: Int, columnName: String?, message: String) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    public var description: String {
        "line \(line), column \(column)\(columnName.map { " (\($0))" } ?? ""): \(message)"
    }
}

/// The inventory's CSV form: one header row, one device per row.
///
/// Columns: `mac` (required), `label`, `model`, `group`, `admin_user`,
/// `admin_password`, `lineN_number|auth_user|password|display_name|registrar|registrar_port|transport`
/// (N = 1...16) and `var_<name>` for device variables. Empty cells are unset.
public enum DeviceCSV {
    public struct Row: Sendable {
        public var device: Device
        public var line: Int
        /// The column of `group`, for an error found later (no such group).
        public var groupColumn: Int?
    }

    static let deviceColumns = ["mac", "label", "model", "group", "admin_user", "admin_password"]
    static let lineFields = SIPLine.fieldNames

    /// Parses and checks every row; the first problem found is thrown.
    public static func parse(_ text: String) throws(CSVImportError) -> [Row] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "not readable as CSV")
        }
        guard let header = reader.next(), header.contains(where: { !$0.isEmpty }) else {
            throw CSVImportError(line: 1, column: 1, columnName: nil, message: "expected a header row, got an empty file")
        }
        let columns = try parseHeader(header)
        var rows: [Row] = []
        var seen: [MACAddress: Int] = [:]
        var line = 1 + newlines(in: header)
        while let fields = reader.next() {
            line += 1
            let rowLine = line
            line += newlines(in: fields)
            if fields.allSatisfy(\.isEmpty) { continue }
            guard fields.count == header.count else {
                throw CSVImportError(
                    line: rowLine, column: min(fields.count, header.count) + 1, columnName: nil,
                    message: "expected \(header.count) fields like the header, got \(fields.count)")
            }
            let row = try parseRow(fields, columns: columns, line: rowLine)
            if let first = seen[row.device.mac] {
                throw CSVImportError(
                    line: rowLine, column: columns.firstIndex(of: .mac)! + 1, columnName: "mac",
                    message: "\(row.device.mac.compact) is already on line \(first)")
            }
            seen[row.device.mac] = rowLine
            rows.append(row)
        }
        if let error = reader.error {
            throw CSVImportError(line: line, column: 1, columnName: nil, message: "not readable as CSV (\(error))")
        }
        return rows
    }

    static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { $0 + $1.utf8.count(where: { $0 == UInt8(ascii: "\n") }) }
    }

    /// The CSV for `devices`, passwords included: it is a backup that
    /// `parse` reads back. Cells that a spreadsheet would run as a formula
    /// get a leading `'` (`neutralised`), which `parse` takes off.
    public static func export(_ devices: [Device]) -> String {
        let lineCount = devices.map { $0.lines.map(\.index).max() ?? 0 }.max() ?? 0
        let variableNames = Set(devices.flatMap(\.variables.keys)).sorted()
        var header = deviceColumns
        for n in (1...max(lineCount, 1)) { header += lineFields.map { "line\(n)_\($0)" } }
        header += variableNames.map { "var_\($0)" }
        var rows = [header]
        for d in devices {
            var row = [d.mac.compact, d.label, d.model ?? "", d.group, d.adminUser ?? "", d.adminPassword ?? ""]
            for n in (1...max(lineCount, 1)) {
                if let l = d.lines.first(where: { $0.index == n }) {
                    row += [l.number, l.authUser, l.password, l.displayName, l.registrar, String(l.registrarPort), l.transport.rawValue]
                } else {
                    row += Array(repeating: "", count: lineFields.count)
                }
            }
            row += variableNames.map { d.variables[$0] ?? "" }
            rows.append(row.map(neutralised))
        }
        let stream = OutputStream.toMemory()
        stream.open()
        if let writer = try? CSVWriter(stream: stream) {
            for row in rows { try? writer.write(row: row) }
            writer.stream.close()
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
