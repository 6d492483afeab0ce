#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DHCPv4

/// The IPv4 addresses configured on network interfaces (getifaddrs).
public enum InterfaceAddresses {
    /// Interface name → its IPv4 addresses with prefix lengths.
    public static func all() -> [String: [(address: IPv4Address, prefixLength: Int)]] {
        var result: [String: [(address: IPv4Address, prefixLength: Int)]] = [:]
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return result }
        defer { freeifaddrs(head) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  let name = entry.pointee.ifa_name else { continue }
            let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                IPv4Address(UInt32(bigEndian: $0.pointee.sin_addr.s_addr))
            }
            var prefix = 32
            if let netmask = entry.pointee.ifa_netmask {
                let mask = netmask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    UInt32(bigEndian: $0.pointee.sin_addr.s_addr)
                }
                prefix = mask.nonzeroBitCount
            }
            result[String(cString: name), default: []].append((ip, prefix))
        }
        return result
    }

    /// Binds each configured interface to the subnet its address lies in.
    /// Throws, naming the interface, when one is missing or has no address
    /// inside any configured subnet: answering on the wrong network is how a
    /// rogue DHCP server happens.
    public static func bindings(
        for interfaces: [String], subnets: [Subnet],
        addresses: [String: [(address: IPv4Address, prefixLength: Int)]] = all()
    ) throws(InterfaceBindingError) -> [InterfaceBinding] {
        try interfaces.map { name throws(InterfaceBindingError) in
            guard let configured = addresses[name] else {
                throw .noSuchInterface(name, known: addresses.keys.sorted())
            }
            for candidate in configured {
                if let index = subnets.firstIndex(where: { $0.contains(candidate.address) }) {
                    return InterfaceBinding(name: name, address: candidate.address, subnetIndex: index)
                }
            }
            throw .noAddressInSubnets(name, addresses: configured.map(\.address), subnets: subnets.map(\.name))
        }
    }
}

public enum InterfaceBindingError: Error, CustomStringConvertible, Equatable {
    case noSuchInterface(String, known: [String])
    case noAddressInSubnets(String, addresses: [IPv4Address], subnets: [String])

    public var description: String {
        switch self {
        case let .noSuchInterface(name, known):
            "interface \(name) has no IPv4 address or does not exist (interfaces with IPv4: \(known.joined(separator: ", ")))"
        case let .noAddressInSubnets(name, addresses, subnets):
            "refusing to serve on interface \(name): its addresses \(addresses.map(\.description).joined(separator: ", ")) lie in none of the configured subnets (\(subnets.joined(separator: ", "))); is this the right network?"
        }
    }
}

extension InterfaceAddresses {
    /// The interface's Ethernet address, from /sys/class/net/<name>/address;
    /// nil when it has none of 6 bytes (or does not exist).
    public static func hardwareAddress(of name: String) -> MACAddress? {
        guard !name.contains("/"), let file = fopen("/sys/class/net/\(name)/address", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let bytes = line.prefix { $0 != 0 && $0 != 0x0A }.map { UInt8(bitPattern: $0) }
        return MACAddress(String(decoding: bytes, as: UTF8.self))
    }
}
