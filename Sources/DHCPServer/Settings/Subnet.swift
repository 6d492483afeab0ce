import DHCPv4
import Foundation

/// An IPv4 network with its pools and the options its clients get.
public struct Subnet: Sendable, Equatable {
    public let network: IPv4Address
    public let prefixLength: Int
    /// CIDR text, the subnet's name in the store and in logs.
    public let name: String
    /// Address ranges handed out, inclusive.
    public var pools: [ClosedRange<IPv4Address>]
    public var leaseTime: UInt32
    public var router: IPv4Address?
    public var dns: [IPv4Address]
    public var ntp: [IPv4Address]
    public var domain: String?

    public init(
        network: IPv4Address, prefixLength: Int, pools: [ClosedRange<IPv4Address>], leaseTime: UInt32 = 3600,
        router: IPv4Address? = nil, dns: [IPv4Address] = [], ntp: [IPv4Address] = [], domain: String? = nil
    ) {
        self.prefixLength = prefixLength
        self.network = IPv4Address(network.value & Self.mask(prefixLength))
        name = "\(self.network)/\(prefixLength)"
        self.pools = pools
        self.leaseTime = leaseTime
        self.router = router
        self.dns = dns
        self.ntp = ntp
        self.domain = domain
    }

    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    public var mask: IPv4Address { IPv4Address(Self.mask(prefixLength)) }
    public var broadcast: IPv4Address { IPv4Address(network.value | ~Self.mask(prefixLength)) }

    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == network.value
    }

    public func inPool(_ address: IPv4Address) -> Bool { pools.contains { $0.contains(address) } }

    public var poolSize: Int { pools.reduce(0) { $0 + Int($1.upperBound.value - $1.lowerBound.value) + 1 } }

    /// Parses `a.b.c.d/n`.
    public static func parseCIDR(_ text: String) -> (IPv4Address, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        return (address, prefix)
    }

    /// Parses `first-last` (both inclusive, first <= last).
    public static func parseRange(_ text: String) -> ClosedRange<IPv4Address>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let first = IPv4Address(parts[0]), let last = IPv4Address(parts[1]),
              first <= last else { return nil }
        return first...last
    }
}

