import Foundation
import Hummingbird
import Store

/// One device and where its provisioning stands (Docs/openapi.yaml
/// `Provisioning`): what `autoprov status --json` shows, plus the
/// registration of each line when the last outcome told it. The admin API
/// and `autoprov status --json` print the same rows.
public struct ProvisioningJSON: ResponseEncodable, Sendable {
    /// One line's registration as the last `provision-verified` or
    /// `provision-failed` event told it.
    public struct Registration: Encodable, Equatable, Sendable {
        var line: Int
        var number: String?
        var registered: Bool
        /// The phone's `info.sip.line.N.registerCode`, when the event gave it.
        var code: Int?

        enum CodingKeys: String, CodingKey { case line, number, registered, code }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(number, forKey: .number)
            try c.encode(registered, forKey: .registered)
            try c.encode(code, forKey: .code)
        }
    }

    public var mac: String
    public var label: String
    public var model: String?
    public var ip: String?
    /// The job's state, else the device's (`new`, `discovered`, `config-fetched`).
    public var state: String
    public var reason: String?
    public var trigger: String?
    public var started: Double?
    public var updated: Double?
    public var last_event: String?
    public var last_event_status: Int?
    public var last_event_time: Double?
    public var registration: [Registration]
    public var registration_time: Double?

    static let outcomeKinds: Set<DeviceEvent.Kind> = [.init(rawValue: "provision-verified"), .init(rawValue: "provision-failed")]

    /// Every state a row can show, in the order a phone goes through them.
    public static let states: [String] = {
        var all = [DeviceState.new.rawValue, DeviceState.discovered.rawValue]
        for state in ProvisionJob.State.allCases where !all.contains(state.rawValue) { all.append(state.rawValue) }
        return all
    }()

    /// Every device's row, ordered by MAC: one read of the devices, the
    /// jobs and the newest events, however many devices there are.
    public static func all(inventory: any InventoryStore, jobs: any ProvisionJobStore) throws -> [ProvisioningJSON] {
        let devices = try inventory.devices(group: nil, state: nil)
        let jobs = Dictionary(try jobs.jobs().map { ($0.mac, $0) }, uniquingKeysWith: { a, _ in a })
        let last = try inventory.latestEvents()
        let outcomes = try inventory.latestEvents(kinds: outcomeKinds)
        return devices.map { device in
            ProvisioningJSON(device: device, job: jobs[device.mac], last: last[device.mac], outcome: outcomes[device.mac])
        }
    }

    /// One page of rows, ordered by MAC, of one shown state if given: reads
    /// only that page's devices, jobs and newest events.
    static func page(inventory: any InventoryStore, jobs: any ProvisionJobStore, state: String?, page: Page) throws
        -> [ProvisioningJSON] {
        let devices = if let state {
            try inventory.devices(try jobs.macs(inRowState: state, after: page.after, limit: page.limit))
        } else {
            try inventory.devices(group: nil, state: nil, after: page.after, limit: page.limit)
        }
        let macs = devices.map(\.mac)
        let jobs = try jobs.jobs(for: macs)
        let last = try inventory.latestEvents(for: macs)
        let outcomes = try inventory.latestEvents(kinds: outcomeKinds, for: macs)
        return devices.map { device in
            ProvisioningJSON(device: device, job: jobs[device.mac], last: last[device.mac], outcome: outcomes[device.mac])
        }
    }

    public init(device: Device, job: ProvisionJob?, last: DeviceEvent?, outcome: DeviceEvent?) {
        mac = device.mac.compact
        label = device.label
        model = device.model
        ip = job?.ip ?? device.lastIP
        state = job?.state.rawValue ?? device.state.rawValue
        reason = job?.reason
        trigger = job?.trigger
        started = job?.created
        updated = job?.updated
        last_event = last?.kind.rawValue
        last_event_status = last?.status
        last_event_time = last?.time
        registration = Self.registration(lines: device.lines, outcome: outcome)
        registration_time = registration.isEmpty ? nil : outcome?.time
    }

    /// What the last outcome says of each line: `provision-verified` means
    /// every line registered (its status is the first line's code);
    /// `provision-failed` names the lines it saw unregistered
    /// (`line 2 registerCode 403`, or a timeout listing the lines still
    /// waiting). Lines it says nothing about are left out.
    static func registration(lines: [SIPLine], outcome: DeviceEvent?) -> [Registration] {
        guard let outcome else { return [] }
        let sorted = lines.sorted { $0.index < $1.index }
        switch outcome.kind.rawValue {
        case "provision-verified":
            return sorted.enumerated().map { i, line in
                Registration(line: line.index, number: line.number, registered: true, code: i == 0 ? outcome.status : nil)
            }
        case "provision-failed":
            let numbers = Dictionary(sorted.map { ($0.index, $0.number) }, uniquingKeysWith: { a, _ in a })
            return lineCodes(in: outcome.reason ?? "").map { index, code in
                Registration(line: index, number: numbers[index], registered: false, code: code)
            }
        default:
            return []
        }
    }

    /// `line N registerCode X` fragments of a reason: (N, X if a number), by N.
    static func lineCodes(in reason: String) -> [(Int, Int?)] {
        var found: [Int: Int?] = [:]
        let words = reason.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ":" }).map(String.init)
        var i = 0
        while i + 2 < words.count {
            if words[i] == "line", let index = Int(words[i + 1]), words[i + 2] == "registerCode" {
                found.updateValue(i + 3 < words.count ? Int(words[i + 3]) : nil, forKey: index)
                i += 3
            } else {
                i += 1
            }
        }
        return found.keys.sorted().map { ($0, found[$0] ?? nil) }
    }

    enum CodingKeys: String, CodingKey {
        case mac, label, model, ip, state, reason, trigger, started, updated
        case last_event, last_event_status, last_event_time, registration, registration_time
    }

    /// Every key is always present; a missing value is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mac, forKey: .mac)
        try c.encode(label, forKey: .label)
        try c.encode(model, forKey: .model)
        try c.encode(ip, forKey: .ip)
        try c.encode(state, forKey: .state)
        try c.encode(reason, forKey: .reason)
        try c.encode(trigger, forKey: .trigger)
        try c.encode(started, forKey: .started)
        try c.encode(updated, forKey: .updated)
        try c.encode(last_event, forKey: .last_event)
        try c.encode(last_event_status, forKey: .last_event_status)
        try c.encode(last_event_time, forKey: .last_event_time)
        try c.encode(registration, forKey: .registration)
        try c.encode(registration_time, forKey: .registration_time)
    }
}

struct ProvisioningList: ResponseEncodable {
    /// The server's clock when the list was read (seconds since 1970).
    var time: Double
    var devices: [ProvisioningJSON]
    /// The cursor of the next page (`after`), null on the last.
    var next: String?

    enum CodingKeys: String, CodingKey { case time, devices, next }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(devices, forKey: .devices)
        try c.encode(next, forKey: .next)
    }
}

/// How many devices show each state (`GET /api/v1/provisioning/summary`):
/// what the status page's filter buttons count, without the rows.
struct ProvisioningSummary: ResponseEncodable {
    var time: Double
    var total: Int
    var states: [String: Int]
}

struct PushAccepted: ResponseEncodable {
    var mac: String
    var requested: Double
}
