import SafeText

/// The rules every device and group obey, whichever door they came in by
/// (CLI, admin API, CSV). Errors name the field.
public enum DeviceValidation {
    /// `[a-z][a-z0-9_]*`, at most 64 characters.
    public static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// Names the renderer defines itself; a variable may not shadow them.
    public static let reservedNames: Set<String> = [
        "mac", "mac_colon", "label", "model", "group", "firmware", "admin_user", "admin_password", "lines",
        "line_count", "events_url",
    ]

    /// Group names: 1-64 of `[A-Za-z0-9_.-]`, not starting with a dot
    /// (`.` and `..` could not be reached in a URL path).
    public static func isGroupName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.count <= 64 && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// Values end up in config files and pushed items: nothing `ValueSafety`
    /// refuses (no line or item break of any kind, Unicode included), at
    /// most 1,024 bytes. The message names the character, never the value.
    public static func checkValue(_ value: String, field: String) throws {
        if value.utf8.count > 1024 { throw InventoryError.invalid(field: field, message: "longer than 1024 bytes") }
        if let violation = ValueSafety.firstViolation(in: value) {
            throw InventoryError.invalid(field: field, message: violation.description)
        }
    }

    public static func checkVariables(_ variables: [String: String], field: String) throws {
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            guard isVariableName(name) else {
                throw InventoryError.invalid(field: "\(field).\(name)", message: "expected a name like ntp_server ([a-z][a-z0-9_]*)")
            }
            if reservedNames.contains(name) {
                throw InventoryError.invalid(field: "\(field).\(name)", message: "\(name) is set by autoprov itself")
            }
            try checkValue(value, field: "\(field).\(name)")
        }
    }

    /// Checks a device; returns it with lines in index order and an empty model as none.
    public static func normalised(_ device: Device) throws -> Device {
        var device = device
        try checkValue(device.label, field: "label")
        if let model = device.model {
            try checkValue(model, field: "model")
            if model.isEmpty { device.model = nil }
        }
        guard isGroupName(device.group) else {
            throw InventoryError.invalid(field: "group", message: "expected 1-64 of A-Z a-z 0-9 _ . -, got \"\(device.group)\"")
        }
        if let user = device.adminUser { try checkValue(user, field: "admin_user") }
        if let password = device.adminPassword { try checkValue(password, field: "admin_password") }
        try checkVariables(device.variables, field: "variables")
        var seen = Set<Int>()
        for (i, line) in device.lines.enumerated() {
            let field = "lines[\(i)]"
            guard (1...SIPLine.maxIndex).contains(line.index) else {
                throw InventoryError.invalid(field: "\(field).index", message: "expected 1-\(SIPLine.maxIndex), got \(line.index)")
            }
            guard seen.insert(line.index).inserted else {
                throw InventoryError.invalid(field: "\(field).index", message: "line \(line.index) is given twice")
            }
            if line.number.isEmpty { throw InventoryError.invalid(field: "\(field).number", message: "expected a number or user, got nothing") }
            guard (1...65535).contains(line.registrarPort) else {
                throw InventoryError.invalid(field: "\(field).registrar_port", message: "expected 1-65535, got \(line.registrarPort)")
            }
            for (name, value) in [("number", line.number), ("auth_user", line.authUser), ("password", line.password),
                                  ("display_name", line.displayName), ("registrar", line.registrar)] {
                try checkValue(value, field: "\(field).\(name)")
            }
        }
        device.lines.sort { $0.index < $1.index }
        return device
    }
}
