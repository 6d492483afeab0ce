// libFuzzer target for the inventory's CSV import, compiled by Fuzz/run.sh
// together with the Store files that do not need GRDB into one module, against
// DHCPv4 and yaslab/CSV.swift built as separate instrumented modules.
//
// Properties: parsing never traps; what parses exports (formulas
// neutralised) and reads back to the same devices; rows come with strictly increasing line
// numbers >= 2 and unique non-zero MACs; errors point at line >= 1 and
// column >= 1 and never quote a cell (checked for cells of 8+ characters
// that could not come from the message text, see `read`).
import CSV
import DHCPv4
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let rows = try DeviceCSV.parse(text)
        checkRows(rows, text)
        checkRoundTrip(rows.map(\.device), text)
    } catch {
        checkError(error, text)
    }
    return 0
}

private func checkRows(_ rows: [DeviceCSV.Row], _ text: String) {
    var previous = 1
    var macs = Set<MACAddress>()
    for row in rows {
        guard row.line > previous else {
            fail("row line \(row.line) after line \(previous)", text)
        }
        previous = row.line
        guard row.device.mac.value != 0 else { fail("zero MAC on line \(row.line)", text) }
        guard macs.insert(row.device.mac).inserted else {
            fail("MAC \(row.device.mac) twice, again on line \(row.line)", text)
        }
    }
}

/// Export (formulas neutralised with a leading ') reads back to the same devices.
private func checkRoundTrip(_ devices: [Device], _ text: String) {
    let exported = DeviceCSV.export(devices)
    do {
        let again = try DeviceCSV.parse(exported).map(\.device)
        guard again == devices else { fail("export reads back differently: \(Array(exported.utf8))", text) }
    } catch {
        fail("export does not read back: \(error)", text)
    }
}

private func checkError(_ error: CSVImportError, _ text: String) {
    guard error.line >= 1, error.column >= 1 else {
        fail("error at line \(error.line), column \(error.column): \(error)", text)
    }
    guard let (header, cells) = read(text) else { return }
    // A header error names the header cell as written: not a row's cell.
    let quoted = [error.message] + (error.columnName.map { header.contains($0) ? [] : [$0] } ?? [])
    // Bytes, not Foundation's `contains`, which stops at a NUL.
    for cell in cells where quoted.contains(where: { Array($0.utf8).firstRange(of: Array(cell.utf8)) != nil }) {
        fail("error quotes the cell \(Array(cell.utf8)): \(error)", text)
    }
}

/// The header, and the cells after it (read as DeviceCSV reads them) that
/// could be a secret: 8+ characters, not a MAC (a duplicate MAC is named on
/// purpose), and with a character the messages' own text never uses, so
/// that a match is a quoted cell and not a word of the message. Longest first.
private func read(_ text: String) -> (header: [String], cells: [String])? {
    guard let reader = try? CSVReader(string: text, hasHeaderRow: false),
          let header = reader.next() else { return nil }
    var cells: [String] = []
    while let fields = reader.next() {
        cells += fields.filter { cell in
            cell.count >= 8 && MACAddress(cell.trimmingCharacters(in: .whitespaces)) == nil
                && cell.unicodeScalars.contains { !messageScalars.contains($0) }
        }
    }
    return (header, cells.sorted { $0.count > $1.count })
}

/// Every character of the messages' fixed text, numbers and column names
/// (`+` for the code points ValueSafety names: "U+2028").
private let messageScalars = Set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.,:;()<>'\"-+".unicodeScalars)

private func fail(_ message: String, _ text: String) -> Never {
    fatalError("\(message)\ninput: \(Array(text.utf8))")
}
