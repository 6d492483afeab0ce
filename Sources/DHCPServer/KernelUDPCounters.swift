import Foundation

/// The kernel's UDP counters of this network namespace (/proc/net/snmp):
/// datagrams the kernel dropped before autoprov could read them, because
/// the socket's receive buffer was full. Under overload this is where the
/// excess goes; the stats line reports it next to autoprov's own drops.
enum KernelUDPCounters {
    /// `Udp:` counters by name (`InDatagrams`, `RcvbufErrors`, ...).
    static func read(path: String = "/proc/net/snmp") -> [String: Int] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("Udp:") }
        guard lines.count >= 2 else { return [:] }
        let names = lines[0].split(separator: " ").dropFirst()
        let values = lines[1].split(separator: " ").dropFirst()
        var counters: [String: Int] = [:]
        for (name, value) in zip(names, values) { counters[String(name)] = Int(value) }
        return counters
    }
}
