import NIOConcurrencyHelpers

/// Counts what the fleet's phones have reached, for the one-line summary
/// `phonesim: 20 phones: leased 20, configured 19, registered 15, failed 1`.
public final class FleetProgress: Sendable {
    private struct Counts {
        var leased = Set<String>()
        var configured = Set<String>()
        /// Per phone, whether its last REGISTER succeeded.
        var lastRegister: [String: Bool] = [:]
    }

    public let phones: Int
    private let counts = NIOLockedValueBox(Counts())

    public init(phones: Int) { self.phones = phones }

    public func record(_ event: PhoneEvent) {
        counts.withLockedValue { counts in
            switch event.kind {
            case .leased: counts.leased.insert(event.mac)
            case .configFetched: counts.configured.insert(event.mac)
            case .registered: counts.lastRegister[event.mac] = true
            case .registerFailed: counts.lastRegister[event.mac] = false
            default: break
            }
        }
    }

    public var summary: String {
        counts.withLockedValue { counts in
            let registered = counts.lastRegister.values.filter { $0 }.count
            return "phonesim: \(phones) phones: leased \(counts.leased.count), configured \(counts.configured.count), "
                + "registered \(registered), failed \(counts.lastRegister.count - registered)"
        }
    }
}
