import SafeText
import Store

/// The render-time half of `ValueSafety`: every value a template can reach
/// (the device's fields, its lines, and the variables resolved from the
/// global, group, model and device levels) is checked again before a file
/// or a push is rendered, so a value that bypassed input validation (an old
/// row, a direct store write, a firmware string learned from a phone) fails
/// that device's render instead of reaching the output raw.
enum RenderValueCheck {
    static func check(device: Device, variables: [String: String]) throws(RenderError) {
        let mac = device.mac.compact
        func check(_ value: String?, _ field: @autoclosure () -> String) throws(RenderError) {
            guard let value, let violation = ValueSafety.firstViolation(in: value) else { return }
            throw .unsafeValue(field: field(), device: mac, reason: violation)
        }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { try check(value, "variable \(name)") }
        try check(device.label, "label")
        try check(device.model, "model")
        try check(device.group, "group")
        try check(device.firmware, "firmware")
        try check(device.adminUser, "admin_user")
        try check(device.adminPassword, "admin_password")
        for line in device.lines {
            let prefix = "lines[\(line.index)]."
            try check(line.number, prefix + "number")
            try check(line.authUser, prefix + "auth_user")
            try check(line.password, prefix + "password")
            try check(line.displayName, prefix + "display_name")
            try check(line.registrar, prefix + "registrar")
        }
    }
}
