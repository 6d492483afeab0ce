#if canImport(Glibc)
import Glibc
#endif
import Metrics
import NIOCore
import Synchronization

/// Counts one listener's connections, in all and per source address, across
/// its sockets (one per event loop), and says which to refuse. Refusals and
/// connections cut at the deadline are counted in
/// `autoprov_http_connections_refused_total{listener,reason}`.
public final class ConnectionLimiter: Sendable {
    public enum Reason: String, Sendable, CaseIterable {
        /// The listener holds `max_connections` already.
        case total
        /// The source address holds `max_connections_per_address` already.
        case perAddress = "per_address"
        /// The request was not complete by `request_deadline`.
        case deadline
        /// A request with a body (or a method other than GET/HEAD) on a route that takes none.
        case body
    }

    public let limits: ConnectionLimits
    /// `limits.maxConnections`, lowered to what the descriptor limit affords.
    public let maxConnections: Int
    private let counts = Mutex(Counts())
    private let refused: [Reason: Counter]

    struct Counts {
        var total = 0
        var perAddress: [String: Int] = [:]
    }

    /// `descriptors`: the process's descriptor limit (default: RLIMIT_NOFILE);
    /// one listener takes at most a quarter of it.
    public init(limits: ConnectionLimits, listener: String, descriptors: Int? = ConnectionLimiter.descriptorLimit()) {
        self.limits = limits
        maxConnections = descriptors.map { max(1, min(limits.maxConnections, $0 / 4)) } ?? limits.maxConnections
        refused = Dictionary(uniqueKeysWithValues: Reason.allCases.map {
            ($0, Counter(label: "autoprov_http_connections_refused_total", dimensions: [("listener", listener), ("reason", $0.rawValue)]))
        })
    }

    /// Takes a place for a connection from `address`, or says why not.
    /// An admitted connection gives its place back with `release`.
    func admit(_ address: String) -> Reason? {
        let refusal: Reason? = counts.withLock { counts in
            if counts.total >= maxConnections { return .total }
            let held = counts.perAddress[address, default: 0]
            if held >= limits.maxConnectionsPerAddress { return .perAddress }
            counts.total += 1
            counts.perAddress[address] = held + 1
            return nil
        }
        if let refusal { count(refusal) }
        return refusal
    }

    func release(_ address: String) {
        counts.withLock { counts in
            counts.total -= 1
            let held = counts.perAddress[address, default: 1] - 1
            counts.perAddress[address] = held > 0 ? held : nil
        }
    }

    func count(_ reason: Reason) { refused[reason]?.increment() }

    /// Connections held now (for tests and the log).
    public var held: Int { counts.withLock { $0.total } }

    /// The soft RLIMIT_NOFILE, or nil when it is unlimited or unknown.
    public static func descriptorLimit() -> Int? {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
        #else
        return nil
        #endif
    }
}

extension SocketAddress {
    /// The address without the port: what the per-address limit counts.
    var hostKey: String { ipAddress ?? description }
}
