#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The systemd side of the protocol, for tests: an AF_UNIX datagram socket
/// bound at a path in a temporary directory (or an abstract name).
final class NotifySocket: @unchecked Sendable {
    let name: String
    private let fd: Int32
    private let directory: String?

    /// A path socket in a fresh temporary directory, or an abstract one (`@...`).
    init(abstract: Bool = false) throws {
        let tag = "autoprov-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var bytes: [UInt8]
        if abstract {
            directory = nil
            name = "@" + tag
            bytes = [0] + Array(tag.utf8)
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(tag).path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            name = dir + "/notify"
            bytes = Array(name.utf8) + [0]
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (i, byte) in bytes.enumerated() { path[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    /// The next datagram, waiting at most `deadline` (nil if none came).
    /// The socket is read without blocking, and the wait between reads is a
    /// task sleep: a blocking `recv` would hold one of the cooperative
    /// pool's threads (two on a 2-core machine) and starve the very service
    /// whose datagram it waits for.
    func receive(within deadline: Duration = .seconds(60)) async -> String? {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while true {
            if let message = poll() { return message }
            guard clock.now < end, (try? await Task.sleep(for: .milliseconds(5))) != nil else { return nil }
        }
    }

    /// A datagram if one is already queued.
    func poll() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard n >= 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}
