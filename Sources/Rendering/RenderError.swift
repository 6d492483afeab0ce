import SafeText

/// Why a file could not be rendered. Messages name the template, the
/// variable and the device, never a value (values may be passwords).
public enum RenderError: Error, Equatable, CustomStringConvertible {
    case profile(path: String, message: String)
    case noTemplate(kind: String, tried: [String])
    case syntax(template: String, message: String)
    case missingVariable(template: String, variables: [String], device: String)
    /// A firmware check file was asked for, but no `firmware_url` applies to the device.
    case noFirmware(model: String, device: String)
    /// A value the output cannot carry (`ValueSafety`): named by its field
    /// (`label`, `lines[1].display_name`, `variable ntp_server`) and the
    /// offending character, never shown.
    case unsafeValue(field: String, device: String, reason: ValueSafety.Violation)
    /// A line of a rendered push template that is not one `key = value` item.
    case pushLine(template: String, line: Int, message: String)

    public var description: String {
        switch self {
        case .profile(let path, let message): "vendor profile \(path): \(message)"
        case .noTemplate(let kind, let tried): "no \(kind) template; looked for \(tried.joined(separator: ", "))"
        case .syntax(let template, let message): "template \(template): \(message)"
        case .missingVariable(let template, let variables, let device):
            "template \(template) needs variable\(variables.count > 1 ? "s" : "") \(variables.joined(separator: ", ")), which device \(device) does not have (set it on the device, its group, its model or globally)"
        case .noFirmware(let model, let device): "no firmware_url applies to device \(device) (model \(model))"
        case .unsafeValue(let field, let device, let reason):
            "device \(device): \(field) \(reason); not rendered (fix the value)"
        case .pushLine(let template, let line, let message): "template \(template), rendered line \(line): \(message)"
        }
    }
}
