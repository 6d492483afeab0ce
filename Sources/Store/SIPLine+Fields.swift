/// A line's fields by their names in CSV columns (`line1_<field>`) and CLI
/// options (`--line 1:<field>=...`).
extension SIPLine {
    public static let fieldNames = ["number", "auth_user", "password", "display_name", "registrar", "registrar_port", "transport"]

    /// Sets `field` from text; the error says what was expected, never the value.
    public mutating func set(_ field: String, to value: String) throws(InventoryError) {
        switch field {
        case "number": number = value
        case "auth_user": authUser = value
        case "password": password = value
        case "display_name": displayName = value
        case "registrar": registrar = value
        case "registrar_port":
            guard let port = Int(value), (1...65535).contains(port) else {
                throw .invalid(field: field, message: "expected a port 1-65535")
            }
            registrarPort = port
        case "transport":
            guard let parsed = Transport(rawValue: value.lowercased()) else {
                throw .invalid(field: field, message: "expected udp, tcp or tls")
            }
            transport = parsed
        default:
            throw .invalid(field: field, message: "unknown field; expected one of \(Self.fieldNames.joined(separator: ", "))")
        }
    }
}
