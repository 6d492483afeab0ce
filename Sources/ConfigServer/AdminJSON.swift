import Foundation
import Hummingbird
import Store

/// The admin API's JSON shapes (see Docs/openapi.yaml). Passwords are
/// write-only: outputs say whether one is set, never what it is.
struct DeviceJSON: ResponseEncodable {
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

    init(_ d: Device) {
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
    }
}

struct LineInput: Decodable {
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

struct DeviceInput: Decodable {
    var mac: String
    var label: String?
    var model: String?
    var group: String?
    var admin_user: String?
    var admin_password: String?
    var variables: [String: String]?
    var lines: [LineInput]?
}

struct DevicePatch: Decodable {
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

struct GroupInput: Decodable {
    var name: String
    var variables: [String: String]?
}

struct GroupPatch: Decodable {
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

struct DeviceList: ResponseEncodable { var devices: [DeviceJSON] }
struct GroupList: ResponseEncodable { var groups: [GroupJSON] }
struct EventList: ResponseEncodable { var events: [EventJSON] }
struct ImportResult: ResponseEncodable { var imported: Int }
