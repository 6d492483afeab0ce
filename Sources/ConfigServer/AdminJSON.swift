import Foundation
import Hummingbird
import Store

/// The admin API's JSON shapes (see Docs/openapi.yaml). Passwords are
/// write-only: outputs say whether one is set, never what it is.
public struct DeviceJSON: ResponseEncodable {
    struct Line: Encodable {
        var index: Int
        var number: String
        var auth_user: String
        var password_set: Bool
        var display_name: String
        var registrar: String
        var registrar_port: Int
        var transport: String
    }

    var mac: String
    var label: String
    var model: String?
    var group: String
    var state: String
    var admin_user: String?
    var admin_password_set: Bool
    var variables: [String: String]
    var lines: [Line]
    var firmware: String?
    var last_ip: String?
    var created: Double
    var updated: Double
    var last_seen: Double?
    /// `none`, `pending` or `in-force`: whether the device has its own
    /// provisioning secret (`ProvisioningSecret`), never the value.
    var device_secret: String

    public init(_ d: Device) {
        mac = d.mac.compact
        label = d.label
        model = d.model
        group = d.group
        state = d.state.rawValue
        admin_user = d.adminUser
        admin_password_set = !(d.adminPassword ?? "").isEmpty
        variables = d.variables
        lines = d.lines.map {
            Line(index: $0.index, number: $0.number, auth_user: $0.authUser, password_set: !$0.password.isEmpty,
                 display_name: $0.displayName, registrar: $0.registrar, registrar_port: $0.registrarPort,
                 transport: $0.transport.rawValue)
        }
        firmware = d.firmware
        last_ip = d.lastIP
        created = d.created
        updated = d.updated
        last_seen = d.lastSeen
        device_secret = ProvisioningSecret.summary(d.provisioningSecret)
    }

    enum CodingKeys: String, CodingKey {
        case mac, label, model, group, state, admin_user, admin_password_set, variables, lines, firmware, last_ip
        case created, updated, last_seen, device_secret
    }

    /// Every key is always present; a missing value is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mac, forKey: .mac)
        try c.encode(label, forKey: .label)
        try c.encode(model, forKey: .model)
        try c.encode(group, forKey: .group)
        try c.encode(state, forKey: .state)
        try c.encode(admin_user, forKey: .admin_user)
        try c.encode(admin_password_set, forKey: .admin_password_set)
        try c.encode(variables, forKey: .variables)
        try c.encode(lines, forKey: .lines)
        try c.encode(firmware, forKey: .firmware)
        try c.encode(last_ip, forKey: .last_ip)
        try c.encode(created, forKey: .created)
        try c.encode(updated, forKey: .updated)
        try c.encode(last_seen, forKey: .last_seen)
        try c.encode(device_secret, forKey: .device_secret)
    }
}

/// An input whose JSON may hold only its own keys: a misspelt or
/// unsupported key is a 400 naming it, not a silently dropped value.
protocol StrictInput: Decodable {
    static var keys: Set<String> { get }
}

struct LineInput: Decodable {
    static let keys: Set<String> = ["index", "number", "auth_user", "password", "display_name", "registrar", "registrar_port", "transport"]

    var index: Int
    var number: String
    var auth_user: String?
    var password: String?
    var display_name: String?
    var registrar: String?
    var registrar_port: Int?
    var transport: SIPLine.Transport?

    var line: SIPLine {
        SIPLine(index: index, number: number, authUser: auth_user ?? "", password: password ?? "",
                displayName: display_name ?? "", registrar: registrar ?? "", registrarPort: registrar_port ?? 5060,
                transport: transport ?? .udp)
    }
}

struct DeviceInput: StrictInput {
    static let keys: Set<String> = ["mac", "label", "model", "group", "admin_user", "admin_password", "variables", "lines"]
    var mac: String
    var label: String?
    var model: String?
    var group: String?
    var admin_user: String?
    var admin_password: String?
    var variables: [String: String]?
    var lines: [LineInput]?
}

struct DevicePatch: StrictInput {
    static let keys: Set<String> = ["label", "model", "group", "admin_user", "admin_password", "variables", "lines"]
    var label: String?
    var model: String?
    var group: String?
    var admin_user: String?
    var admin_password: String?
    /// Merged into the device's; a null value removes the variable.
    var variables: [String: String?]?
    /// Replaces the device's lines.
    var lines: [LineInput]?
}

struct GroupJSON: ResponseEncodable, Decodable {
    var name: String
    var variables: [String: String]
}

struct GroupInput: StrictInput {
    static let keys: Set<String> = ["name", "variables"]
    var name: String
    var variables: [String: String]?
}

struct GroupPatch: StrictInput {
    static let keys: Set<String> = ["variables"]
    var variables: [String: String?]?
}

struct EventJSON: Encodable {
    var id: Int64?
    var time: Double
    var kind: String
    var mac: String
    var ip: String?
    var file: String?
    var user_agent: String?
    var status: Int?
    var reason: String?

    enum CodingKeys: String, CodingKey { case id, time, kind, mac, ip, file, user_agent, status, reason }

    /// Every key is always present; a missing value is `null`.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(time, forKey: .time)
        try c.encode(kind, forKey: .kind)
        try c.encode(mac, forKey: .mac)
        try c.encode(ip, forKey: .ip)
        try c.encode(file, forKey: .file)
        try c.encode(user_agent, forKey: .user_agent)
        try c.encode(status, forKey: .status)
        try c.encode(reason, forKey: .reason)
    }

    init(_ e: DeviceEvent) {
        id = e.id
        time = e.time
        kind = e.kind.rawValue
        mac = e.mac.compact
        ip = e.ip
        file = e.file
        user_agent = e.userAgent
        status = e.status
        reason = e.reason
    }
}

struct DeviceList: ResponseEncodable {
    var devices: [DeviceJSON]
    /// The cursor of the next page (`after`), null on the last.
    var next: String?

    enum CodingKeys: String, CodingKey { case devices, next }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(devices, forKey: .devices)
        try c.encode(next, forKey: .next)
    }
}
struct GroupList: ResponseEncodable { var groups: [GroupJSON] }
struct EventList: ResponseEncodable { var events: [EventJSON] }
struct ImportResult: ResponseEncodable { var imported: Int }
