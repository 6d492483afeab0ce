#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// systemd's notification protocol (sd_notify(3)) without libsystemd: one
/// datagram of `KEY=VALUE` lines to the AF_UNIX socket named by
/// `$NOTIFY_SOCKET`, a path, or an abstract name when it starts with `@`.
/// Not started by systemd (no `NOTIFY_SOCKET`): every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket as `$NOTIFY_SOCKET` names it; nil: notifications are off.
    public let socket: String?

    public init(socket: String?) {
        self.socket = (socket?.isEmpty ?? true) ? nil : socket
    }

    /// From the process environment.
    public init(environment: [String: String]) {
        self.init(socket: environment["NOTIFY_SOCKET"])
    }

    public var isEnabled: Bool { socket != nil }

    /// READY=1: startup is finished (the store is open, every listener is bound).
    @discardableResult
    public func ready(status: String? = nil) throws -> Bool {
        try notify(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// STOPPING=1: graceful shutdown has started.
    @discardableResult
    public func stopping(status: String? = nil) throws -> Bool {
        try notify(["STOPPING=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// RELOADING=1 with the CLOCK_MONOTONIC time systemd wants with it; a
    /// `ready()` must follow when the reload is over.
    @discardableResult
    public func reloading() throws -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
        return try notify(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// WATCHDOG=1: the keep-alive ping of `WatchdogSec=`.
    @discardableResult
    public func watchdog() throws -> Bool {
        try notify(["WATCHDOG=1"])
    }

    /// STATUS=: one line of free text `systemctl status` shows.
    @discardableResult
    public func status(_ text: String) throws -> Bool {
        try notify(["STATUS=\(text)"])
    }

    /// Sends the assignments as one datagram (never blocks: a full socket
    /// queue is an error). Returns false when notifications are off.
    @discardableResult
    public func notify(_ assignments: [String]) throws -> Bool {
        guard let socket else { return false }
        let message = Array(assignments.map { $0.replacingNewlines() }.joined(separator: "\n").utf8)
        var address = try Self.address(socket)
        let fd = openDatagramSocket()
        guard fd >= 0 else { throw SystemdNotifyError(operation: "socket", errno: errno) }
        defer { close(fd) }
        let sent = withUnsafePointer(to: &address.storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { bytes in
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), sa, address.length)
                }
            }
        }
        guard sent == message.count else { throw SystemdNotifyError(operation: "sendto \(socket)", errno: errno) }
        return true
    }

    /// `sockaddr_un` for a path or an abstract name (`@` becomes the leading NUL).
    static func address(_ socket: String) throws -> (storage: sockaddr_un, length: socklen_t) {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(socket.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, abstract || bytes.first == UInt8(ascii: "/") else {
            throw SystemdNotifyError(operation: "NOTIFY_SOCKET=\(socket): not an absolute path or @abstract name", errno: EINVAL)
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { path in
            for (i, byte) in bytes.enumerated() { path[i] = byte }
        }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        // A path is NUL-terminated; an abstract name is exactly its bytes.
        return (storage, socklen_t(offset + bytes.count + (abstract ? 0 : 1)))
    }
}

/// An AF_UNIX datagram socket, closed on exec (outside the struct: its
/// `socket` property would hide the C function).
private func openDatagramSocket() -> Int32 {
    #if canImport(Darwin)
    socket(AF_UNIX, SOCK_DGRAM, 0)
    #else
    socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #endif
}

/// A notification that could not be sent.
public struct SystemdNotifyError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let errno: Int32

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

extension String {
    /// A value is one line: a newline would start another assignment.
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
