import DHCPv4
import Foundation
import Mustache
import Store

/// The root of what a template sees: the resolved variables and the
/// device's own fields. A name it does not have renders as a marker that
/// `Renderer` turns into an error naming the variable, so a template never
/// ships an empty value to a phone; in a section (`{{#name}}`) a missing
/// name is simply false.
struct RenderContext: MustacheParent {
    var values: [String: Any]

    func child(named name: String) -> Any? {
        values[name] ?? MissingValue(name: name)
    }

    init(device: Device, variables: [String: String]) {
        // An empty value is unset: `{{#ntp_server}}` stays closed and
        // `{{ntp_server}}` is an error, rather than an empty setting shipped.
        var values: [String: Any] = variables.filter { !$0.value.isEmpty }
        values["mac"] = device.mac.compact
        values["mac_colon"] = device.mac.description
        values["label"] = device.label
        values["group"] = device.group
        if let model = device.model { values["model"] = model }
        if let firmware = device.firmware { values["firmware"] = firmware }
        if let user = device.adminUser, !user.isEmpty { values["admin_user"] = user }
        if let password = device.adminPassword, !password.isEmpty { values["admin_password"] = password }
        values["line_count"] = device.lines.count
        // An empty line field is left out, so that a variable of the same
        // name (a group's `registrar`, say) serves as its default.
        values["lines"] = device.lines.map { line -> [String: Any] in
            var fields: [String: Any] = [
                "index": line.index, "number": line.number,
                "auth_user": line.authUser.isEmpty ? line.number : line.authUser,
                "display_name": line.displayName.isEmpty ? (device.label.isEmpty ? line.number : device.label) : line.displayName,
                "registrar_port": line.registrarPort,
                "transport": line.transport.rawValue, "transport_code": line.transport.fanvilCode,
            ]
            if !line.password.isEmpty { fields["password"] = line.password }
            if !line.registrar.isEmpty { fields["registrar"] = line.registrar }
            return fields
        }
        self.values = values
    }
}

/// Stands for a name the context does not have.
struct MissingValue: MustacheCustomRenderable {
    static let open = "\u{1}missing:"
    static let close = "\u{1}"
    var name: String
    var renderText: String { Self.open + name + Self.close }
    var isNull: Bool { true }

    /// Names marked in rendered text, in order, once each.
    static func names(in body: String) -> [String] {
        guard body.utf8.contains(1) else { return [] }
        var names: [String] = []
        var rest = body[...]
        while let start = rest.range(of: open) {
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: close) else { break }
            let name = String(rest[..<end.lowerBound])
            if !names.contains(name) { names.append(name) }
            rest = rest[end.upperBound...]
        }
        return names
    }
}
