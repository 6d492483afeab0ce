import DHCPv4
import Store
import Testing

/// Issue 13 item 7: formula-looking cells came back unchanged from export.
@Suite struct CSVFormulaTests {
    static let formulas = [
        "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "=HYPERLINK(\"http://x.example\",\"y\")",
        "'=already quoted", "''@twice", "'plain apostrophe", "-20", "'", "=", "a=b",
    ]

    @Test func exportedFormulasAreNeutralisedAndImportGivesTheOriginalsBack() throws {
        let devices = Self.formulas.enumerated().map { i, value in
            Device(mac: MACAddress(value: UInt64(0x0c383e000001 + i)), label: value, adminPassword: value,
                   variables: ["timezone": value], lines: [SIPLine(index: 1, number: value, displayName: value)])
        }
        let csv = DeviceCSV.export(devices)
        for row in csv.split(separator: "\n").dropFirst() {
            for cell in row.split(separator: ",") {
                let text = cell.hasPrefix("\"") ? String(cell.dropFirst()) : String(cell)
                #expect(!["=", "+", "-", "@"].contains(text.first.map(String.init) ?? ""), "unneutralised cell \(cell)")
            }
        }
        #expect(csv.contains("'=cmd|' /C calc'!A0") && csv.contains("''=already quoted") && csv.contains("'''@twice"))
        #expect(csv.contains(",'plain apostrophe,") && csv.contains(",'-20,"))
        let rows = try DeviceCSV.parse(csv)
        #expect(rows.map(\.device) == devices)
    }

    @Test(arguments: [("'=1+1", "=1+1"), ("''=1+1", "'=1+1"), ("'abc", "'abc"), ("'", "'"), ("'-20", "-20")])
    func importTakesOffExactlyTheNeutralisingApostrophe(cell: String, value: String) throws {
        let rows = try DeviceCSV.parse("mac,label\n0c383e000001,\(cell)\n")
        #expect(rows.first?.device.label == value)
    }
}
