/// Spreadsheet formula neutralisation (OWASP "CSV injection"): a cell a
/// spreadsheet would run as a formula is exported with a leading `'`, and
/// import takes exactly that `'` off again, so export → import gives the
/// original values back.
///
/// A cell "starts like a formula" when its first scalar after any leading
/// apostrophes is `=`, `+`, `-`, `@`, TAB or CR. Counting the apostrophes
/// makes the mapping one to one: `=1+1` is written `'=1+1`, and a real value
/// `'=1+1` is written `''=1+1`; both read back as they were. It applies to
/// every cell alike, numbers included: a `var_timezone` of `-20` (UTC-5) is
/// written `'-20` and reads back as `-20` (MACs, ports and transports never
/// start with one of these). A hand-written cell `'+49 30 1234` imports as
/// `+49 30 1234`, as a spreadsheet would show it.
extension DeviceCSV {
    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as exported.
    static func neutralised(_ cell: String) -> String {
        startsLikeFormula(cell) ? "'" + cell : cell
    }

    /// The cell as imported: the `'` that `neutralised` added, taken off.
    static func restored(_ cell: String) -> String {
        cell.unicodeScalars.first == "'" && startsLikeFormula(cell) ? String(cell.unicodeScalars.dropFirst()) : cell
    }

    static func startsLikeFormula(_ cell: String) -> Bool {
        cell.unicodeScalars.first(where: { $0 != "'" }).map(formulaTriggers.contains) ?? false
    }
}
