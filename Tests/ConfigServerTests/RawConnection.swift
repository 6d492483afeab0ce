import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A plain TCP connection to a listener, for what no HTTP client sends:
/// heads and bodies written a byte at a time, connections held open.
struct RawConnection {
    let channel: any Channel
    let received: NIOLockedValueBox<ByteBuffer>

    static func open(port: Int, from source: String = "127.0.0.1") async throws -> RawConnection {
        let received = NIOLockedValueBox(ByteBuffer())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ByteCollector(received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    var isOpen: Bool { channel.isActive }
    var text: String { received.withLockedValue { String(buffer: $0) } }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Waits until the server closed the connection, or `limit` passed; true when it closed.
    func waitClosed(within limit: Duration = .seconds(5)) async throws -> Bool {
        try await waitUntil(within: limit) { !channel.isActive }
    }

    func close() { channel.close(promise: nil) }
}

/// Polls `condition` every 10 ms until it holds or `limit` passes; returns it.
func waitUntil(within limit: Duration, _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
    return true
}
